package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.admap.internal.store.RunStore;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diagnose --corr pearson-minmax} and {@code --corr kl}, the paper's code's other two
 * agreement measures, through the command line on the demo: every flag's number is the
 * measure as defined here independently, the rule keeps its direction, and the measure is
 * named in flags.csv and diagnosis.json.
 */
class DiagnoseAgreementVariantsTest {

    @TempDir
    Path tmp;
    Path run;

    @BeforeEach
    void map() {
        run = tmp.resolve("run");
        Cli.mapDemo(run);
    }

    /** exp(-sum p ln(p / q)) of the labels and scores each divided by its sum (positive demo numbers). */
    private static double kl(double[] labels, double[] scores) {
        double sl = 0;
        double ss = 0;
        for (int i = 0; i < labels.length; i++) {
            sl += labels[i];
            ss += scores[i];
        }
        double d = 0;
        for (int i = 0; i < labels.length; i++) {
            double p = labels[i] / sl;
            d += p == 0 ? 0 : p * Math.log(p / (scores[i] / ss));
        }
        return Math.exp(-d);
    }

    /** Textbook Pearson's r (min-max normalising does not change it). */
    private static double pearson(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** The demo's labels and scores by instruction id (every demo response has both). */
    private Map<String, double[][]> vectors() throws Exception {
        org.admap.run.Run.open(run, org.admap.Progress.Factory.NONE); // builds the store of the scanned demo
        Map<String, double[][]> byId = new HashMap<>();
        try (RunStore store = RunStore.open(run.resolve(RunStore.FILE_NAME))) {
            store.forEachItemScores(RunStore.INPUT, s -> byId.put(s.id(), new double[][] {s.labels(), s.scores()}));
        }
        return byId;
    }

    private List<CSVRecord> flags() throws Exception {
        try (Reader in = Files.newBufferedReader(run.resolve("flags.csv"))) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }

    private String measureInDiagnosisJson() throws Exception {
        return new ObjectMapper().readTree(run.resolve("diagnosis.json").toFile()).at("/options/correlation").asText();
    }

    @Test
    void klFlagsLowAgreementWithItsNumbersAndName() throws Exception {
        Cli.Result r = Cli.run("diagnose", run.toString(), "--corr", "kl", "--no-duplicates");
        assertThat(r.exit()).as(r.toString()).isZero();
        Map<String, double[][]> v = vectors();
        List<CSVRecord> misannotated = flags().stream().filter(f -> f.get("reasons").contains("misannotated"))
                .toList();
        assertThat(misannotated).isNotEmpty();
        for (CSVRecord f : misannotated) {
            double[][] ls = v.get(f.get("id"));
            double expected = kl(ls[0], ls[1]);
            assertThat(Double.parseDouble(f.get("correlation"))).as(f.get("id")).isCloseTo(expected, within(1e-12));
            assertThat(f.get("detail")).startsWith("kl ");
        }
        // higher is more agreement: nothing above the threshold is flagged unless in the bottom share
        long unflaggedBelow = v.entrySet().stream().filter(e -> kl(e.getValue()[0], e.getValue()[1]) <= 0.65)
                .filter(e -> misannotated.stream().noneMatch(f -> f.get("id").equals(e.getKey()))).count();
        assertThat(unflaggedBelow).isZero();
        assertThat(measureInDiagnosisJson()).isEqualTo("kl");
    }

    @Test
    void pearsonMinMaxFlagsWhatPearsonFlags() throws Exception {
        assertThat(Cli.run("diagnose", run.toString(), "--corr", "pearson", "--no-duplicates").exit()).isZero();
        List<String> byPearson = flags().stream().map(f -> f.get("id") + " " + f.get("reasons")).toList();

        Cli.Result r = Cli.run("diagnose", run.toString(), "--corr", "pearson-minmax", "--no-duplicates");
        assertThat(r.exit()).as(r.toString()).isZero();
        Map<String, double[][]> v = vectors();
        List<CSVRecord> flags = flags();
        assertThat(flags.stream().map(f -> f.get("id") + " " + f.get("reasons")).toList()).isEqualTo(byPearson);
        for (CSVRecord f : flags) {
            if (f.get("reasons").contains("misannotated")) {
                double[][] ls = v.get(f.get("id"));
                assertThat(Double.parseDouble(f.get("correlation"))).isCloseTo(pearson(ls[0], ls[1]), within(1e-9));
                assertThat(f.get("detail")).startsWith("pearson-minmax ");
            }
        }
        assertThat(measureInDiagnosisJson()).isEqualTo("pearson-minmax");
    }

    @Test
    void klHasNoWeightedFormAndSaysSo() {
        Cli.Result r = Cli.run("diagnose", run.toString(), "--corr", "kl", "--weigh-by-uncertainty");
        assertThat(r.exit()).as(r.toString()).isNotZero();
        assertThat(r.err()).contains("--weigh-by-uncertainty has no weighted form of --corr kl");
    }

    @Test
    void theHelpNamesBothVariants() {
        Cli.Result r = Cli.run("diagnose", "--help");
        assertThat(r.out()).contains("pearson-minmax").contains("exp(-KL(labels || scores))");
    }
}
