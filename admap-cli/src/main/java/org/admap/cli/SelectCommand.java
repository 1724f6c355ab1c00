package org.admap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.admap.map.Degeneracy;
import org.admap.options.PairFlags;
import org.admap.run.Run;
import org.admap.select.DatasetInfo;
import org.admap.select.ExportFormat;
import org.admap.select.SelectionExport;
import org.admap.select.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
                "Selects instructions from the run's map and writes their preference pairs: every pair of responses " +
                        "whose labels differ, the higher-labelled one chosen (ties and identical texts skipped). The " +
                        "paper trains on high-avg: a third of the data that matches or beats all of it.",
                "",
                "--fraction keeps the most typical share of a region: high-avg by mean (best first), low-avg by mean " +
                        "(worst first), high-var by variance (largest first), all by mean. random draws a seeded " +
                        "sample, by default the size of high-avg (the paper's baseline).",
                "",
                "Writes FILE and FILE.provenance.json (which run, map, region and options made it). Instructions " +
                        "marked drop in the web viewer (admap serve) are left out, and counted.",
                "",
                "Examples:",
                "  admap select run/ --region high-avg --out high-avg.jsonl              (TRL)",
                "  admap select run/ --region high-avg --format llama-factory \\",
                "            --out high-avg.json",
                "  admap select run/ --region high-avg --format sharegpt --out lf/high-avg.json",
                "  admap select run/ --region high-avg --format kto --out high-avg.kto.jsonl",
                "  admap select run/ --region all --max-pairs-per-prompt 2 --out all.jsonl",
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

    @Mixin
    PairFlags pairing;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = {"What to write (default: from the file name, .parquet: parquet, else trl):",
                    "  trl: TRL preference, id, prompt, chosen, rejected, score_chosen, score_rejected;"
                    + " message lists when the data's prompts are conversations, else text",
                    "  trl-chat / trl-standard: TRL conversational (message lists) / standard (text) always",
                    "  sharegpt: LLaMA-Factory sharegpt, conversations [{from, value}], chosen, rejected",
                    "  llama-factory (alpaca): LLaMA-Factory alpaca, instruction, input, chosen, rejected",
                    "  kto: TRL unpaired (KTO), prompt, completion, label: every response of an instruction,"
                    + " label true when its value is above the instruction's mean",
                    "  listwise: one row per instruction, the best response as chosen and a list of every"
                    + " lower one as rejected (for listwise losses in your own code; TRL and LLaMA-Factory"
                    + " take pairs)",
                    "  parquet: TRL's standard columns in Parquet",
                    "  multi: the instructions themselves in admap's layout, with the map's numbers.",
                    "LLaMA-Factory formats (sharegpt, llama-factory, kto) also add their entry to"
                    + " dataset_info.json beside FILE, so its folder is a dataset_dir."})
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

    @Mixin
    QuietFlag quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Run run = Run.openDeferred(dir, quiet.progress()); // columns when it has them
        Target target = Target.parse(region);
        ExportFormat fmt = format != null ? ExportFormat.parse(format)
                : out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet") ? ExportFormat.PARQUET
                : ExportFormat.TRL;
        SelectionExport.Options exportOptions = pairing.toOptions(fmt);
        Degeneracy degeneracy = run.checkSelectable(target, fraction, allowDegenerate);
        if (degeneracy.degenerate()) {
            spec.commandLine().getErr().println("warning: " + degeneracy.message());
        }
        SelectionExport.Result r = run.select(target, fraction, seed, minRegionP == null ? Double.NaN : minRegionP,
                exportOptions, out, force, spec.commandLine().getErr());
        PrintWriter stdout = quiet.out(spec);
        if (r.skippedDropped() > 0) {
            stdout.printf(Locale.ROOT, "skipped %,d instructions marked drop in the viewer (admap serve)%n",
                    r.skippedDropped());
        }
        stdout.printf(Locale.ROOT, "selected %,d instructions (%s)", r.instructions(), target.cliName());
        if (fmt.holdsPairs() || fmt == ExportFormat.KTO) {
            String what = fmt == ExportFormat.KTO ? "completions" : fmt == ExportFormat.LISTWISE ? "rows" : "pairs";
            stdout.printf(Locale.ROOT, ": %,d %s (%s, by %s)", r.records(), what,
                    fmt == ExportFormat.KTO ? "label: above the instruction's mean" : pairing.mode().cliName(),
                    r.by().name().toLowerCase(Locale.ROOT));
            if (r.withoutPairs() > 0) {
                stdout.printf(Locale.ROOT, "; %,d instructions gave no %s (tied or identical responses)",
                        r.withoutPairs(), fmt == ExportFormat.KTO ? "completion" : "pair");
            }
        }
        stdout.println();
        stdout.println("wrote " + out + " (" + fmt.cliName() + "), " + provenancePath(out));
        if (r.datasetInfo() != null) {
            stdout.println("registered it as '" + DatasetInfo.name(out) + "' in " + r.datasetInfo()
                    + " (LLaMA-Factory: dataset_dir " + r.datasetInfo().getParent() + ", dataset "
                    + DatasetInfo.name(out) + ")");
        }
        return ExitCodes.OK;
    }

    static Path provenancePath(Path out) {
        return SelectionExport.provenancePath(out);
    }
}
