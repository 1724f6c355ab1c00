package org.admap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.admap.map.Degeneracy;
import org.admap.run.Run;
import org.admap.select.ExportFormat;
import org.admap.select.PairBuilder;
import org.admap.select.PairMode;
import org.admap.select.SelectionExport;
import org.admap.select.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code admap select}: exports the DPO training pairs of a region of the map. */
@Command(name = "select",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Export the DPO training pairs of a region of the map.",
        description = {
                "",
                "Selects instructions from the run's map and writes their preference pairs: every pair of responses whose labels differ, the higher-labelled one chosen (ties and identical texts skipped). The paper trains on high-avg: a third of the data that matches or beats all of it.",
                "",
                "--fraction keeps the most typical share of a region: high-avg by mean (best first), low-avg by mean (worst first), high-var by variance (largest first), all by mean. random draws a seeded sample, by default the size of high-avg (the paper's baseline).",
                "",
                "Writes FILE and FILE.provenance.json (which run, map, region and options made it). Instructions marked drop in the web viewer (admap serve) are left out, and counted.",
                "",
                "Examples:",
                "  admap select run/ --region high-avg --out high-avg.jsonl              (TRL)",
                "  admap select run/ --region high-avg --format llama-factory \\",
                "            --out high-avg.json",
                "  admap select run/ --region random --seed 42 --out random.parquet",
                "  admap select run/ --region high-var --format multi --out high-var.jsonl",
                "  admap select run/ --region high-avg --min-region-p 0.9 --out stable.jsonl",
                ""
        })
final class SelectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
    Path dir;

    @Option(names = "--region", paramLabel = "REGION", required = true,
            description = "high-avg, low-avg, high-var, all (every mapped instruction) or random.")
    String region;

    @Option(names = "--fraction", paramLabel = "F",
            description = "Keep this share of the selection, in (0, 1] (default: 1; random: the size of high-avg).")
    Double fraction;

    @Option(names = "--min-region-p", paramLabel = "P",
            description = "Keep only stable instructions: those that keep their region with probability at least P"
                    + " when the scores are drawn again (map.csv's region_p; the map needs scores with uncertainty,"
                    + " e.g. score --samples 3). Applied before --fraction.")
    Double minRegionP;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of the random selection (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pairs", paramLabel = "MODE", defaultValue = "all",
            description = "all (every differing pair, default) or best-worst (one pair per instruction).")
    String pairs;

    @Option(names = "--pair-by", paramLabel = "VALUES", defaultValue = "labels",
            description = "What ranks the responses into pairs: labels (the data's labels; the default) or scores"
                    + " (the map's scores).")
    String pairBy;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "trl (JSON lines: prompt, chosen, rejected, score_chosen, score_rejected),"
                    + " llama-factory (instruction, input, chosen, rejected), parquet (TRL columns),"
                    + " or multi (the instructions in admap's layout). Default: from the file name"
                    + " (.parquet: parquet), else trl.")
    String format;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "The file to write.")
    Path out;

    @Option(names = "--force", description = "Replace FILE (and its provenance) if it exists.")
    boolean force;

    @Option(names = "--allow-degenerate",
            description = "Select even when the map is degenerate: every instruction has the same mean (pairwise"
                    + " data with labels only), so its regions come from the id tie-break, not from the data."
                    + " Refused by default for high-avg, low-avg, high-var and a --fraction of all.")
    boolean allowDegenerate;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Run run = Run.open(dir, TerminalProgress.forStderr(false));
        Target target = Target.parse(region);
        ExportFormat fmt = format != null ? ExportFormat.parse(format)
                : out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet") ? ExportFormat.PARQUET
                : ExportFormat.TRL;
        PairBuilder.By by = switch (pairBy.toLowerCase(Locale.ROOT)) {
            case "labels", "label" -> PairBuilder.By.LABELS;
            case "scores", "score" -> PairBuilder.By.SCORES;
            default -> throw new UserException("--pair-by must be labels or scores, got '" + pairBy + "'");
        };
        Degeneracy degeneracy = run.checkSelectable(target, fraction, allowDegenerate);
        if (degeneracy.degenerate()) {
            spec.commandLine().getErr().println("warning: " + degeneracy.message());
        }
        SelectionExport.Result r = run.select(target, fraction, seed, minRegionP == null ? Double.NaN : minRegionP,
                new SelectionExport.Options(PairMode.parse(pairs), by, fmt), out, force, spec.commandLine().getErr());
        PrintWriter stdout = spec.commandLine().getOut();
        if (r.skippedDropped() > 0) {
            stdout.printf(Locale.ROOT, "skipped %,d instructions marked drop in the viewer (admap serve)%n",
                    r.skippedDropped());
        }
        stdout.printf(Locale.ROOT, "selected %,d instructions (%s)", r.instructions(), target.cliName());
        if (fmt.holdsPairs()) {
            stdout.printf(Locale.ROOT, ": %,d pairs (%s, by %s)", r.records(), PairMode.parse(pairs).cliName(),
                    r.by().name().toLowerCase(Locale.ROOT));
            if (r.withoutPairs() > 0) {
                stdout.printf(Locale.ROOT, "; %,d instructions gave no pair (tied or identical responses)",
                        r.withoutPairs());
            }
        }
        stdout.println();
        stdout.println("wrote " + out + " (" + fmt.cliName() + "), " + provenancePath(out));
        if (fmt == ExportFormat.LLAMA_FACTORY) {
            stdout.println("register it in LLaMA-Factory's data/dataset_info.json as shown in "
                    + provenancePath(out) + " (\"dataset_info\")");
        }
        return ExitCodes.OK;
    }

    static Path provenancePath(Path out) {
        return SelectionExport.provenancePath(out);
    }
}
