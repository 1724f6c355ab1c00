package org.admap.cli;

import org.admap.run.StoreHydration;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.admap.report.HtmlReport;
import org.admap.report.MapPlot;
import org.admap.report.RunView;
import org.admap.report.ViewData;
import org.admap.store.RunDirectory;
import org.admap.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code admap report}: draws a run's map and writes the interactive report. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Draw the map of a run (PNG, SVG) and write the interactive report (report.html).",
        description = {
                "",
                "The picture: variability (variance) on x, quality (mean) on y, the regions tinted with their boundaries dashed, points coloured by region (or by label/score agreement, or by the model of the best response), marginal histograms of both axes, a legend with counts. Large maps are drawn as a density raster, so a million points take about a second.",
                "",
                "report.html: the interactive map in one self-contained file that opens offline: zoom, pan, hover for the prompt, click for the instruction with every response, score, label, model and provenance; filters by region, flag and text; the region table, the diagnosis and score statistics. For big maps it embeds every point (up to --max-points) but the full texts of only --details instructions (flagged ones first); 'admap serve DIR' shows every one.",
                "",
                "Examples:",
                "  admap report run/                                 run/map.png, run/map.svg, run/report.html",
                "  admap report run/ --color correlation --out fig.svg",
                "  admap report run/ --color model --format png --no-html",
                ""
        })
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
    Path dir;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "The picture (default DIR/map.png and DIR/map.svg); its extension picks the format"
                    + " unless --format says.")
    Path out;

    @Option(names = "--color", paramLabel = "BY", defaultValue = "region",
            description = "region (default), correlation (label/score agreement in bins around the paper's 0.65)"
                    + " or model (the model of each instruction's best-scored response).")
    String color;

    @Option(names = "--format", paramLabel = "FMT",
            description = "png, svg or both (default: from --out's extension, else both).")
    String format;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "2",
            description = "PNG pixels per unit of the 1200 x 900 picture (default ${DEFAULT-VALUE}: 2400 x 1800).")
    double scale;

    @Option(names = "--html", paramLabel = "FILE", description = "Where to write the report (default DIR/report.html).")
    Path html;

    @Option(names = "--no-html", description = "Draw the picture only.")
    boolean noHtml;

    @Option(names = "--max-points", paramLabel = "N", defaultValue = "250000",
            description = "Points in report.html at most; beyond, every flagged one and a seeded sample"
                    + " (default ${DEFAULT-VALUE}).")
    int maxPoints;

    @Option(names = "--details", paramLabel = "N", defaultValue = "2000",
            description = "Instructions whose full texts report.html embeds at most: all of them when the map is"
                    + " that small, else the flagged ones first, then a spread over the map (default ${DEFAULT-VALUE}).")
    int details;

    @Option(names = "--max-text", paramLabel = "CHARS", defaultValue = "10000",
            description = "Characters of one text (instruction, response) in report.html at most"
                    + " (default ${DEFAULT-VALUE}).")
    int maxText;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What to write. */
    record Settings(Path picture, String color, String format, double scale, Path html, ViewData.Options view) {

        /** The defaults: DIR/map.png, DIR/map.svg and DIR/report.html, coloured by region. */
        static Settings defaults(RunDirectory run) {
            return new Settings(null, "region", null, MapPlot.PNG_SCALE, run.reportHtml(), ViewData.Options.forReport());
        }
    }

    @Override
    public Integer call() throws Exception {
        RunDirectory run = StoreHydration.existing(dir, TerminalProgress.forStderr(false));
        if (!(scale > 0 && scale <= 8)) {
            throw new UserException("--scale must be in (0, 8], got " + scale);
        }
        if (maxPoints < 1 || details < 0 || maxText < 1) {
            throw new UserException("--max-points and --max-text must be at least 1, --details at least 0");
        }
        ViewData.Options view = new ViewData.Options(maxPoints, 0, details, maxText, false);
        Path htmlFile = noHtml ? null : html != null ? html : run.reportHtml();
        render(run, new Settings(out, color, format, scale, htmlFile, view), spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    /** Draws the picture(s) and writes the report, printing what was written. */
    static void render(RunDirectory run, Settings s, PrintWriter stdout) throws Exception {
        String fmt = s.format() != null ? s.format().toLowerCase(Locale.ROOT)
                : s.picture() == null ? "both"
                : s.picture().toString().toLowerCase(Locale.ROOT).endsWith(".svg") ? "svg"
                : s.picture().toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "png" : "both";
        if (!List.of("png", "svg", "both").contains(fmt)) {
            throw new UserException("--format must be png, svg or both, got '" + s.format() + "'");
        }
        String base = s.picture() == null ? run.dir().resolve("map").toString()
                : s.picture().toString().replaceFirst("(?i)\\.(png|svg)$", "");
        try (RunStore store = RunStore.open(run.store())) {
            RunView view = RunView.load(store);
            MapPlot.Figure figure = new MapPlot.Figure(view.title(), view.subtitle(), view.points(),
                    view.coloring(s.color()));
            List<String> written = new ArrayList<>();
            long start = System.nanoTime();
            if (!fmt.equals("svg")) {
                Path png = Path.of(base + ".png");
                MapPlot.writePng(figure, png, s.scale());
                written.add(png.toString());
            }
            if (!fmt.equals("png")) {
                Path svg = Path.of(base + ".svg");
                MapPlot.writeSvg(figure, svg);
                written.add(svg.toString());
            }
            stdout.printf(Locale.ROOT, "wrote %s (%,d points coloured by %s, %.2f s)%n", String.join(", ", written),
                    figure.points().size(), figure.coloring().name(), (System.nanoTime() - start) / 1e9);
            if (s.html() != null) {
                start = System.nanoTime();
                ViewData.Written w = HtmlReport.write(run, view, s.view(), s.html());
                stdout.printf(Locale.ROOT, "wrote %s (%s; %,d points%s; full texts of %,d instructions; %.2f s)%n",
                        s.html(), size(Files.size(s.html())), w.embeddedPoints(),
                        w.embeddedPoints() < w.points() ? String.format(Locale.ROOT, " of %,d", w.points()) : "",
                        w.details(), (System.nanoTime() - start) / 1e9);
            }
        }
    }

    static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%.0f KB", Math.max(1, bytes / 1024.0));
    }
}
