package org.admap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.admap.Progress;
import org.admap.Version;
import org.admap.diagnose.Correlation;
import org.admap.diagnose.DetectionMetrics;
import org.admap.diagnose.DiagnoseJob;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.diagnose.Diagnosis;
import org.admap.diagnose.Duplicates;
import org.admap.diagnose.FlagsCsv;
import org.admap.diagnose.FlipsCsv;
import org.admap.diagnose.Reason;
import org.admap.diagnose.SelfValidation;
import org.admap.map.MapJob;
import org.admap.report.JsonFiles;
import org.admap.store.RunDirectory;
import org.admap.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code admap diagnose}: flags potentially mis-annotated and low-impact instructions, and measures the flags. */
@Command(name = "diagnose",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Flag instructions whose labels are probably wrong, and those that teach little.",
        description = {
                "",
                "Compares each instruction's labels (the dataset's annotation) with the scores its map is built on. Flags, the paper's way:",
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
                "When the labels are the scores themselves, the map's scores cannot judge them: name scorers with --scorers.",
                "",
                "--inject-flips P measures the flags on your data: it flips the labels of P%% of the instructions in a copy (pairs swapped, label vectors permuted), diagnoses the copy and reports precision and recall at the thresholds, precision at k and ROC AUC. The run's labels and flags are not touched.",
                "",
                "Writes DIR/flags.csv (one row per flagged instruction, with the numbers behind each reason), DIR/diagnosis.json (counts, thresholds, detection metrics) and, with --inject-flips, DIR/flips.csv.",
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

    @Option(names = "--corr", paramLabel = "MEASURE", defaultValue = "cosine", converter = Correlations.class,
            description = "Agreement measure: cosine (default, the paper's), pearson, kendall or rank (the share of"
                    + " label-ordered response pairs the scores order the same way, minus the share they reverse).")
    Correlation correlation;

    @Option(names = "--max-corr", paramLabel = "X", defaultValue = "0.65",
            description = "Flag agreement at or below this (default ${DEFAULT-VALUE}, the paper's).")
    double maxCorrelation;

    @Option(names = "--bottom", paramLabel = "FRACTION", defaultValue = "0.01",
            description = "Also flag this lowest share by agreement (default ${DEFAULT-VALUE}, the paper's 1%%).")
    double bottom;

    @Option(names = "--min-margin", paramLabel = "X", defaultValue = "0",
            description = "Flag a pair whose chosen-minus-rejected score is below this (default ${DEFAULT-VALUE}).")
    double minMargin;

    @Option(names = "--low-impact", paramLabel = "FRACTION", defaultValue = "0.05",
            description = "Flag this lowest share by variance as low-impact (default ${DEFAULT-VALUE}).")
    double lowImpact;

    @Option(names = "--duplicates", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Look for repeated responses and instructions in the texts (default; --no-duplicates"
                    + " skips reading the texts).")
    boolean duplicates;

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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunDirectory run = StoreHydration.existing(dir);
        PrintWriter out = spec.commandLine().getOut();
        try (RunStore store = RunStore.open(run.store())) {
            String source = MapJob.currentSource(store);
            DiagnoseOptions options = options(store, source);
            // Everything is computed before anything is written, so that a failing
            // self-validation never leaves a new flags.csv beside an old diagnosis.json.
            Progress.Factory progress = TerminalProgress.forStderr(false);
            Diagnosis d = DiagnoseJob.run(store, source, options, duplicates, progress);
            SelfValidation.Result validation = null;
            if (injectFlips != null) {
                try (Progress phase = progress.start("diagnose: self-validation (" + injectFlips + "% flipped)", -1,
                        "")) {
                    validation = SelfValidation.run(store, source, options, injectFlips, seed, atK);
                }
            }
            try (Progress phase = progress.start("diagnose: writing " + run.flagsCsv().getFileName(), -1, "")) {
                FlagsCsv.write(store, d, run.flagsCsv());
            }
            print(out, d);
            if (validation != null) {
                FlipsCsv.write(validation, run.flipsCsv());
                print(out, validation);
            }
            JsonFiles.write(run.diagnosisJson(), json(store, source, d, validation));
        }
        out.println("wrote " + run.flagsCsv() + ", " + run.diagnosisJson()
                + (injectFlips != null ? ", " + run.flipsCsv() : ""));
        return ExitCodes.OK;
    }

    private DiagnoseOptions options(RunStore store, String source) {
        boolean independent = "independent".equals(store.info(MapJob.INFO_LABELS).orElse(""));
        List<String> sources = scorers;
        if (sources.size() == 1 && sources.get(0).equals("all")) {
            sources = DiagnoseJob.availableScorers(store);
            if (sources.size() < 2) {
                throw new UserException("--scorers all: this run has " + (sources.isEmpty() ? "no score source"
                        : "one score source (" + sources.get(0) + ")") + " besides the labels; the scorers-disagree"
                        + " flag needs two (add one with 'admap score " + dir + " --scorer judge|reward|reference')");
            }
        }
        return new DiagnoseOptions(correlation, maxCorrelation, bottom, lowImpact, independent).withMinMargin(minMargin)
                .withScorers(sources, quorum, minScorerAgreement);
    }

    /** Diagnoses the run's current map with the paper's options and writes flags.csv and diagnosis.json. */
    static Diagnosis diagnose(RunDirectory run, Correlation correlation, double maxCorrelation, double bottom,
                              double lowImpact) throws Exception {
        try (RunStore store = RunStore.open(run.store())) {
            String source = MapJob.currentSource(store);
            boolean independent = "independent".equals(store.info(MapJob.INFO_LABELS).orElse(""));
            DiagnoseOptions options = new DiagnoseOptions(correlation, maxCorrelation, bottom, lowImpact, independent);
            Diagnosis d = DiagnoseJob.run(store, source, options, true);
            FlagsCsv.write(store, d, run.flagsCsv());
            JsonFiles.write(run.diagnosisJson(), json(store, source, d, null));
            return d;
        }
    }

    private static ObjectNode json(RunStore store, String source, Diagnosis d, SelfValidation.Result v) {
        ObjectNode root = JsonFiles.object();
        root.put("admap_version", Version.get());
        root.put("created", Instant.now().toString());
        ObjectNode map = root.putObject("map");
        map.put("scores", source);
        map.put("created", store.info(MapJob.INFO_CREATED).orElse(""));
        map.put("labels", store.info(MapJob.INFO_LABELS).orElse(""));
        DiagnoseOptions options = d.options();
        ObjectNode o = root.putObject("options");
        o.put("correlation", options.correlation().cliName());
        o.put("max_correlation", options.maxCorrelation());
        o.put("bottom_fraction", options.bottomFraction());
        o.put("low_impact_fraction", options.lowImpactFraction());
        o.put("labels_independent", options.labelsIndependent());
        o.put("min_margin", options.minMargin());
        ArrayNode scorerList = o.putArray("scorers");
        options.scorers().forEach(scorerList::add);
        o.put("scorer_quorum", options.scorerQuorum());
        o.put("min_scorer_agreement", options.minScorerAgreement());
        o.put("duplicates", d.duplicates() != Duplicates.none());
        root.put("examined", d.examined());
        root.put("correlation_defined", d.correlationDefined());
        root.put("scorers_evaluated", d.scorersEvaluated());
        ObjectNode t = root.putObject("thresholds");
        putNumber(t, "bottom_correlation", d.bottomCorrelation());
        putNumber(t, "low_impact_variance", d.lowImpactVariance());
        root.put("flagged", d.flags().size());
        root.put("flagged_about_labels", d.labelFlags());
        ObjectNode counts = root.putObject("counts");
        for (Map.Entry<Reason, Long> e : d.countsByReason().entrySet()) {
            counts.put(e.getKey().cliName(), e.getValue());
        }
        ObjectNode dup = root.putObject("duplicates");
        dup.put("instructions_repeating_another", d.duplicates().repeats());
        dup.put("of_which_after_normalising", d.duplicates().normalisedRepeats());
        dup.put("repeated_groups", d.duplicates().groups());
        dup.put("instructions_with_duplicate_responses", d.duplicates().withDuplicateResponses());
        if (v != null) {
            root.set("self_validation", json(v));
        }
        return root;
    }

    private static ObjectNode json(SelfValidation.Result v) {
        ObjectNode s = JsonFiles.object();
        s.put("percent", v.percent());
        s.put("seed", v.seed());
        s.put("labels_were_scores", v.labelsWereScores());
        s.put("eligible", v.eligible());
        s.put("injected", v.injected());
        s.set("at_threshold", json(v.atThreshold()));
        ObjectNode byReason = s.putObject("by_reason");
        v.byReason().forEach((r, pr) -> byReason.set(r.cliName(), json(pr)));
        s.put("k", v.k());
        ArrayNode ranking = s.putArray("ranking");
        for (SelfValidation.Detector d : v.detectors()) {
            ObjectNode x = ranking.addObject();
            x.put("scores", d.name());
            putNumber(x, "roc_auc", d.auc());
            putNumber(x, "precision_at_k", d.precisionAtK());
        }
        s.put("flips_csv", "flips.csv");
        if (v.labelsWereScores()) {
            s.put("note", "the labels are the map's scores: the flipped copy of the scores played the labels, so"
                    + " unflipped instructions agree perfectly by construction; recall is the informative figure");
        }
        return s;
    }

    private static ObjectNode json(DetectionMetrics.PrecisionRecall pr) {
        ObjectNode o = JsonFiles.object();
        o.put("flagged", pr.flagged());
        o.put("hits", pr.hits());
        o.put("positives", pr.positives());
        putNumber(o, "precision", pr.precision());
        putNumber(o, "recall", pr.recall());
        putNumber(o, "f1", pr.f1());
        return o;
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    static void print(PrintWriter out, Diagnosis d) {
        Map<Reason, Long> counts = d.countsByReason();
        out.printf(Locale.ROOT, "examined %,d instructions", d.examined());
        if (d.options().labelsIndependent()) {
            out.printf(Locale.ROOT, " (%,d with a defined %s agreement)%n", d.correlationDefined(),
                    d.options().correlation().cliName());
        } else {
            out.println(" (the labels are the scores, or absent: no misannotation check from the map's scores;"
                    + " give the data independent labels, map it on a scorer's scores, or name --scorers)");
        }
        if (!d.options().scorers().isEmpty()) {
            out.printf(Locale.ROOT, "scorers %s: two or more had evidence on %,d instructions%n",
                    String.join(", ", d.options().scorers()), d.scorersEvaluated());
        }
        List<String> parts = new ArrayList<>();
        for (Reason r : Reason.values()) {
            if (r == Reason.SCORERS_DISAGREE && d.options().scorers().size() < 2) {
                continue;
            }
            parts.add(String.format(Locale.ROOT, "%s %,d", r.cliName(), counts.get(r)));
        }
        out.printf(Locale.ROOT, "flagged %,d: %s%n", d.flags().size(), String.join(", ", parts));
    }

    static void print(PrintWriter out, SelfValidation.Result v) {
        out.printf(Locale.ROOT, "self-validation: flipped the labels of %,d of %,d instructions (%s%%, seed %d) in a"
                + " copy; the run's labels are untouched%n", v.injected(), v.eligible(), number(v.percent()), v.seed());
        if (v.labelsWereScores()) {
            out.println("  (the labels are the scores: the flipped scores played the labels, so unflipped"
                    + " instructions agree by construction; read recall)");
        }
        DetectionMetrics.PrecisionRecall pr = v.atThreshold();
        out.printf(Locale.ROOT, "  flags about labels: precision %s (%,d of %,d flagged), recall %s (%,d of %,d"
                + " flipped)%n", fmt(pr.precision()), pr.hits(), pr.flagged(), fmt(pr.recall()), pr.hits(),
                pr.positives());
        String kLabel = "P@" + v.k();
        out.printf(Locale.ROOT, "  %-22s %8s %8s%n", "ranking by", "ROC AUC", kLabel);
        for (SelfValidation.Detector d : v.detectors()) {
            out.printf(Locale.ROOT, "  %-22s %8s %8s%n", d.name(), fmt(d.auc()), fmt(d.precisionAtK()));
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
