package org.admap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.admap.Version;
import org.admap.diagnose.Correlation;
import org.admap.diagnose.DiagnoseJob;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.diagnose.Diagnosis;
import org.admap.diagnose.FlagsCsv;
import org.admap.diagnose.Reason;
import org.admap.map.MapJob;
import org.admap.report.JsonFiles;
import org.admap.store.RunDirectory;
import org.admap.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code admap diagnose}: flags potentially mis-annotated and low-impact instructions. */
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
                "  score-prefers-rejected  a pair whose scores rank it against its labels",
                "  low-impact              variance in the lowest --low-impact share",
                "                          (indistinguishable responses)",
                "When the labels are the scores themselves, only low-impact can be diagnosed.",
                "",
                "Writes DIR/flags.csv (one row per flagged instruction, with the numbers behind each reason) and DIR/diagnosis.json (counts and thresholds).",
                "",
                "Examples:",
                "  admap diagnose run/",
                "  admap diagnose run/ --corr kendall --max-corr 0 --bottom 0.05",
                ""
        })
final class DiagnoseCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
    Path dir;

    @Option(names = "--corr", paramLabel = "MEASURE", defaultValue = "cosine", converter = Correlations.class,
            description = "Agreement measure: cosine (default, the paper's), pearson or kendall.")
    Correlation correlation;

    @Option(names = "--max-corr", paramLabel = "X", defaultValue = "0.65",
            description = "Flag agreement at or below this (default ${DEFAULT-VALUE}, the paper's).")
    double maxCorrelation;

    @Option(names = "--bottom", paramLabel = "FRACTION", defaultValue = "0.01",
            description = "Also flag this lowest share by agreement (default ${DEFAULT-VALUE}, the paper's 1%%).")
    double bottom;

    @Option(names = "--low-impact", paramLabel = "FRACTION", defaultValue = "0.05",
            description = "Flag this lowest share by variance as low-impact (default ${DEFAULT-VALUE}).")
    double lowImpact;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunDirectory run = RunDirectory.existing(dir);
        Diagnosis d = diagnose(run, correlation, maxCorrelation, bottom, lowImpact);
        print(spec.commandLine().getOut(), d);
        spec.commandLine().getOut().println("wrote " + run.flagsCsv() + ", " + run.diagnosisJson());
        return ExitCodes.OK;
    }

    /** Diagnoses the run's current map and writes flags.csv and diagnosis.json. */
    static Diagnosis diagnose(RunDirectory run, Correlation correlation, double maxCorrelation, double bottom,
                              double lowImpact) throws Exception {
        try (RunStore store = RunStore.open(run.store())) {
            String source = MapJob.currentSource(store);
            boolean independent = "independent".equals(store.info(MapJob.INFO_LABELS).orElse(""));
            DiagnoseOptions options = new DiagnoseOptions(correlation, maxCorrelation, bottom, lowImpact, independent);
            Diagnosis d = DiagnoseJob.run(store, source, options);
            FlagsCsv.write(store, d, run.flagsCsv());
            JsonFiles.write(run.diagnosisJson(), json(store, source, d));
            return d;
        }
    }

    private static ObjectNode json(RunStore store, String source, Diagnosis d) {
        ObjectNode root = JsonFiles.object();
        root.put("admap_version", Version.get());
        root.put("created", Instant.now().toString());
        ObjectNode map = root.putObject("map");
        map.put("scores", source);
        map.put("created", store.info(MapJob.INFO_CREATED).orElse(""));
        map.put("labels", store.info(MapJob.INFO_LABELS).orElse(""));
        ObjectNode o = root.putObject("options");
        o.put("correlation", d.options().correlation().cliName());
        o.put("max_correlation", d.options().maxCorrelation());
        o.put("bottom_fraction", d.options().bottomFraction());
        o.put("low_impact_fraction", d.options().lowImpactFraction());
        o.put("labels_independent", d.options().labelsIndependent());
        root.put("examined", d.examined());
        root.put("correlation_defined", d.correlationDefined());
        ObjectNode t = root.putObject("thresholds");
        putNumber(t, "bottom_correlation", d.bottomCorrelation());
        putNumber(t, "low_impact_variance", d.lowImpactVariance());
        root.put("flagged", d.flags().size());
        ObjectNode counts = root.putObject("counts");
        for (Map.Entry<Reason, Long> e : d.countsByReason().entrySet()) {
            counts.put(e.getKey().cliName(), e.getValue());
        }
        return root;
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
            out.println(" (the labels are the scores, or absent: no misannotation check;"
                    + " give the data independent labels or map it on a scorer's scores)");
        }
        out.printf(Locale.ROOT, "flagged %,d: misannotated %,d, score-prefers-rejected %,d, low-impact %,d%n",
                d.flags().size(), counts.get(Reason.MISANNOTATED), counts.get(Reason.SCORE_PREFERS_REJECTED),
                counts.get(Reason.LOW_IMPACT));
    }
}
