package org.admap.report;

import org.admap.run.JsonFiles;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.admap.Version;
import org.admap.map.Degeneracy;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.admap.store.InputFileRecord;
import org.admap.store.ItemDetails;
import org.admap.store.RunDirectory;
import org.admap.store.RunStore;
import org.admap.store.ScoreSourceInfo;
import org.admap.store.ScoreStatistics;

/**
 * The data the interactive map shows, as JSON: the points (columns of numbers), the
 * colourings, the regions, the flags and the diagnosis, the summary statistics and, for the
 * self-contained report, the full instructions of some of the points. The report embeds it
 * in {@code report.html}; the web viewer serves the same JSON from {@code /api/run} and each
 * instruction from {@code /api/item}.
 *
 * <p>Size policy: every mapped instruction is a point up to {@code maxPoints} (beyond, a
 * seeded sample plus every flagged one); each point carries its id and the first
 * {@code excerptChars} characters of its prompt for hovering and searching (by default 160
 * up to 20,000 points, 64 up to 100,000, 40 beyond); the full texts
 * (each cut at {@code maxTextChars}) of at most {@code maxDetails} instructions are embedded:
 * every one when the map is that small, otherwise the flagged ones first and then an even
 * spread over the map. Everything else is one click away in {@code admap serve}.
 */
public final class ViewData {

    /**
     * What to include.
     *
     * @param maxPoints    points embedded at most
     * @param excerptChars prompt characters per point (hover and search)
     * @param maxDetails   instructions with full texts at most (0 in the viewer: it asks per click)
     * @param maxTextChars characters of one text at most
     * @param serve        written for the web viewer (no embedded details)
     */
    public record Options(int maxPoints, int excerptChars, int maxDetails, int maxTextChars, boolean serve) {

        /** The report's defaults: a file that opens quickly with 100,000 points. */
        public static Options forReport() {
            return new Options(250_000, 0, 2_000, 10_000, false);
        }

        /** The viewer's: points as in the report, no embedded texts (they come per click, nearly whole). */
        public static Options forServe() {
            return new Options(250_000, 0, 0, 1_000_000, true);
        }

        /** Excerpt length: longer for small maps, shorter for large ones (0 picks). */
        int excerpt(int points) {
            return excerptChars > 0 ? excerptChars : points <= 20_000 ? 160 : points <= 100_000 ? 64 : 40;
        }
    }

    /** What went into the JSON, for the command's message. */
    public record Written(int points, int embeddedPoints, int details) {
    }

    private final RunDirectory run;
    private final RunView view;
    private final Options options;

    public ViewData(RunDirectory run, RunView view, Options options) {
        this.run = run;
        this.view = view;
        this.options = options;
    }

    /** Writes the whole JSON object. */
    public Written write(JsonGenerator g) throws IOException {
        ReportSource store = view.data();
        List<MapPoint> all = view.points();
        List<ItemDetails.FlagRow> flagRows = store.flags();
        TreeMap<Integer, List<ItemDetails.FlagRow>> flags = new TreeMap<>();
        for (ItemDetails.FlagRow f : flagRows) {
            flags.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f);
        }
        List<String> reasons = new ArrayList<>(new TreeSet<>(flagRows.stream().map(ItemDetails.FlagRow::reason)
                .toList()));

        int[] embedded = embeddedIndices(all, flags);
        BitSet embeddedKeys = new BitSet();
        for (int i : embedded) {
            embeddedKeys.set(all.get(i).key());
        }
        BitSet detailKeys = options.serve() ? new BitSet() : detailKeys(all, embedded, flags);
        int excerpt = options.excerpt(embedded.length);

        Measures measures = measures(run, view);
        g.writeStartObject();
        g.writeStringField("mode", options.serve() ? "serve" : "report");
        writeMeta(g, store, all.size());
        g.writeObjectFieldStart("policy");
        g.writeNumberField("points", all.size());
        g.writeNumberField("embeddedPoints", embedded.length);
        g.writeBooleanField("sampled", embedded.length < all.size());
        g.writeNumberField("excerptChars", excerpt);
        g.writeNumberField("details", detailKeys.cardinality());
        g.writeBooleanField("allDetails", !options.serve() && detailKeys.cardinality() == embedded.length);
        g.writeNumberField("maxTextChars", options.maxTextChars());
        g.writeEndObject();

        MapPlot.Cuts cuts = MapPlot.Cuts.of(all);
        g.writeObjectFieldStart("cuts");
        number(g, "variance", cuts.variance());
        number(g, "mean", cuts.mean());
        g.writeEndObject();
        writeRegions(g, all);
        writeColorings(g, all, embedded);
        writePoints(g, store, all, embedded, embeddedKeys, flags, reasons, excerpt);

        g.writeArrayFieldStart("flagReasons");
        for (String r : reasons) {
            g.writeString(r);
        }
        g.writeEndArray();
        writeFlags(g, all, flags);
        g.writeFieldName("diagnosis");
        if (Files.isRegularFile(run.diagnosisJson())) {
            g.writeTree(JsonFiles.read(run.diagnosisJson()));
        } else {
            g.writeNull();
        }
        writeSources(g, store);
        writeSummary(g, store);
        TrustData.write(g, run, all);

        if (!options.serve()) {
            g.writeObjectFieldStart("details");
            Map<Integer, MapPoint> byKey = new LinkedHashMap<>();
            for (int i : embedded) {
                byKey.put(all.get(i).key(), all.get(i));
            }
            try {
                store.items(detailKeys, options.maxTextChars(), d -> {
                    try {
                        g.writeFieldName(Integer.toString(d.key()));
                        writeItem(g, d, byKey.get(d.key()), flags.getOrDefault(d.key(), List.of()), null,
                                measures, store.uncertainty(d.key()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        g.flush();
        return new Written(all.size(), embedded.length, detailKeys.cardinality());
    }

    /** Indices of the points to embed: all, or every flagged one plus a seeded sample, in key order. */
    private int[] embeddedIndices(List<MapPoint> all, Map<Integer, ?> flags) {
        int n = all.size();
        if (n <= options.maxPoints()) {
            int[] all0 = new int[n];
            for (int i = 0; i < n; i++) {
                all0[i] = i;
            }
            return all0;
        }
        BitSet chosen = new BitSet(n);
        int count = 0;
        for (int i = 0; i < n && count < options.maxPoints(); i++) {
            if (flags.containsKey(all.get(i).key())) {
                chosen.set(i);
                count++;
            }
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < n && count < options.maxPoints(); i++) {
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            if (!chosen.get(order[i])) {
                chosen.set(order[i]);
                count++;
            }
        }
        return chosen.stream().toArray();
    }

    /** Which embedded instructions get their full texts. */
    private BitSet detailKeys(List<MapPoint> all, int[] embedded, Map<Integer, ?> flags) {
        BitSet keys = new BitSet();
        int max = options.maxDetails();
        if (embedded.length <= max) {
            for (int i : embedded) {
                keys.set(all.get(i).key());
            }
            return keys;
        }
        for (int i : embedded) {
            if (keys.cardinality() >= max) {
                return keys;
            }
            if (flags.containsKey(all.get(i).key())) {
                keys.set(all.get(i).key());
            }
        }
        int left = max - keys.cardinality();
        if (left > 0) {
            double stride = (double) embedded.length / left;
            for (int s = 0; s < left; s++) {
                keys.set(all.get(embedded[(int) (s * stride)]).key());
            }
        }
        return keys;
    }

    private void writeMeta(JsonGenerator g, ReportSource store, int mapped) throws IOException {
        g.writeObjectFieldStart("meta");
        g.writeStringField("title", view.title());
        g.writeStringField("dataset", view.dataset());
        g.writeStringField("scores", view.source());
        g.writeStringField("scoresDescription", view.describeSource());
        g.writeStringField("labels", view.labels());
        g.writeStringField("correlation", view.correlation());
        g.writeStringField("variability", view.variability());
        g.writeStringField("variabilityTitle", view.variabilityTitle());
        g.writeStringField("diagnosisCorrelation", diagnosisCorrelation(run));
        g.writeNumberField("items", store.itemCount());
        g.writeNumberField("responses", store.responseCount());
        g.writeNumberField("mapped", mapped);
        g.writeNumberField("unmapped", store.itemCount() - mapped);
        g.writeStringField("mapCreated", store.mapCreated());
        g.writeStringField("created", Instant.now().toString());
        g.writeStringField("admapVersion", Version.get());
        g.writeStringField("run", run.dir().toAbsolutePath().normalize().toString());
        Degeneracy degeneracy = Degeneracy.of(view.points());
        if (degeneracy.degenerate()) {
            g.writeObjectFieldStart("degenerate");
            g.writeStringField("kind", degeneracy.kind().name().toLowerCase(java.util.Locale.ROOT));
            g.writeStringField("message", degeneracy.message());
            g.writeArrayFieldStart("regions");
            for (Region r : degeneracy.affected()) {
                g.writeString(r.cliName());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeArrayFieldStart("inputs");
        for (InputFileRecord in : store.inputs()) {
            g.writeStartObject();
            g.writeStringField("path", in.path());
            g.writeStringField("format", in.format());
            g.writeStringField("layout", in.layout());
            g.writeNumberField("rows", in.rowsRead());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeRegions(JsonGenerator g, List<MapPoint> all) throws IOException {
        g.writeArrayFieldStart("regions");
        for (Region r : Coloring.REGIONS) {
            long count = 0;
            double[] mean = {Double.NaN, Double.NaN};
            double[] var = {Double.NaN, Double.NaN};
            double regionP = 0;
            for (MapPoint p : all) {
                if (p.region() == r) {
                    count++;
                    widen(mean, p.mean());
                    widen(var, p.variance());
                    regionP += p.regionP();
                }
            }
            g.writeStartObject();
            g.writeStringField("name", r.cliName());
            g.writeStringField("color", Coloring.hex(Coloring.REGION_COLORS.get(r)));
            g.writeNumberField("count", count);
            range(g, "mean", mean);
            range(g, "variance", var);
            if (count > 0 && !Double.isNaN(regionP)) {
                g.writeNumberField("stability", regionP / count); // the mean region_p, when the scores have one
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static boolean hasRegionP(List<MapPoint> all) {
        return all.stream().anyMatch(p -> !Double.isNaN(p.regionP()));
    }

    private static void widen(double[] range, double v) {
        if (Double.isNaN(range[0]) || v < range[0]) {
            range[0] = v;
        }
        if (Double.isNaN(range[1]) || v > range[1]) {
            range[1] = v;
        }
    }

    private void writeColorings(JsonGenerator g, List<MapPoint> all, int[] embedded) throws IOException {
        List<Coloring> colorings = new ArrayList<>();
        colorings.add(view.coloring("region"));
        if (Coloring.hasCorrelation(all)) {
            colorings.add(view.coloring("correlation"));
        }
        colorings.add(view.coloring("model"));
        if (hasRegionP(all)) {
            colorings.add(view.coloring("stability"));
        }
        g.writeArrayFieldStart("colorings");
        for (Coloring c : colorings) {
            g.writeStartObject();
            g.writeStringField("name", c.name());
            g.writeStringField("title", c.title());
            g.writeArrayFieldStart("labels");
            for (String l : c.labels()) {
                g.writeString(l);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("colors");
            for (java.awt.Color col : c.colors()) {
                g.writeString(Coloring.hex(col));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("counts");
            for (long n : c.counts()) {
                g.writeNumber(n);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("of");
            for (int i : embedded) {
                g.writeNumber(c.category()[i]);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void writePoints(JsonGenerator g, ReportSource store, List<MapPoint> all, int[] embedded,
                             BitSet embeddedKeys,
                             Map<Integer, List<ItemDetails.FlagRow>> flags, List<String> reasons, int excerpt)
            throws IOException {
        g.writeObjectFieldStart("points");
        g.writeArrayFieldStart("key");
        for (int i : embedded) {
            g.writeNumber(all.get(i).key());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("id");
        for (int i : embedded) {
            g.writeString(all.get(i).id());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("x");
        for (int i : embedded) {
            g.writeNumber((float) all.get(i).variance());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("y");
        for (int i : embedded) {
            g.writeNumber((float) all.get(i).mean());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("n");
        for (int i : embedded) {
            g.writeNumber(all.get(i).n());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("region");
        for (int i : embedded) {
            g.writeNumber(Coloring.REGIONS.indexOf(all.get(i).region()));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("corr");
        for (int i : embedded) {
            double c = all.get(i).correlation();
            if (Double.isNaN(c)) {
                g.writeNull();
            } else {
                g.writeNumber(Math.round(c * 1000) / 1000.0); // shown with 3 decimals; the item has it whole
            }
        }
        g.writeEndArray();
        if (hasRegionP(all)) {
            // region_p, to draw unstable points faint: 3 decimals, the item has it whole
            g.writeArrayFieldStart("rp");
            for (int i : embedded) {
                double p = all.get(i).regionP();
                if (Double.isNaN(p)) {
                    g.writeNull();
                } else {
                    g.writeNumber(Math.round(p * 1000) / 1000.0);
                }
            }
            g.writeEndArray();
        }
        g.writeArrayFieldStart("flags");
        for (int i : embedded) {
            int bits = 0;
            for (ItemDetails.FlagRow f : flags.getOrDefault(all.get(i).key(), List.of())) {
                bits |= 1 << Math.min(30, reasons.indexOf(f.reason()));
            }
            g.writeNumber(bits);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("text");
        try {
            store.forEachExcerpt(embeddedKeys, excerpt, (key, id, text) -> {
                try {
                    g.writeString(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeFlags(JsonGenerator g, List<MapPoint> all, Map<Integer, List<ItemDetails.FlagRow>> flags)
            throws IOException {
        Map<Integer, String> ids = new LinkedHashMap<>();
        for (MapPoint p : all) {
            if (flags.containsKey(p.key())) {
                ids.put(p.key(), p.id());
            }
        }
        g.writeArrayFieldStart("flags");
        for (Map.Entry<Integer, List<ItemDetails.FlagRow>> e : flags.entrySet()) {
            g.writeStartObject();
            g.writeNumberField("key", e.getKey());
            g.writeStringField("id", ids.getOrDefault(e.getKey(), ""));
            writeFlagRows(g, e.getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeFlagRows(JsonGenerator g, List<ItemDetails.FlagRow> rows) throws IOException {
        g.writeArrayFieldStart("rows");
        for (ItemDetails.FlagRow f : rows) {
            g.writeStartObject();
            g.writeStringField("reason", f.reason());
            for (Map.Entry<String, Object> field : f.fields().entrySet()) {
                Object v = field.getValue();
                if (v instanceof Double d) {
                    number(g, field.getKey(), d);
                } else if (v instanceof Long l) {
                    g.writeNumberField(field.getKey(), l);
                } else {
                    g.writeStringField(field.getKey(), String.valueOf(v));
                }
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeSources(JsonGenerator g, ReportSource store) throws IOException {
        g.writeArrayFieldStart("sources");
        for (String s : store.scoreSources()) {
            g.writeStartObject();
            g.writeStringField("name", s);
            if (s.equals(RunStore.INPUT)) {
                g.writeStringField("kind", "data");
                g.writeStringField("description", "scores that came with the input data");
            } else if (s.equals(RunStore.LABELS)) {
                g.writeStringField("kind", "labels");
                g.writeStringField("description", "the data's own labels (annotations)");
            } else {
                ScoreSourceInfo info = store.scoreSource(s).orElse(null);
                if (info != null) {
                    g.writeStringField("kind", info.kind());
                    g.writeStringField("model", info.model());
                    g.writeStringField("endpoint", info.endpoint());
                    g.writeStringField("promptVersion", info.promptVersion());
                    g.writeStringField("parameters", info.parameters());
                    g.writeStringField("created", info.created() == null ? null : info.created().toString());
                }
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void writeSummary(JsonGenerator g, ReportSource stats) throws IOException {
        List<String> sources = stats.scoreSources();
        g.writeObjectFieldStart("summary");
        g.writeArrayFieldStart("histograms");
        for (String s : sources) {
            ScoreStatistics.SourceStats st = stats.sourceStats(s, 30);
            g.writeStartObject();
            g.writeStringField("source", s);
            g.writeNumberField("count", st.count());
            number(g, "mean", st.mean());
            number(g, "min", st.min());
            number(g, "max", st.max());
            if (st.histogram().values() != null) {
                g.writeArrayFieldStart("values");
                for (double v : st.histogram().values()) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
            } else {
                g.writeArrayFieldStart("edges");
                for (double v : st.histogram().edges()) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
            }
            g.writeArrayFieldStart("counts");
            for (long c : st.histogram().counts()) {
                g.writeNumber(c);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("agreements");
        for (int i = 0; i < sources.size(); i++) {
            for (int j = i + 1; j < sources.size(); j++) {
                ScoreStatistics.Agreement a = stats.agreement(sources.get(i), sources.get(j));
                g.writeStartObject();
                g.writeStringField("a", a.a());
                g.writeStringField("b", a.b());
                g.writeNumberField("n", a.n());
                number(g, "pearson", a.pearson());
                number(g, "spearman", a.spearman());
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("models");
        for (ScoreStatistics.ModelStats m : stats.models(sources, view.source())) {
            g.writeStartObject();
            g.writeStringField("model", m.model());
            g.writeNumberField("responses", m.responses());
            g.writeNumberField("items", m.items());
            g.writeNumberField("best", m.best());
            g.writeObjectFieldStart("means");
            for (Map.Entry<String, Double> e : m.means().entrySet()) {
                number(g, e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * The label/score agreement measures in play: the map's correlation column's and the last
     * diagnosis's (they differ after {@code admap diagnose --corr kendall} on a cosine map), so
     * a page never shows one measure's number under the other's name.
     *
     * @param map       the measure of the map's correlation column, empty when it has none
     * @param diagnosis the measure the last diagnosis flagged by, empty when there is none
     */
    public record Measures(String map, String diagnosis) {
    }

    /** The measures of a run's map and last diagnosis. */
    public static Measures measures(RunDirectory run, RunView view) {
        return new Measures(view.correlation(), diagnosisCorrelation(run));
    }

    /** The agreement measure of the run's last diagnosis ({@code diagnosis.json}), or empty. */
    public static String diagnosisCorrelation(RunDirectory run) {
        if (!Files.isRegularFile(run.diagnosisJson())) {
            return "";
        }
        try {
            return JsonFiles.read(run.diagnosisJson()).path("options").path("correlation").asText("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Writes one instruction: its texts (cut as read; a conversational prompt also as its
     * {@code turns}, each a role and its content), the map's numbers, its flags, every
     * response with its label, model and scores with provenance, and the review mark.
     *
     * @param point    its point on the map, or null when it is not mapped
     * @param review   the reviewer's mark, or null
     * @param measures the agreement measures behind the map's correlation and the flags
     */
    public static void writeItem(JsonGenerator g, ItemDetails.Detail d, MapPoint point,
                                 List<ItemDetails.FlagRow> flags, String review, Measures measures)
            throws IOException {
        writeItem(g, d, point, flags, review, measures, List.of());
    }

    /**
     * Writes one instruction as {@link #writeItem(JsonGenerator, ItemDetails.Detail, MapPoint, List, String,
     * Measures)} does, each response also with its scores' {@code uncertainty}: per source, the
     * judgments behind the score ({@code samples}) and its standard error ({@code se}, null when unknown).
     */
    public static void writeItem(JsonGenerator g, ItemDetails.Detail d, MapPoint point,
                                 List<ItemDetails.FlagRow> flags, String review, Measures measures,
                                 List<ItemDetails.Uncertainty> uncertainty)
            throws IOException {
        g.writeStartObject();
        g.writeNumberField("key", d.key());
        g.writeStringField("id", d.id());
        text(g, "prompt", d.prompt());
        if (d.isConversation()) {
            // The prompt as the input gave it, turn by turn; "prompt" stays its flattened text, for search.
            g.writeArrayFieldStart("turns");
            for (ItemDetails.Turn t : d.turns()) {
                g.writeStartObject();
                g.writeStringField("role", t.role());
                text(g, "content", t.content());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (!d.images().isEmpty()) {
            PromptImagesView.write(g, d.images());
        }
        if (!d.input().text().isEmpty()) {
            text(g, "input", d.input());
        }
        if (d.reference() != null) {
            text(g, "reference", d.reference());
        }
        g.writeStringField("source", d.file() + ":" + d.line());
        if (point != null) {
            g.writeObjectFieldStart("map");
            g.writeNumberField("n", point.n());
            g.writeNumberField("mean", point.mean());
            g.writeNumberField("variance", point.variance());
            g.writeNumberField("std", point.std());
            g.writeStringField("region", point.region().cliName());
            number(g, "correlation", point.correlation());
            if (!Double.isNaN(point.regionP())) {
                g.writeNumberField("region_p", point.regionP());
            }
            if (!measures.map().isEmpty()) {
                g.writeStringField("correlationMeasure", measures.map());
            }
            g.writeEndObject();
        }
        if (!measures.diagnosis().isEmpty()) {
            g.writeStringField("diagnosisCorrelation", measures.diagnosis());
        }
        writeFlagRows(g, flags);
        if (review != null) {
            g.writeStringField("review", review);
        }
        g.writeArrayFieldStart("responses");
        for (ItemDetails.Response r : d.responses()) {
            g.writeStartObject();
            g.writeNumberField("position", r.position());
            g.writeStringField("model", r.model());
            number(g, "label", r.label());
            number(g, "score", r.inputScore());
            text(g, "text", r.text());
            g.writeArrayFieldStart("uncertainty");
            for (ItemDetails.Uncertainty u : uncertainty) {
                if (u.position() == r.position()) {
                    g.writeStartObject();
                    g.writeStringField("source", u.source());
                    g.writeNumberField("samples", u.samples());
                    number(g, "se", u.se());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("scores");
            for (ItemDetails.Score s : r.scores()) {
                g.writeStartObject();
                g.writeStringField("source", s.source());
                number(g, "value", s.value());
                g.writeStringField("status", s.status());
                if (s.error() != null) {
                    g.writeStringField("error", s.error());
                }
                if (s.model() != null) {
                    g.writeStringField("model", s.model());
                }
                if (s.endpoint() != null) {
                    g.writeStringField("endpoint", s.endpoint());
                }
                whole(g, "tokensIn", s.tokensIn());
                whole(g, "tokensOut", s.tokensOut());
                number(g, "costUsd", s.costUsd());
                whole(g, "latencyMs", s.latencyMs());
                whole(g, "attempts", s.attempts());
                if (s.created() != null) {
                    g.writeStringField("created", s.created().toString());
                }
                if (s.rawOutput() != null) {
                    text(g, "raw", s.rawOutput());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** A text as {@code "name": "..."}, plus {@code "nameLength"} when it was cut. */
    private static void text(JsonGenerator g, String name, ItemDetails.Text t) throws IOException {
        g.writeStringField(name, t.text());
        if (t.truncated()) {
            g.writeNumberField(name + "Length", t.length());
        }
    }

    private static void number(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(name, v);
        } else {
            g.writeNullField(name);
        }
    }

    private static void whole(JsonGenerator g, String name, long v) throws IOException {
        if (v >= 0) {
            g.writeNumberField(name, v);
        }
    }

    private static void range(JsonGenerator g, String name, double[] r) throws IOException {
        g.writeArrayFieldStart(name);
        for (double v : r) {
            if (Double.isNaN(v)) {
                g.writeNull();
            } else {
                g.writeNumber(v);
            }
        }
        g.writeEndArray();
    }
}
