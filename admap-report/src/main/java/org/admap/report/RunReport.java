package org.admap.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.admap.internal.columns.InputChangedException;
import org.admap.internal.columns.InputTexts;
import org.admap.internal.columns.RunColumns;
import org.admap.internal.run.Outputs;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.run.Run;
import org.admap.run.RunException;

/**
 * Draws a run's map (PNG, SVG) and writes its interactive report: the report-level service
 * behind {@code admap report}, {@code admap run} and {@code admap demo}, which only print
 * what it returns.
 *
 * <p>A run with a store is reported from its store. A scanned run without one
 * ({@link Run#hasColumns}) is reported from its columns and its inputs read by offset
 * ({@link ColumnReportSource}), after the inputs' sampled-block fingerprint is checked, and
 * no store is built: the same pictures and report as from the store the run would build,
 * in seconds instead of the minutes of a full ingest. Nothing a report shows needs the store
 * on such a run: scorers' scores, reviews and references only exist in a store, which the
 * command that adds them builds.
 */
public final class RunReport {

    /**
     * What to write.
     *
     * @param picture the picture's file (its extension picks the format unless {@code format}
     *                says), or null for DIR/map.png and DIR/map.svg
     * @param color   region, correlation or model
     * @param format  png, svg or both; null: from the picture's extension, else both
     * @param scale   PNG pixels per unit of the 1200 x 900 picture
     * @param html    the report's file, or null for none
     * @param view    what report.html embeds
     * @param force   replace files the user named that exist
     */
    public record Settings(Path picture, String color, String format, double scale, Path html, ViewData.Options view,
                           boolean force) {

        /** The defaults: DIR/map.png, DIR/map.svg and DIR/report.html, coloured by region. */
        public static Settings defaults(RunDirectory run) {
            return new Settings(null, "region", null, MapPlot.PNG_SCALE, run.reportHtml(), ViewData.Options.forReport(),
                    false);
        }
    }

    /**
     * What was written.
     *
     * @param pictures       the picture files
     * @param points         points drawn
     * @param coloring       how they were coloured
     * @param pictureSeconds the time the pictures took
     * @param html           the report, or null
     * @param htmlBytes      its size
     * @param embedded       what it embeds (null without a report)
     * @param htmlSeconds    the time it took
     */
    public record Written(List<Path> pictures, int points, String coloring, double pictureSeconds, Path html,
                          long htmlBytes, ViewData.Written embedded, double htmlSeconds) {
    }

    private RunReport() {
    }

    /** Draws the picture(s) and writes the report. */
    public static Written render(Run run, Settings s) throws IOException {
        RunDirectory dir = run.directory();
        String fmt = s.format() != null ? s.format().toLowerCase(Locale.ROOT)
                : s.picture() == null ? "both"
                : s.picture().toString().toLowerCase(Locale.ROOT).endsWith(".svg") ? "svg"
                : s.picture().toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "png" : "both";
        if (!List.of("png", "svg", "both").contains(fmt)) {
            throw new RunException("--format must be png, svg or both, got '" + s.format() + "'");
        }
        String base = s.picture() == null ? dir.dir().resolve("map").toString()
                : s.picture().toString().replaceFirst("(?i)\\.(png|svg)$", "");
        Set<Path> own = Set.of(dir.mapPng(), dir.mapSvg(), dir.reportHtml());
        List<Path> pictures = new ArrayList<>();
        if (!fmt.equals("svg")) {
            pictures.add(Path.of(base + ".png"));
        }
        if (!fmt.equals("png")) {
            pictures.add(Path.of(base + ".svg"));
        }
        for (Path p : pictures) {
            Outputs.check(dir, p, s.force(), own);
        }
        if (s.html() != null) {
            Outputs.check(dir, s.html(), s.force(), own);
        }
        if (Run.hasColumns(dir.dir())) {
            run.checkInputsUnchanged(); // the sampled blocks too, as select checks them
            try (RunColumns columns = RunColumns.open(dir.dir()); InputTexts texts = new InputTexts(columns)) {
                return draw(dir, RunView.load(new ColumnReportSource(dir, columns, texts, false)), pictures, s);
            } catch (InputChangedException e) {
                throw new RunException(e.getMessage());
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof InputChangedException changed) {
                    throw new RunException(changed.getMessage());
                }
                throw e;
            }
        }
        try (RunStore store = run.openStore()) {
            return draw(dir, RunView.load(store), pictures, s);
        }
    }

    private static Written draw(RunDirectory dir, RunView view, List<Path> pictures, Settings s) throws IOException {
        MapPlot.Figure figure = new MapPlot.Figure(view.title(), view.subtitle(), view.pointColumns(),
                view.coloring(s.color()));
        // the pictures need only the figure: drawn on a thread of their own while the page is written
        ExecutorService drawing = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "admap-map-pictures");
            t.setDaemon(true);
            return t;
        });
        Future<Double> drawn = drawing.submit(() -> {
            long start = System.nanoTime();
            MapPlot.Drawing shared = MapPlot.Drawing.of(figure); // the PNG and the SVG walk the points once
            for (Path p : pictures) {
                if (p.toString().endsWith(".png")) {
                    MapPlot.writePng(shared, p, s.scale());
                } else {
                    MapPlot.writeSvg(shared, p);
                }
            }
            return (System.nanoTime() - start) / 1e9;
        });
        drawing.shutdown();
        boolean done = false;
        try {
            if (s.html() == null) {
                Written w = new Written(pictures, figure.points().size(), figure.coloring().name(), seconds(drawn),
                        null, 0, null, 0);
                done = true;
                return w;
            }
            long start = System.nanoTime();
            ViewData.Written w = HtmlReport.write(dir, view, s.view(), s.html());
            double htmlSeconds = (System.nanoTime() - start) / 1e9;
            Written written = new Written(pictures, figure.points().size(), figure.coloring().name(),
                    seconds(drawn), s.html(), Files.size(s.html()), w, htmlSeconds);
            done = true;
            return written;
        } finally {
            if (!done) { // the page failed: let the pictures finish (each is written atomically) before it reports
                try {
                    drawn.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    // the page's own failure is the one reported
                }
            }
        }
    }

    /** The seconds the pictures took, once they are written; their failure is this thread's. */
    private static double seconds(Future<Double> drawn) throws IOException {
        return SideTask.result(drawn, "the map's pictures were drawn");
    }
}
