package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.admap.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures of docs/trust.md's "Noise-aware diagnosis" table (and docs/diagnosis.md's AlpacaEval
 * proxy), seed 1, recomputed from the
 * command's own output: the ROC AUC of flips.csv's suspicion against its injected column
 * (computed here, pairwise, independently of admap's DetectionMetrics) must equal both what
 * diagnosis.json reports and the documented value to its three decimals. Runs the commands of
 * scripts/diagnose-uncertainty.sh; skips without the data or python3.
 */
class DiagnoseUncertaintyRealDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void prometheusMtBenchWeightedFindsMoreFlipsThanPlain() throws Exception {
        Path data = RealData.require("prometheus-gpt4-samples");
        assumeTrue(hasPython(), "skipped: python3 (for scripts/uncertainty-split.py) is not on the PATH");
        Path jsonl = python(tmp.resolve("mt.jsonl"), "scripts/uncertainty-split.py", "prometheus",
                data.resolve("mt_bench_eval.jsonl.gz").toString());
        Path run = tmp.resolve("mt");
        map(jsonl, run, "--id-field", "idx", "--prompt-field", "instruction", "--response-field", "instruction",
                "--score-field", "score", "--label-field", "label", "--model-field", "response_source");

        double plain = measured(run, false, "--corr", "cosine");
        double weighted = measured(run, true, "--corr", "cosine");
        assertThat(plain).isCloseTo(0.876, within(0.0005));     // docs/trust.md, mt_bench_eval cosine seed 1
        assertThat(weighted).isCloseTo(0.906, within(0.0005));
    }

    @Test
    void pandaLmWeightedIsNoBetterThanPlain() throws Exception {
        Path data = RealData.require("pandalm");
        assumeTrue(hasPython(), "skipped: python3 (for scripts/pandalm-long.py) is not on the PATH");
        Path longFile = python(tmp.resolve("pandalm-long.jsonl"), "scripts/pandalm-long.py", data.toString());
        Path jsonl = python(tmp.resolve("pandalm-judges.jsonl"), "scripts/uncertainty-split.py", "pandalm",
                longFile.toString());
        Path run = tmp.resolve("pandalm");
        map(jsonl, run, "--id-field", "id", "--label-field", "human", "--score-field", "judges");

        double plain = measured(run, false, "--corr", "cosine");
        double weighted = measured(run, true, "--corr", "cosine");
        assertThat(plain).isCloseTo(0.881, within(0.0005));     // docs/trust.md, pandalm seed 1
        assertThat(weighted).isCloseTo(0.865, within(0.0005));
    }

    /**
     * The AlpacaEval proxy of docs/diagnosis.md (the judge's leave-one-out consensus on each model as the
     * label, the judged probability with the verdict's spread sqrt(p(1-p)) as the score's standard error):
     * weighing by that spread finds fewer of the permuted label vectors.
     */
    @Test
    void alpacaEvalProxyWeightedIsLowerThanPlain() throws Exception {
        Path data = RealData.require("alpaca_eval");
        assumeTrue(hasPython(), "skipped: python3 (for scripts/uncertainty-split.py) is not on the PATH");
        Path jsonl = python(tmp.resolve("alpaca-consensus.jsonl"), "scripts/uncertainty-split.py", "alpaca",
                data.toString());
        Path run = tmp.resolve("alpaca-consensus");
        Cli.Result mapped = Cli.run("map", jsonl.toString(), "--out", run.toString(), "-q", "--layout", "multi");
        assertThat(mapped.exit()).as(mapped.toString()).isZero();

        double plain = measured(run, false, "--corr", "cosine");
        double weighted = measured(run, true, "--corr", "cosine");
        assertThat(plain).isCloseTo(0.893, within(0.0005));     // docs/diagnosis.md, alpaca-consensus cosine seed 1
        assertThat(weighted).isCloseTo(0.785, within(0.0005));
    }

    /**
     * Diagnoses with 10% flips, seed 1; returns the AUC recomputed from flips.csv after checking it
     * against diagnosis.json.
     */
    private double measured(Path run, boolean weigh, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("diagnose", run.toString(), "--no-duplicates", "--inject-flips",
                "10", "--seed", "1"));
        args.addAll(List.of(options));
        if (weigh) {
            args.add("--weigh-by-uncertainty");
        }
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode d = JSON.readTree(run.resolve("diagnosis.json").toFile());
        assertThat(d.at("/options/weigh_by_uncertainty").asBoolean()).isEqualTo(weigh);

        List<Double> positives = new ArrayList<>();
        List<Double> negatives = new ArrayList<>();
        List<String> lines = Files.readAllLines(run.resolve("flips.csv"));
        assertThat(lines.get(0)).isEqualTo("id,injected,suspicion,flagged");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double s = f[2].isEmpty() ? Double.NEGATIVE_INFINITY : Double.parseDouble(f[2]);
            (f[1].equals("1") ? positives : negatives).add(s);
        }
        double wins = 0;
        for (double p : positives) {
            for (double n : negatives) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        double auc = wins / ((double) positives.size() * negatives.size());
        assertThat(auc).isCloseTo(d.at("/self_validation/ranking/0/roc_auc").asDouble(), within(1e-12));
        return auc;
    }

    private static void map(Path jsonl, Path run, String... options) {
        List<String> args = new ArrayList<>(List.of("map", jsonl.toString(), "--out", run.toString(), "-q",
                "--layout", "long"));
        args.addAll(List.of(options));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private Path python(Path out, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(
                List.of("python3", RealData.repositoryRoot().resolve(script).toString()));
        command.addAll(List.of(args));
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        return out;
    }

    private static boolean hasPython() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
