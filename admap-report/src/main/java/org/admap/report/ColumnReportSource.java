package org.admap.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.admap.internal.columns.InputTexts;
import org.admap.internal.columns.PromptExcerpts;
import org.admap.internal.columns.RunColumns;
import org.admap.internal.run.JsonFiles;
import org.admap.internal.run.StoreFlags;
import org.admap.internal.store.InputFileRecord;
import org.admap.internal.store.ItemDetails;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreSourceInfo;
import org.admap.internal.store.ScoreStatistics;
import org.admap.model.Item;
import org.admap.model.MapPoint;

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
 * <p>Means are added in key order here and in the database's order there, and the correlations
 * in key order in both but by another formula there (org.admap.stats.Pearson's), so they may
 * differ in the last bits; counts, ranges, histograms and texts are equal.
 */
final class ColumnReportSource implements ReportSource {

    /** Items read at once in the models' pass: enough for every core, few enough to hold. */
    private static final int BATCH = 4096;

    private final RunDirectory run;
    private final RunColumns columns;
    private final InputTexts texts;
    private final ArrayPointColumns points;
    private final LineFeeds lineFeeds;
    /** Each response's model, null when it has none (read on first use). */
    private String[] models;
    /** The values of the data's scores, its labels and any other source, by response (read on first use). */
    private final double[][] values = new double[3][];
    /** The source {@link #best} was last asked for, and its answer (both the statistics and the colouring ask). */
    private String bestSource;
    private int[] best;

    /** Reads from {@code columns} and the inputs {@code texts} opened (both stay the caller's to close). */
    ColumnReportSource(RunDirectory run, RunColumns columns, InputTexts texts) {
        this(run, columns, texts, true);
    }

    /**
     * Reads as {@link #ColumnReportSource(RunDirectory, RunColumns, InputTexts)}, the points
     * without their ids unless {@code ids} ({@link #id} reads each one asked for): a report needs
     * the ids of a quarter of the points, and a million id strings cost it more heap and garbage
     * collection than the rest of its points.
     */
    ColumnReportSource(RunDirectory run, RunColumns columns, InputTexts texts, boolean ids) {
        this.run = run;
        this.columns = columns;
        this.texts = texts;
        this.points = ArrayPointColumns.read(columns, ids);
        this.lineFeeds = new LineFeeds(columns.header().inputs().stream().map(RunColumns.InputFile::path).toList(),
                new ItemStretches(columns));
    }

    /**
     * Each item's stretch of its line for {@link LineFeeds}: from its prompt's opening quote
     * to the end of its last response's text (the scan took each item as one JSON line, which
     * holds no line feed); only the quote when the prompt comes after the texts.
     */
    private record ItemStretches(RunColumns columns) implements LineFeeds.Extents {
        @Override
        public int items() {
            return columns.items();
        }

        @Override
        public int file(int item) {
            return columns.file(item);
        }

        @Override
        public long start(int item) {
            return columns.promptOffset(item);
        }

        @Override
        public long end(int item) {
            long prompt = columns.promptOffset(item);
            int to = columns.responseEnd(item);
            if (to == columns.responseStart(item)) {
                return prompt + 1;
            }
            return Math.max(prompt + 1, columns.textOffset(to - 1) + columns.textLength(to - 1));
        }
    }

    /** The {@link #pointColumns()} as a list, each point made as it is asked for. */
    @Override
    public List<MapPoint> points() {
        return points.asList();
    }

    /** The columns' points in primitive arrays, read once: no object per instruction. */
    @Override
    public PointColumns pointColumns() {
        return points;
    }

    /** True: the columns and inputs are read by absolute positions, and what is read once is kept under a lock. */
    @Override
    public boolean concurrent() {
        return true;
    }

    @Override
    public String id(MapPoint p) {
        return p.id() != null ? p.id() : columns.id(p.key());
    }

    @Override
    public String id(PointColumns of, int i) {
        return columns.id(of.key(i));
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
            // the input as the user named it: the columns may read a gzip input's or a table's copy instead
            list.add(new InputFileRecord(i, s.path("path").asText(files.get(i).path()),
                    s.path("format").asText("jsonl"), s.path("format").asText("").endsWith(".gz"),
                    s.path("layout").asText("multi-response"), s.path("bytes").asLong(files.get(i).size()), null,
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
        for (double v : values(source)) {
            if (!Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every response's value from {@code source} (input or labels), NaN where it has none:
     * read from the columns once per source, as the statistics walk them several times over
     * (a million responses, each read through the mapped file, were a tenth of the report).
     */
    private synchronized double[] values(String source) {
        int which = switch (source) {
            case RunStore.INPUT -> 0;
            case RunStore.LABELS -> 1;
            default -> 2; // a scorer's: a run with one has a store
        };
        double[] v = values[which];
        if (v == null) {
            v = new double[columns.responses()];
            if (which == 0) {
                for (int r = 0; r < v.length; r++) {
                    v[r] = columns.score(r);
                }
            } else if (which == 1) {
                for (int r = 0; r < v.length; r++) {
                    v[r] = columns.label(r);
                }
            } else {
                Arrays.fill(v, Double.NaN);
            }
            values[which] = v;
        }
        return v;
    }

    @Override
    public List<ItemDetails.ViewerFlag> flags() {
        List<ItemDetails.ViewerFlag> rows = new ArrayList<>();
        try {
            for (RunStore.StoredFlag f : StoreFlags.read(run)) {
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
                rows.add(new ItemDetails.ViewerFlag(f.key(), f.reason(), fields));
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
        FewValues.Counts distinct = new FewValues.Counts(bins); // up to bins values
        double[] all = values(source);
        for (double v : all) {
            if (Double.isNaN(v)) {
                continue;
            }
            count++;
            sum += v;
            min = count == 1 || v < min ? v : min;
            max = count == 1 || v > max ? v : max;
            distinct.add(v);
        }
        if (count == 0) {
            return new ScoreStatistics.SourceStats(source, 0, Double.NaN, Double.NaN, Double.NaN,
                    new ScoreStatistics.Histogram(null, new double[0], new long[0]));
        }
        ScoreStatistics.Histogram histogram;
        if (!distinct.over()) {
            double[] values = distinct.values();
            histogram = new ScoreStatistics.Histogram(null, values, distinct.counts(values));
        } else {
            // the store's bins: least(floor((value - min) / width), bins - 1)
            double width = (max - min) / bins;
            double[] edges = new double[bins + 1];
            for (int i = 0; i <= bins; i++) {
                edges[i] = min + i * width;
            }
            edges[bins] = max;
            long[] counts = new long[bins];
            for (double v : all) {
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
        double[] as = values(a);
        double[] bs = values(b);
        int n = 0;
        for (int r = 0; r < as.length; r++) {
            if (!Double.isNaN(as[r]) && !Double.isNaN(bs[r])) {
                n++;
            }
        }
        double[] x = as;
        double[] y = bs;
        if (n < as.length) { // only the responses with both values (else the sources' own arrays, unchanged)
            x = new double[n];
            y = new double[n];
            for (int r = 0, i = 0; r < as.length; r++) {
                if (!Double.isNaN(as[r]) && !Double.isNaN(bs[r])) {
                    x[i] = as[r];
                    y[i++] = bs[r];
                }
            }
        }
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
        double[] few = FewValues.ranks(v);
        if (few != null) {
            return few;
        }
        double[] sorted = v.clone();
        Arrays.parallelSort(sorted);
        // one entry per run of equal values: its first value and its average rank (scores and
        // labels take few distinct values, so each lookup searches a small array)
        double[] firsts = new double[Math.min(sorted.length, 1024)];
        double[] average = new double[firsts.length];
        int runs = 0;
        for (int first = 0, end; first < sorted.length; first = end) {
            end = first + 1;
            while (end < sorted.length && sorted[end] == sorted[first]) {
                end++;
            }
            if (runs == firsts.length) {
                firsts = Arrays.copyOf(firsts, 2 * runs);
                average = Arrays.copyOf(average, 2 * runs);
            }
            firsts[runs] = sorted[first];
            average[runs++] = first + 1 + (end - first - 1) / 2.0;
        }
        double[] runFirsts = firsts;
        double[] runAverage = average;
        int n = runs;
        double[] ranks = new double[v.length];
        IntStream.range(0, v.length).parallel().forEach(i -> ranks[i] = runAverage[lowerBound(runFirsts, n, v[i])]);
        return ranks;
    }

    /** The first index in {@code sorted[0, n)} whose value is not below {@code v}. */
    private static int lowerBound(double[] sorted, int n, double v) {
        int lo = 0;
        int hi = n;
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
        // each response's model as a number (a handful of names, a million responses), then
        // every count and sum in arrays, added in the order the maps of names added them
        ResponseModels codes = columns.hasModels() ? ResponseModels.of(columns) : ResponseModels.of(models());
        int[] model = codes.model();
        List<String> names = codes.names();
        int ns = sources.size();
        double[][] bySource = new double[ns][];
        for (int s = 0; s < ns; s++) {
            bySource[s] = values(sources.get(s));
        }
        long[][] counts = new long[names.size()][3]; // responses, items, best
        double[][] sums = new double[names.size()][ns];
        long[][] valued = new long[names.size()][ns];
        for (int key = 0; key < columns.items(); key++) {
            int from = columns.responseStart(key);
            int to = columns.responseEnd(key);
            for (int r = from; r < to; r++) {
                int m = model[r];
                long[] c = counts[m];
                c[0]++;
                boolean first = true;
                for (int q = from; q < r && first; q++) {
                    first = model[q] != m;
                }
                if (first) {
                    c[1]++;
                }
                for (int s = 0; s < ns; s++) {
                    double v = bySource[s][r];
                    if (!Double.isNaN(v)) {
                        sums[m][s] += v;
                        valued[m][s]++;
                    }
                }
            }
        }
        for (int best : best(bestBy)) {
            if (best >= 0) {
                counts[model[best]][2]++;
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int m = 0; m < names.size(); m++) {
            order.add(m);
        }
        order.sort((e, f) -> counts[e][0] != counts[f][0] ? Long.compare(counts[f][0], counts[e][0])
                : compareUtf8(names.get(e), names.get(f)));
        List<ScoreStatistics.ModelStats> list = new ArrayList<>();
        for (int m : order) {
            Map<String, Double> means = new LinkedHashMap<>();
            for (int s = 0; s < ns; s++) {
                if (valued[m][s] > 0) {
                    means.put(sources.get(s), sums[m][s] / valued[m][s]);
                }
            }
            list.add(new ScoreStatistics.ModelStats(names.get(m), counts[m][0], counts[m][1], counts[m][2], means));
        }
        return list;
    }

    /** The store orders text by its UTF-8 bytes: by code points. */
    private static int compareUtf8(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    /**
     * Each point's best response on {@code source} ({@link #best(int, double[])}), by point:
     * worked out once for the model statistics and the model colouring alike.
     */
    private synchronized int[] best(String source) {
        if (!source.equals(bestSource)) {
            double[] bestValues = values(source);
            int[] out = new int[points.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = best(points.key(i), bestValues);
            }
            best = out;
            bestSource = source;
        }
        return best;
    }

    /** The response of item {@code key} that scores highest on {@code values} (ties: the earlier), or -1. */
    private int best(int key, double[] values) {
        int best = -1;
        double top = Double.NaN;
        for (int r = columns.responseStart(key); r < columns.responseEnd(key); r++) {
            double v = values[r];
            if (!Double.isNaN(v) && (best < 0 || v > top)) {
                best = r;
                top = v;
            }
        }
        return best;
    }

    @Override
    public String[] bestModels(String source) {
        // columns with models name the best responses' models directly, without a String per response
        String[] byResponse = columns.hasModels() ? null : models();
        String[] out = new String[columns.items()];
        int[] best = best(source);
        for (int i = 0; i < best.length; i++) {
            if (best[i] >= 0) {
                out[points.key(i)] = byResponse == null ? columns.model(best[i]) : byResponse[best[i]];
            }
        }
        return out;
    }

    /** Every response's model: from the columns, else read from the inputs in one parallel pass. */
    private synchronized String[] models() {
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
        try (PromptExcerpts made = PromptExcerpts.open(run.dir(), columns.header().mapCreated(), columns.items())) {
            if (made != null && made.maxChars() == maxChars) { // map made them from the prompts it read
                for (int key : selected) {
                    consumer.accept(key, columns.id(key), made.get(key));
                }
                return;
            }
        }
        for (int from = 0; from < selected.length; from += BATCH) {
            String[] batch = new String[Math.min(BATCH, selected.length - from)];
            int start = from;
            try {
                IntStream.range(0, batch.length).parallel().forEach(i -> {
                    try {
                        // as the store cuts them: each text to its first excerptSource code points first
                        String[] pi = texts.promptAndInputCut(selected[start + i], ItemDetails.excerptSource(maxChars));
                        batch[i] = ItemDetails.excerpt(pi[0], pi[1], maxChars);
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
        List<ItemDetails.ResponseDetails> responses = new ArrayList<>();
        int first = columns.responseStart(key);
        for (int i = 0; i < item.responses().size(); i++) {
            var r = item.responses().get(i);
            responses.add(new ItemDetails.ResponseDetails(i, text(r.text(), maxChars), r.model(),
                    columns.score(first + i), columns.label(first + i), List.of()));
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
     * the line feeds before the item's prompt ({@link LineFeeds}: counted per block while the report is made).
     */
    private long[] lines(int[] keys) throws IOException {
        int[] files = new int[keys.length];
        long[] offsets = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            files[i] = columns.file(keys[i]);
            offsets[i] = columns.promptOffset(keys[i]);
        }
        long[] lines = lineFeeds.before(files, offsets);
        for (int i = 0; i < lines.length; i++) {
            lines[i]++;
        }
        return lines;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

    /** The line feeds in {@code b[from, to)}, eight bytes at a time. */
    static int feeds(byte[] b, int from, int to) {
        int n = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ ('\n' * ONES); // a zero byte where a line feed was
            // the high bit of each byte set exactly where that byte is zero (no carries between bytes)
            long zero = ~(((x & LOW7) + LOW7) | x | LOW7);
            n += Long.bitCount(zero);
        }
        for (; i < to; i++) {
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
