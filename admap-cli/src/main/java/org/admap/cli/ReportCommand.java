package org.admap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.admap.report.RunReport;
import org.admap.report.ViewData;
import org.admap.run.Run;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code admap report}: draws a run's map and writes the interactive report. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Draw the map of a run (PNG, SVG) and write the interactive report (report.html).",
        description = {
                "",
                "The picture: variability (variance) on x, quality (mean) on y, the regions tinted with their " +
                        "boundaries dashed, points coloured by region (or by label/score agreement, or by the model " +
                        "of the best response), marginal histograms of both axes, a legend with counts. Large maps " +
                        "are drawn as a density raster, so a million points take about a second.",
                "",
                "report.html: the interactive map in one self-contained file that opens offline: zoom, pan, hover " +
                        "for the prompt, click for the instruction with every response, score, label, model and " +
                        "provenance; filters by region, flag and text; the region table, the diagnosis and score " +
                        "statistics. For big maps it embeds every point (up to --max-points) but the full texts of " +
                        "only --details instructions (flagged ones first); 'admap serve DIR' shows every one.",
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
                    + ", model (the model of each instruction's best-scored response) or stability (region_p in"
                    + " bins: the chance each instruction keeps its region under the judge's noise; maps whose"
                    + " scores have samples or log-probabilities).")
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
                    + " that small, else the flagged ones first, then a spread over the map (default " +
                            "${DEFAULT-VALUE}).")
    int details;

    @Option(names = "--max-text", paramLabel = "CHARS", defaultValue = "10000",
            description = "Characters of one text (instruction, response) in report.html at most"
                    + " (default ${DEFAULT-VALUE}).")
    int maxText;

    @Option(names = "--force", description = "Replace the files named by --out or --html if they exist (the run's"
            + " own map.png, map.svg and report.html are always rewritten).")
    boolean force;

    @CommandLine.Mixin
    QuietFlag quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!(scale > 0 && scale <= 8)) {
            throw new UserException("--scale must be in (0, 8], got " + scale);
        }
        if (maxPoints < 1 || details < 0 || maxText < 1) {
            throw new UserException("--max-points and --max-text must be at least 1, --details at least 0");
        }
        // a scanned run is reported from its columns, without building its store
        Run run = Run.openDeferred(dir, quiet.progress());
        ViewData.Options view = new ViewData.Options(maxPoints, 0, details, maxText, false);
        Path htmlFile = noHtml ? null : html != null ? html : run.directory().reportHtml();
        print(quiet.out(spec), RunReport.render(run, new RunReport.Settings(out, color, format, scale,
                htmlFile, view, force)));
        return ExitCodes.OK;
    }

    /** Prints what a report wrote. */
    static void print(PrintWriter stdout, RunReport.Written w) {
        stdout.printf(Locale.ROOT, "wrote %s (%,d points coloured by %s, %.2f s)%n",
                String.join(", ", w.pictures().stream().map(Path::toString).toList()), w.points(), w.coloring(),
                w.pictureSeconds());
        if (w.html() != null) {
            ViewData.Written e = w.embedded();
            stdout.printf(Locale.ROOT, "wrote %s (%s; %,d points%s; full texts of %,d instructions; %.2f s)%n",
                    w.html(), size(w.htmlBytes()), e.embeddedPoints(),
                    e.embeddedPoints() < e.points() ? String.format(Locale.ROOT, " of %,d", e.points()) : "",
                    e.details(), w.htmlSeconds());
        }
    }

    static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%.0f KB", Math.max(1, bytes / 1024.0));
    }
}
