package org.admap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.admap.compare.MapComparison;
import org.admap.model.Region;
import org.admap.run.Run;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code admap compare}: how much two alignment data maps agree. */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Compare two alignment data maps: two runs, or several score sources of one run.",
        description = {
                "",
                "How much does the map, and the third selected for training, depend on the scorer or the data " +
                        "version? For two maps of the same instructions: Spearman and Kendall correlation of the " +
                        "instructions' means and of their variances, how many instructions change region and the " +
                        "table of regions (first map's rows, second's columns), the overlap of each region's " +
                        "selections, and Pearson and Spearman correlation of the responses' scores.",
                "",
                "Two runs are joined by instruction id and responses by text, so the order of the inputs does not " +
                        "matter; each run's current map is compared. With --scores, the maps that one run's score " +
                        "sources give are built in memory (the run's own map is untouched) and every pair is compared.",
                "",
                "Prints the comparison and writes it as JSON to --out (default DIR_A/compare.json).",
                "",
                "Examples:",
                "  admap compare run-judge/ run-reward/",
                "  admap compare run/ --scores judge,reward,reference",
                "  admap compare run/ --scores all --out scorers.json",
                ""
        })
final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR_A", description = "A run directory.")
    Path dirA;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DIR_B",
            description = "Another run directory, whose current map is compared with DIR_A's.")
    Path dirB;

    @Option(names = "--scores", paramLabel = "SOURCES", split = ",",
            description = "Score sources of DIR_A to compare with each other (two or more, or 'all').")
    List<String> scores = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "The JSON file (default DIR_A/compare.json).")
    Path out;

    @Option(names = "--force", description = "Replace --out's file if it exists (DIR_A/compare.json is always"
            + " rewritten).")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (dirB != null && !scores.isEmpty()) {
            throw new UserException("give either a second run (DIR_B) or --scores, not both");
        }
        if (dirB == null && scores.isEmpty()) {
            throw new UserException("compare what? give a second run (admap compare " + dirA + " DIR_B) or score"
                    + " sources of this one (admap compare " + dirA + " --scores judge,reward)");
        }
        Run a = Run.open(dirA, TerminalProgress.forStderr(false));
        List<MapComparison> comparisons = new ArrayList<>();
        if (dirB != null) {
            comparisons.add(a.compareWith(Run.open(dirB, TerminalProgress.forStderr(false)), dirA.toString(),
                    dirB.toString()));
        } else {
            comparisons.addAll(a.compareSources(dirA.toString(), scores));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        for (MapComparison c : comparisons) {
            print(stdout, c);
        }
        Path file = out != null ? out : a.directory().compareJson();
        a.writeComparison(comparisons, file, force);
        stdout.println("wrote " + file);
        return ExitCodes.OK;
    }

    static void print(PrintWriter out, MapComparison c) {
        out.printf(Locale.ROOT, "%s vs %s: %,d instructions on both maps (%,d and %,d mapped)%n", c.a(), c.b(),
                c.joined(), c.pointsA(), c.pointsB());
        out.printf(Locale.ROOT, "  means      Spearman %s  Kendall %s%n", fmt(c.meanSpearman()), fmt(c.meanKendall()));
        out.printf(Locale.ROOT, "  variances  Spearman %s  Kendall %s%n", fmt(c.varianceSpearman()),
                fmt(c.varianceKendall()));
        out.printf(Locale.ROOT, "  regions    %,d of %,d change region (%s); high-avg overlap %s%n", c.regionChanges(),
                c.joined(), percent(c.regionChanges(), c.joined()), fmt(c.overlap(Region.HIGH_AVG)));
        out.printf(Locale.ROOT, "  %-12s", "A \\ B");
        for (Region r : Region.values()) {
            out.printf(Locale.ROOT, "%10s", r.cliName());
        }
        out.println();
        for (Region ra : Region.values()) {
            out.printf(Locale.ROOT, "  %-12s", ra.cliName());
            for (Region rb : Region.values()) {
                out.printf(Locale.ROOT, "%,10d", c.count(ra, rb));
            }
            out.println();
        }
        out.printf(Locale.ROOT, "  responses  %,d scored on both sides: Pearson %s  Spearman %s%n", c.responses(),
                fmt(c.responsePearson()), fmt(c.responseSpearman()));
        for (String w : c.warnings()) {
            out.println("  warning: " + w);
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
