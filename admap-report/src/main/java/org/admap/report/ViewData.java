package org.admap.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.admap.internal.run.JsonFiles;
import org.admap.internal.store.ItemDetails;
import org.admap.internal.store.RunDirectory;
import org.admap.model.MapPoint;

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
 *
 * <p>This class puts the page's object together in its order; each part has its own class:
 * the size policy {@link EmbeddedPoints}, the flags by key {@link FlagIndex}, {@link RunMetaJson},
 * {@link RegionSummary}, {@link ColoringsJson}, {@link PointColumnsJson}, {@link FlagsJson},
 * {@link ScoreSourcesJson}, {@link ScoreSummaryJson}, {@link TrustData} and one instruction's
 * {@link ItemJson}.
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
            return excerptChars > 0 ? excerptChars : ItemDetails.excerptChars(points);
        }
    }

    /** What went into the JSON, for the command's message. */
    public record Written(int points, int embeddedPoints, int details) {
    }

    /** Embedded instructions read ahead, held until written, at most (more are read as they are written). */
    private static final int READ_ASIDE = 10_000;

    private final RunDirectory run;
    private final RunView view;
    private final Options options;

    public ViewData(RunDirectory run, RunView view, Options options) {
        this.run = run;
        this.view = view;
        this.options = options;
    }

    /**
     * Sets up a generator of the page's data as every writer of it does (report.html, and
     * {@code admap serve}'s map and items, so that the two show the same digits): doubles by
     * Jackson's shortest-digits writer ({@code USE_FAST_DOUBLE_WRITER}, Schubfach) instead of
     * JDK 17's {@code Double.toString}, which is slower and is one of the larger methods the
     * JIT compiles in a report (report on 1M x 4: 0.96x wall over 9 runs, the same page).
     */
    public static JsonGenerator configure(JsonGenerator g) {
        return g.enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());
    }

    /** Writes the whole JSON object. */
    public Written write(JsonGenerator g) throws IOException {
        ReportSource store = view.data();
        if (!store.concurrent()) {
            return write(g, null, new ArrayList<>(), null, null);
        }
        // the statistics and the embedded instructions need no part of the page before them:
        // read on a thread of their own while the points are written
        ExecutorService aside = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "admap-report-data");
            t.setDaemon(true);
            return t;
        });
        try {
            return write(g, aside);
        } finally {
            aside.shutdown();
        }
    }

    /** Writes the whole JSON object, what it can on {@code aside} when there is one. */
    private Written write(JsonGenerator g, ExecutorService aside) throws IOException {
        ReportSource store = view.data();
        List<Future<?>> started = new ArrayList<>();
        // in the order the page needs them
        Future<List<Coloring>> colorings = submit(aside, started, () -> ColoringsJson.of(view, view.pointColumns()));
        Future<ScoreSummaryJson.Summary> summary = submit(aside, started,
                () -> ScoreSummaryJson.compute(store, view.source()));
        try {
            return write(g, aside, started, colorings, summary);
        } finally {
            for (Future<?> f : started) { // finished before the caller closes what they read
                try {
                    f.get();
                } catch (ExecutionException e) {
                    // the page's own failure, or this one as it read it, is the one reported
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private Written write(JsonGenerator g, ExecutorService aside, List<Future<?>> started,
                          Future<List<Coloring>> colorings, Future<ScoreSummaryJson.Summary> summary)
            throws IOException {
        ReportSource store = view.data();
        PointColumns all = view.pointColumns();
        FlagIndex flags = FlagIndex.of(store.flags());
        EmbeddedPoints sample = EmbeddedPoints.choose(all, flags, options);
        Measures measures = measures(run, view);
        Future<List<ItemDetails.Detail>> details = aside == null || options.serve()
                || sample.detailKeys().cardinality() > READ_ASIDE ? null
                : submit(aside, started, () -> {
                    List<ItemDetails.Detail> read = new ArrayList<>();
                    store.items(sample.detailKeys(), options.maxTextChars(), read::add);
                    return read;
                });
        g.writeStartObject();
        g.writeStringField("mode", options.serve() ? "serve" : "report");
        RunMetaJson.write(g, run, view, store, all.size());
        sample.writePolicy(g, all.size(), options);
        MapPlot.Cuts cuts = MapPlot.Cuts.of(all);
        g.writeObjectFieldStart("cuts");
        JsonNumbers.number(g, "variance", cuts.variance());
        JsonNumbers.number(g, "mean", cuts.mean());
        g.writeEndObject();
        RegionSummary.writeAll(g, all);
        if (colorings == null) {
            ColoringsJson.write(g, view, all, sample.indices());
        } else {
            ColoringsJson.write(g, result(colorings), sample.indices());
        }
        PointColumnsJson.write(g, store, all, sample, flags);
        FlagsJson.write(g, store, all, flags);
        g.writeFieldName("diagnosis");
        if (Files.isRegularFile(run.diagnosisJson())) {
            g.writeTree(JsonFiles.read(run.diagnosisJson()));
        } else {
            g.writeNull();
        }
        ScoreSourcesJson.write(g, store);
        if (summary == null) {
            ScoreSummaryJson.write(g, store, view.source());
        } else {
            ScoreSummaryJson.write(g, result(summary));
        }
        TrustData.write(g, run, all, view.source());
        if (!options.serve()) {
            writeDetails(g, store, all, sample, flags, measures, details == null ? null : result(details));
        }
        g.writeEndObject();
        g.flush();
        return new Written(all.size(), sample.indices().length, sample.detailKeys().cardinality());
    }

    /**
     * The {@code details} object: the full texts of the sample's detail instructions, by key.
     *
     * @param read the instructions read ahead, in key order, or null to read them here
     */
    private void writeDetails(JsonGenerator g, ReportSource store, PointColumns all, EmbeddedPoints sample,
                              FlagIndex flags, Measures measures, List<ItemDetails.Detail> read)
            throws IOException {
        g.writeObjectFieldStart("details");
        Consumer<ItemDetails.Detail> write = d -> {
            try {
                g.writeFieldName(Integer.toString(d.key()));
                ItemJson.write(g, d, embeddedPoint(all, sample, d.key()), flags.rows(d.key()), null, measures,
                        store.uncertainty(d.key()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        try {
            if (read != null) {
                read.forEach(write);
            } else {
                store.items(sample.detailKeys(), options.maxTextChars(), write);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        g.writeEndObject();
    }

    private static <T> Future<T> submit(ExecutorService aside, List<Future<?>> started, Callable<T> task) {
        Future<T> f = aside.submit(task);
        started.add(f);
        return f;
    }

    /** What a task on the side thread gave; its failure is this thread's, as if it had run here. */
    private static <T> T result(Future<T> f) throws IOException {
        return SideTask.result(f, "the report's data was read");
    }

    /** The embedded point of item {@code key}, or null: made only for the few with details. */
    private static MapPoint embeddedPoint(PointColumns all, EmbeddedPoints sample, int key) {
        int i = sample.keys().get(key) ? all.indexOfKey(key) : -1;
        return i < 0 ? null : all.get(i);
    }

    /** Whether any point has a region_p (scores with uncertainty): the page then shows stability. */
    static boolean hasRegionP(PointColumns all) {
        return all.anyRegionP();
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
                                 List<ItemDetails.ViewerFlag> flags, String review, Measures measures)
            throws IOException {
        writeItem(g, d, point, flags, review, measures, List.of());
    }

    /**
     * Writes one instruction as {@link #writeItem(JsonGenerator, ItemDetails.Detail, MapPoint, List, String,
     * Measures)} does, each response also with its scores' {@code uncertainty}: per source, the
     * judgments behind the score ({@code samples}) and its standard error ({@code se}, null when unknown).
     */
    public static void writeItem(JsonGenerator g, ItemDetails.Detail d, MapPoint point,
                                 List<ItemDetails.ViewerFlag> flags, String review, Measures measures,
                                 List<ItemDetails.Uncertainty> uncertainty)
            throws IOException {
        ItemJson.write(g, d, point, flags, review, measures, uncertainty);
    }
}
