package org.admap.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.admap.columns.InputChangedException;
import org.admap.columns.InputTexts;
import org.admap.columns.RunColumns;
import org.admap.model.Item;
import org.admap.model.MapPoint;
import org.admap.run.JsonFiles;
import org.admap.run.StoreFlags;
import org.admap.store.InputFileRecord;
import org.admap.store.ItemDetails;
import org.admap.store.RunDirectory;
import org.admap.store.RunStore;
import org.admap.store.ScoreSourceInfo;
import org.admap.store.ScoreStatistics;

/**
 * A {@link ReportSource} on a scanned run's {@link RunColumns}, without its store: the map,
 * counts and score statistics from the columns, the flags from the rows a diagnosis on the
 * columns kept for the store ({@link StoreFlags}), and texts read from the inputs by offset
 * ({@link InputTexts}, each checked). The responses' models come from the columns; columns
 * of version 1 have none, and then they are read once from every line by a streaming parse,
 * on every core (the one pass over the input such a report makes).
 *
 * <p>What only a store holds is absent here, and rightly so: a run with scorers' scores,
 * reviews or references has a store (scoring builds it), and then the report reads the store.
 * So the only score sources are the data's scores and labels, no scorer's provenance, no
 * uncertainty (the scan maps plain numbers), and line numbers are counted in the input.
 * The diagnosis' bias audit, which needs every text, is in diagnosis.json once a store is built.
 *
 * <p>Sums (means, correlations) are added in key order here and in the database's order
 * there, so they may differ in the last bits; counts, ranges, histograms and texts are equal.
 */
final class ColumnReportSource implements ReportSource {

    /** Items read at once in the models' pass: enough for every core, few enough to hold. */
    private static final int BATCH = 4096;

    private final RunDirectory run;
    private final RunColumns columns;
    private final InputTexts texts;
    private final List<MapPoint> points;
    /** Each response's model, null when it has none (read on first use). */
    private String[] models;

    /** Reads from {@code columns} and the inputs {@code texts} opened (both stay the caller's to close). */
    ColumnReportSource(RunDirectory run, RunColumns columns, InputTexts texts) {
        this.run = run;
        this.columns = columns;
        this.texts = texts;
        this.points = columns.points();
    }

    @Override
    public List<MapPoint> points() {
        return points;
    }

    @Override
    public String source() {
        return columns.header().scoreSource();
    }

    @Override
    public String labels() {
        return columns.header().labels() == null ? "" : columns.header().labels();
    }

    @Override
    public String correlation() {
        return columns.header().correlation() == null ? "" : columns.header().correlation();
    }

    @Override
    public String variability() {
        return "score"; // the scan maps the scores' variance; comb needs a scorer's embeddings, in a store
    }

    @Override
    public String mapCreated() {
        return columns.header().mapCreated() == null ? "" : columns.header().mapCreated();
    }

    @Override
    public Optional<ScoreSourceInfo> scoreSource(String source) {
        return Optional.empty(); // input and labels are the data's, no scorer's
    }

    @Override
    public List<InputFileRecord> inputs() {
        JsonNode summary = JsonFiles.MAPPER.missingNode();
        try {
            if (Files.isRegularFile(run.summaryJson())) {
                summary = JsonFiles.read(run.summaryJson()).path("run").path("inputs");
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable summary leaves the format and rows unknown
        }
        List<InputFileRecord> list = new ArrayList<>();
        List<RunColumns.InputFile> files = columns.header().inputs();
        for (int i = 0; i < files.size(); i++) {
            JsonNode s = summary.path(i);
            list.add(new InputFileRecord(i, files.get(i).path(), s.path("format").asText("jsonl"), false,
                    s.path("layout").asText("multi-response"), files.get(i).size(), null,
                    s.path("rows").asLong(0), s.path("bad_rows").asLong(0)));
        }
        return list;
    }

    @Override
    public long itemCount() {
        return columns.items();
    }

    @Override
    public long responseCount() {
        return columns.responses();
    }

    @Override
    public List<String> scoreSources() {
        List<String> sources = new ArrayList<>();
        if (any(RunStore.INPUT)) {
            sources.add(RunStore.INPUT);
        }
        if (any(RunStore.LABELS)) {
            sources.add(RunStore.LABELS);
        }
        return sources;
    }

    private boolean any(String source) {
        for (int r = 0; r < columns.responses(); r++) {
            if (!Double.isNaN(value(source, r))) {
                return true;
            }
        }
        return false;
    }

    /** Response {@code r}'s value from {@code source} (input or labels), NaN when none. */
    private double value(String source, int r) {
        return switch (source) {
            case RunStore.INPUT -> columns.score(r);
            case RunStore.LABELS -> columns.label(r);
            default -> Double.NaN; // a scorer's: a run with one has a store
        };
    }

    @Override
    public List<ItemDetails.FlagRow> flags() {
        List<ItemDetails.FlagRow> rows = new ArrayList<>();
        try {
            for (RunStore.FlagRow f : StoreFlags.read(run)) {
                // as the store reads its flags table: the columns by name, nulls left out
                Map<String, Object> fields = new LinkedHashMap<>();
                if (!Double.isNaN(f.value())) {
                    fields.put("value", f.value());
                }
                if (!Double.isNaN(f.threshold())) {
                    fields.put("threshold", f.threshold());
                }
                if (f.detail() != null) {
                    fields.put("detail", f.detail());
                }
                rows.add(new ItemDetails.FlagRow(f.key(), f.reason(), fields));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    @Override
    public ScoreStatistics.SourceStats sourceStats(String source, int bins) {
        long count = 0;
        double sum = 0;
        double min = Double.NaN;
        double max = Double.NaN;
        TreeMap<Double, long[]> distinct = new TreeMap<>(); // up to bins + 1 values
        for (int r = 0; r < columns.responses(); r++) {
            double v = value(source, r);
            if (Double.isNaN(v)) {
                continue;
            }
            count++;
            sum += v;
            min = count == 1 || v < min ? v : min;
            max = count == 1 || v > max ? v : max;
            if (distinct != null) {
                distinct.computeIfAbsent(v, k -> new long[1])[0]++;
                if (distinct.size() > bins) {
                    distinct = null;
                }
            }
        }
        if (count == 0) {
            return new ScoreStatistics.SourceStats(source, 0, Double.NaN, Double.NaN, Double.NaN,
                    new ScoreStatistics.Histogram(null, new double[0], new long[0]));
        }
        ScoreStatistics.Histogram histogram;
        if (distinct != null) {
            double[] values = new double[distinct.size()];
            long[] counts = new long[distinct.size()];
            int i = 0;
            for (Map.Entry<Double, long[]> e : distinct.entrySet()) {
                values[i] = e.getKey();
                counts[i++] = e.getValue()[0];
            }
            histogram = new ScoreStatistics.Histogram(null, values, counts);
        } else {
            // the store's bins: least(floor((value - min) / width), bins - 1)
            double width = (max - min) / bins;
            double[] edges = new double[bins + 1];
            for (int i = 0; i <= bins; i++) {
                edges[i] = min + i * width;
            }
            edges[bins] = max;
            long[] counts = new long[bins];
            for (int r = 0; r < columns.responses(); r++) {
                double v = value(source, r);
                if (!Double.isNaN(v)) {
                    counts[(int) Math.min((long) Math.floor((v - min) / width), bins - 1)]++;
                }
            }
            histogram = new ScoreStatistics.Histogram(edges, null, counts);
        }
        return new ScoreStatistics.SourceStats(source, count, sum / count, min, max, histogram);
    }

    @Override
    public ScoreStatistics.Agreement agreement(String a, String b) {
        int n = 0;
        double[] x = new double[columns.responses()];
        double[] y = new double[columns.responses()];
        for (int r = 0; r < columns.responses(); r++) {
            double va = value(a, r);
            double vb = value(b, r);
            if (!Double.isNaN(va) && !Double.isNaN(vb)) {
                x[n] = va;
                y[n++] = vb;
            }
        }
        x = Arrays.copyOf(x, n);
        y = Arrays.copyOf(y, n);
        return new ScoreStatistics.Agreement(a, b, n, pearson(x, y), pearson(ranks(x), ranks(y)));
    }

    /** Pearson's r, NaN when fewer than two pairs or a constant side make it undefined. */
    private static double pearson(double[] x, double[] y) {
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        double r = sxy / Math.sqrt(sxx * syy);
        return Double.isFinite(r) ? r : Double.NaN;
    }

    /** Each value's rank (1-based), ties at their average rank, as the store's rank() window gives. */
    private static double[] ranks(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double[] average = new double[v.length]; // at the first index of each run of equal values
        for (int first = 0, end; first < sorted.length; first = end) {
            end = first + 1;
            while (end < sorted.length && sorted[end] == sorted[first]) {
                end++;
            }
            average[first] = first + 1 + (end - first - 1) / 2.0;
        }
        double[] ranks = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            ranks[i] = average[lowerBound(sorted, v[i])];
        }
        return ranks;
    }

    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public List<ScoreStatistics.ModelStats> models(List<String> sources, String bestBy) {
        String[] byResponse = models();
        Map<String, long[]> counts = new HashMap<>(); // responses, items, best
        Map<String, Map<String, double[]>> sums = new HashMap<>(); // model -> source -> sum, count
        for (int key = 0; key < columns.items(); key++) {
            int from = columns.responseStart(key);
            int to = columns.responseEnd(key);
            for (int r = from; r < to; r++) {
                String m = byResponse[r] == null ? "" : byResponse[r];
                long[] c = counts.computeIfAbsent(m, k -> new long[3]);
                c[0]++;
                boolean first = true;
                for (int q = from; q < r && first; q++) {
                    first = !m.equals(byResponse[q] == null ? "" : byResponse[q]);
                }
                if (first) {
                    c[1]++;
                }
                for (String s : sources) {
                    double v = value(s, r);
                    if (!Double.isNaN(v)) {
                        double[] sc = sums.computeIfAbsent(m, k -> new HashMap<>()).computeIfAbsent(s,
                                k -> new double[2]);
                        sc[0] += v;
                        sc[1]++;
                    }
                }
            }
        }
        for (MapPoint p : points) {
            int best = best(p.key(), bestBy);
            if (best >= 0) {
                counts.get(byResponse[best] == null ? "" : byResponse[best])[2]++;
            }
        }
        List<Map.Entry<String, long[]>> order = new ArrayList<>(counts.entrySet());
        order.sort((e, f) -> e.getValue()[0] != f.getValue()[0] ? Long.compare(f.getValue()[0], e.getValue()[0])
                : compareUtf8(e.getKey(), f.getKey()));
        List<ScoreStatistics.ModelStats> list = new ArrayList<>();
        for (Map.Entry<String, long[]> e : order) {
            Map<String, Double> means = new LinkedHashMap<>();
            for (String s : sources) {
                double[] sc = sums.getOrDefault(e.getKey(), Map.of()).get(s);
                if (sc != null) {
                    means.put(s, sc[0] / sc[1]);
                }
            }
            list.add(new ScoreStatistics.ModelStats(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2],
                    means));
        }
        return list;
    }

    /** The store orders text by its UTF-8 bytes: by code points. */
    private static int compareUtf8(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    /** The response of item {@code key} that scores highest on {@code source} (ties: the earlier), or -1. */
    private int best(int key, String source) {
        int best = -1;
        double top = Double.NaN;
        for (int r = columns.responseStart(key); r < columns.responseEnd(key); r++) {
            double v = value(source, r);
            if (!Double.isNaN(v) && (best < 0 || v > top)) {
                best = r;
                top = v;
            }
        }
        return best;
    }

    @Override
    public String[] bestModels(String source) {
        String[] byResponse = models();
        String[] out = new String[columns.items()];
        for (MapPoint p : points) {
            int best = best(p.key(), source);
            if (best >= 0) {
                out[p.key()] = byResponse[best];
            }
        }
        return out;
    }

    /** Every response's model: from the columns, else read from the inputs in one parallel pass. */
    private String[] models() {
        if (models != null) {
            return models;
        }
        String[] out = new String[columns.responses()];
        if (columns.hasModels()) {
            for (int r = 0; r < out.length; r++) {
                out[r] = columns.model(r);
            }
            models = out;
            return out;
        }
        Map<String, String> names = new java.util.concurrent.ConcurrentHashMap<>();
        int items = columns.items();
        // a changed input is an UncheckedIOException around an InputChangedException, for the caller
        for (int from = 0; from < items; from += BATCH) {
            IntStream.range(from, Math.min(items, from + BATCH)).parallel().forEach(key -> {
                String[] read;
                try {
                    read = texts.models(key);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                int first = columns.responseStart(key);
                for (int i = 0; i < read.length; i++) {
                    out[first + i] = read[i] == null ? null : names.computeIfAbsent(read[i], k -> k);
                }
            });
        }
        models = out;
        return out;
    }

    private Item read(int key) {
        try {
            return texts.item(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void forEachExcerpt(BitSet keys, int maxChars, ItemDetails.ExcerptConsumer consumer) throws IOException {
        int[] selected = keys.stream().filter(k -> k < columns.items()).toArray();
        for (int from = 0; from < selected.length; from += BATCH) {
            String[] batch = new String[Math.min(BATCH, selected.length - from)];
            int start = from;
            try {
                IntStream.range(0, batch.length).parallel().forEach(i -> {
                    try {
                        String[] pi = texts.promptAndInput(selected[start + i]);
                        // as the store cuts them: each text to maxChars + 64 before it is put on one line
                        String prompt = cut(pi[0], maxChars + 64);
                        String input = cut(pi[1], maxChars + 64);
                        batch[i] = ItemDetails.excerpt(input.isEmpty() ? prompt : prompt + " " + input, maxChars);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            for (int i = 0; i < batch.length; i++) {
                int key = selected[start + i];
                consumer.accept(key, columns.id(key), batch[i]);
            }
        }
    }

    @Override
    public void items(BitSet keys, int maxChars, Consumer<ItemDetails.Detail> consumer) throws IOException {
        int[] selected = keys.stream().filter(k -> k < columns.items()).toArray();
        long[] lines = lines(selected);
        for (int from = 0; from < selected.length; from += BATCH) {
            Item[] batch = new Item[Math.min(BATCH, selected.length - from)];
            int start = from;
            try {
                IntStream.range(0, batch.length).parallel().forEach(i -> batch[i] = read(selected[start + i]));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            for (int i = 0; i < batch.length; i++) {
                int key = selected[start + i];
                consumer.accept(detail(key, batch[i], lines[start + i], maxChars));
            }
        }
    }

    private ItemDetails.Detail detail(int key, Item item, long line, int maxChars) {
        List<ItemDetails.Response> responses = new ArrayList<>();
        int first = columns.responseStart(key);
        for (int i = 0; i < item.responses().size(); i++) {
            var r = item.responses().get(i);
            responses.add(new ItemDetails.Response(i, text(r.text(), maxChars), r.model(), columns.score(first + i),
                    columns.label(first + i), List.of()));
        }
        List<ItemDetails.Turn> turns = new ArrayList<>();
        for (var t : item.turns()) {
            turns.add(new ItemDetails.Turn(t.role(), text(t.content(), maxChars)));
        }
        return new ItemDetails.Detail(key, columns.id(key), text(item.prompt(), maxChars),
                text(item.input(), maxChars), item.reference() == null ? null : text(item.reference(), maxChars),
                columns.header().inputs().get(columns.file(key)).path(), line, responses, turns, item.images());
    }

    /** A text cut to {@code maxChars} code points, with its whole length, as the store cuts it. */
    private static ItemDetails.Text text(String s, int maxChars) {
        return new ItemDetails.Text(cut(s, maxChars), s.codePointCount(0, s.length()));
    }

    private static String cut(String s, int maxChars) {
        return s.codePointCount(0, s.length()) <= maxChars ? s : s.substring(0, s.offsetByCodePoints(0, maxChars));
    }

    @Override
    public List<ItemDetails.Uncertainty> uncertainty(int key) {
        return List.of(); // the scan maps plain numbers: no samples, no scorer's judgments
    }

    /**
     * The line (1-based) of each selected item in its input, as the full ingest numbers them:
     * line feeds before the item's prompt counted in one pass over each file, up to the last one.
     */
    private long[] lines(int[] keys) throws IOException {
        long[] lines = new long[keys.length];
        List<RunColumns.InputFile> files = columns.header().inputs();
        for (int f = 0; f < files.size(); f++) {
            List<long[]> wanted = new ArrayList<>(); // offset, index
            for (int i = 0; i < keys.length; i++) {
                if (columns.file(keys[i]) == f) {
                    wanted.add(new long[] {columns.promptOffset(keys[i]), i});
                }
            }
            if (wanted.isEmpty()) {
                continue;
            }
            wanted.sort((a, b) -> Long.compare(a[0], b[0]));
            try (FileChannel ch = FileChannel.open(Path.of(files.get(f).path()), StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                byte[] b = buf.array();
                long pos = 0; // of b[0]
                long feeds = 0; // line feeds before pos + at
                int n = 0;
                int at = 0;
                for (long[] want : wanted) {
                    while (pos + n <= want[0]) { // count the rest of this block, read the next
                        feeds += feeds(b, at, n);
                        pos += n;
                        buf.clear();
                        n = Math.max(0, ch.read(buf, pos));
                        at = 0;
                        if (n == 0) {
                            throw new InputChangedException(files.get(f).path() + " is shorter than when its map"
                                    + " was built; map it again with 'admap map'");
                        }
                    }
                    int to = (int) (want[0] - pos);
                    feeds += feeds(b, at, to);
                    at = to;
                    lines[(int) want[1]] = feeds + 1;
                }
            }
        }
        return lines;
    }

    private static int feeds(byte[] b, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    /**
     * Item {@code key} whole, with {@code line} as its line: for a reader that numbers the
     * lines once for every item ({@link ScannedRunView}) instead of per call, as {@link #items} does.
     */
    ItemDetails.Detail item(int key, long line, int maxChars) throws IOException {
        return detail(key, texts.item(key), line, maxChars);
    }
}
