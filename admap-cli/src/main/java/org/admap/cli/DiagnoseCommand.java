package org.admap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.admap.Progress;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.internal.store.RunDirectory;
import org.admap.options.DiagnoseFlags;
import org.admap.options.PaperDefaults;
import org.admap.run.Run;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code admap diagnose}: flags potentially mis-annotated and low-impact instructions, and measures the flags. */
@Command(name = "diagnose",
        defaultValueProvider = PaperDefaults.class,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Flag instructions whose labels are probably wrong, and those that teach little.",
        description = {
                "",
                "Compares each instruction's labels (the dataset's annotation) with the scores its map is built on. " +
                        "Flags, the paper's way:",
                "  misannotated            agreement (cosine by default) <= --max-corr,",
                "                          or in the lowest --bottom share (3+ responses)",
                "  score-prefers-rejected  a pair whose chosen-minus-rejected score margin",
                "                          is below --min-margin (0: the scores prefer the",
                "                          rejected response)",
                "  scorers-disagree        with --scorers: two or more scorers contradict the",
                "                          labels (the rules above) and agree with each other",
                "  low-impact              variance in the lowest --low-impact share",
                "  duplicate-responses     responses equal up to whitespace",
                "  duplicate-instruction   repeats an earlier instruction, exactly or up to",
                "                          case, whitespace and punctuation (pairs: the same",
                "                          prompt and the same two responses)",
                "When the labels are the scores themselves, the map's scores cannot judge them: name scorers with " +
                        "--scorers.",
                "",
                "--inject-flips P measures the flags on your data: it flips the labels of P%% of the instructions in " +
                        "a copy (pairs swapped, label vectors permuted), diagnoses the copy and reports precision " +
                        "and recall at the thresholds, precision at k and ROC AUC. The run's labels and flags are " +
                        "not touched.",
                "",
                "Writes DIR/flags.csv (one row per flagged instruction, with the numbers behind each reason), " +
                        "DIR/diagnosis.json (counts, thresholds, detection metrics) and, with --inject-flips, " +
                        "DIR/flips.csv.",
                "",
                "A run scanned from plain JSON lines is diagnosed on its columns without building its store " +
                        "(seconds, not minutes, on a big run); report, serve and select show the same flags when " +
                        "they build the store later. --on-store builds the store and diagnoses there; --scorers " +
                        "and --inject-flips always do.",
                "",
                "Examples:",
                "  admap diagnose run/",
                "  admap diagnose run/ --corr kendall --max-corr 0 --bottom 0.05",
                "  admap diagnose run/ --scorers judge,reward,reference",
                "  admap diagnose run/ --inject-flips 10 --seed 1",
                ""
        })
final class DiagnoseCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
    Path dir;

    @Mixin
    DiagnoseFlags thresholds;

    @Option(names = "--duplicates", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Look for repeated responses and instructions in the texts (default; --no-duplicates"
                    + " skips reading the texts).")
    boolean duplicates;

    @Option(names = "--on-store",
            description = "Diagnose on the run store even when the run's columns would do: builds the store of a"
                    + " scanned run first (minutes on a big run). By default a run scanned from plain JSON lines"
                    + " whose store is not built yet is diagnosed on its columns (columns.bin), and the flags go"
                    + " into the store when a later command (report, serve, select) builds it; the store's way is"
                    + " taken anyway with --scorers or --inject-flips. The bias audit (score against response"
                    + " length) needs the texts: on the columns it is not printed, and diagnosis.json gets it when"
                    + " the store is built.")
    boolean onStore;

    /** The former opt-in of the columns' way, which is now the default: accepted, does nothing. */
    @Option(names = "--on-columns", hidden = true)
    boolean onColumns;

    @Option(names = "--scorers", paramLabel = "SOURCES", split = ",",
            description = "Score sources to weigh together, e.g. judge,reward,reference, or 'all' (every source"
                    + " but the labels). Adds each one's evidence to flags.csv and the scorers-disagree flag.")
    List<String> scorers = new ArrayList<>();

    @Option(names = "--scorer-quorum", paramLabel = "FRACTION", defaultValue = "1",
            description = "Share of the scorers with evidence that must contradict the labels (default 1: all;"
                    + " at least two always).")
    double quorum;

    @Option(names = "--min-scorer-agreement", paramLabel = "X", defaultValue = "0.5",
            description = "Those scorers' mean pairwise Kendall tau-b must be at least this (default"
                    + " ${DEFAULT-VALUE}).")
    double minScorerAgreement;

    @Option(names = "--weigh-by-uncertainty",
            description = "Weigh each response's part in the agreement of labels and scores by 1 / (SE^2 + v0), its"
                    + " score's standard error (--samples, --logprobs, a list of grades) plus the source's pooled"
                    + " noise variance v0; a preference pair is ranked by its margin over its noise. Without"
                    + " standard errors it is the plain rule. See docs/trust.md for the definition and whether"
                    + " it helps.")
    boolean weighByUncertainty;

    @Option(names = "--max-agree-probability", paramLabel = "P",
            description = "The probability rule (off by default): flag an instruction as misannotated (a pair as"
                    + " score-prefers-rejected) when the probability that its scores order its responses as its"
                    + " labels do is at most P, each score read as its value plus Gaussian noise of variance"
                    + " SE^2 + v0 (as --weigh-by-uncertainty), averaged over the pairs of responses whose labels"
                    + " differ; replaces --max-corr, --bottom and --min-margin. 0.5 on pairs is the margin rule;"
                    + " without standard errors it is the share of label-ordered pairs the scores order the same"
                    + " way. Ranks every instruction by that probability. See docs/diagnosis.md for whether it"
                    + " helps.")
    Double maxAgreeProbability;

    @Option(names = "--inject-flips", paramLabel = "PERCENT",
            description = "Self-validation: flip the labels of this share of the instructions in a copy and report"
                    + " how well the flags find them.")
    Double injectFlips;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the flips (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--at-k", paramLabel = "K", defaultValue = "0",
            description = "k of precision at k (default: the number of flips).")
    int atK;

    @Mixin
    CsvFlags csv;

    @Mixin
    QuietFlag quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Progress.Factory progress = quiet.progress();
        PrintWriter out = quiet.out(spec);
        DiagnoseOptions options = thresholds.toOptions(true).withScorers(scorers, quorum, minScorerAgreement)
                .withWeighByUncertainty(weighByUncertainty)
                .withMaxAgreeProbability(maxAgreeProbability == null ? Double.NaN : maxAgreeProbability);
        if (!onStore && scorers.isEmpty() && injectFlips == null && !weighByUncertainty
                && maxAgreeProbability == null && Run.hasColumns(dir)) {
            // a scanned run: diagnosed on its columns, its store is not built (its flags go into it when it is)
            DiagnosisPrinter.print(out, Run.diagnoseOnColumns(dir, options, duplicates, csv.cells()).diagnosis());
            RunDirectory files = new RunDirectory(dir);
            out.println("wrote " + files.flagsCsv() + ", " + files.diagnosisJson());
            return ExitCodes.OK;
        }
        Run run = Run.open(dir, progress).withCsvCells(csv.cells());
        Run.Diagnosed d = run.diagnose(options, duplicates,
                injectFlips == null ? null : new Run.Flips(injectFlips, seed, atK), progress);
        DiagnosisPrinter.print(out, d.diagnosis());
        if (d.validation() != null) {
            DiagnosisPrinter.print(out, d.validation());
        }
        DiagnosisPrinter.print(out, d.bias());
        RunDirectory files = run.directory();
        out.println("wrote " + files.flagsCsv() + ", " + files.diagnosisJson()
                + (injectFlips != null ? ", " + files.flipsCsv() : ""));
        return ExitCodes.OK;
    }
}
