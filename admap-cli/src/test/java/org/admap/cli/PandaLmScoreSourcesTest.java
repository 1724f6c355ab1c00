package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.admap.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PandaLM rows of docs/studies.md ("both judges together") from the command line alone, with the
 * commands given there: {@code scripts/pandalm-long.py} turns the three files into one row per
 * response with both judges' verdicts, and one {@code map} reads both as named score sources
 * for {@code diagnose --scorers} and {@code compare --scores}. Skipped where the real data or
 * python3 is absent.
 */
class PandaLmScoreSourcesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

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

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    /** 1: the first response is better, 0: the second, 0.5: a tie, NaN: no verdict (as the script reads them). */
    private static double verdict(String v) {
        return switch (v) {
            case "1" -> 1;
            case "2" -> 0;
            case "0", "Tie" -> 0.5;
            default -> Double.NaN;
        };
    }

    @Test
    void bothJudgesTogetherAsTheReadmeSays() throws Exception {
        Path data = RealData.require("pandalm");
        assumeTrue(hasPython(), "skipped: python3 (for scripts/pandalm-long.py) is not on the PATH");

        // python3 scripts/pandalm-long.py ../shared/data/pandalm > pandalm-long.jsonl
        Path longFile = tmp.resolve("pandalm-long.jsonl");
        Process p = new ProcessBuilder("python3",
                RealData.repositoryRoot().resolve("scripts/pandalm-long.py").toString(),
                data.toString()).redirectOutput(longFile.toFile()).redirectError(tmp.resolve("err.txt").toFile())
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("err.txt"))).isZero();
        assertThat(Files.readAllLines(longFile)).hasSize(1998);

        // admap map pandalm-long.jsonl --layout long --id-field id --label-field human
        //     --score-field gpt35=gpt35 --score-field pandalm7b=pandalm7b --out pandalm
        Path run = tmp.resolve("pandalm");
        Cli.Result map = Cli.run("map", longFile.toString(), "--layout", "long", "--id-field", "id",
                "--label-field", "human", "--score-field", "gpt35=gpt35", "--score-field", "pandalm7b=pandalm7b",
                "--out", run.toString(), "-q");
        assertThat(map.exit()).as(map.toString()).isZero();
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertThat(summary.at("/map/scores").asText()).isEqualTo("gpt35");
        assertThat(summary.at("/run/responses").asInt()).isEqualTo(1998);
        // GPT-3.5 answered "garbage" on 25 pairs: those responses have no gpt35 score
        assertThat(summary.at("/run/grouping/score_sources/gpt35").asInt()).isEqualTo(1998 - 2 * 25);
        assertThat(summary.at("/run/grouping/score_sources/pandalm7b").asInt()).isEqualTo(1998);

        // admap diagnose pandalm --scorers gpt35,pandalm7b --inject-flips 10 --seed 1
        Cli.Result diagnose = Cli.run("diagnose", run.toString(), "--scorers", "gpt35,pandalm7b", "--inject-flips",
                "10", "--seed", "1");
        assertThat(diagnose.exit()).as(diagnose.toString()).isZero();
        JsonNode d = JSON.readTree(run.resolve("diagnosis.json").toFile());

        // the pairs both judges decide against the human majority, counted from the raw files
        List<JsonNode> human = lines(data.resolve("testset-v1.jsonl.gz"));
        List<JsonNode> gpt = lines(data.resolve("gpt-3.5-turbo-testset-v1.jsonl.gz"));
        List<JsonNode> panda = lines(data.resolve("pandalm-7b-testset-v1.jsonl.gz"));
        int against = 0;
        for (int i = 0; i < human.size(); i++) {
            Map<Integer, Integer> votes = new HashMap<>();
            for (String a : List.of("annotator1", "annotator2", "annotator3")) {
                votes.merge(human.get(i).get(a).asInt(), 1, Integer::sum);
            }
            int majority = votes.entrySet().stream().filter(e -> e.getValue() >= 2).findFirst().orElseThrow().getKey();
            double h = verdict(Integer.toString(majority));
            double g = verdict(gpt.get(i).get("gpt_result").asText());
            double m = verdict(panda.get(i).get("pandalm_result").asText());
            if (h != 0.5 && !Double.isNaN(g) && g != 0.5 && m != 0.5 && g != h && m != h) {
                against++;
            }
        }
        assertThat(d.at("/counts/scorers-disagree").asInt()).isEqualTo(against);

        // the table rows of docs/studies.md: ROC AUC and precision at k of each ranking, the flags' precision / recall
        Map<String, JsonNode> ranking = new HashMap<>();
        d.at("/self_validation/ranking").forEach(r -> ranking.put(r.get("scores").asText(), r));
        assertThat(ranking.get("gpt35").get("roc_auc").asDouble()).isCloseTo(0.786, within(0.0005));
        assertThat(ranking.get("gpt35").get("precision_at_k").asDouble()).isCloseTo(0.317, within(0.0005));
        assertThat(ranking.get("pandalm7b").get("roc_auc").asDouble()).isCloseTo(0.731, within(0.0005));
        assertThat(ranking.get("pandalm7b").get("precision_at_k").asDouble()).isCloseTo(0.261, within(0.0005));
        assertThat(ranking.get("consensus").get("roc_auc").asDouble()).isCloseTo(0.826, within(0.0005));
        assertThat(ranking.get("consensus").get("precision_at_k").asDouble()).isCloseTo(0.404, within(0.0005));
        assertThat(d.at("/self_validation/at_threshold/precision").asDouble()).isCloseTo(0.317, within(0.0005));
        assertThat(d.at("/self_validation/at_threshold/recall").asDouble()).isCloseTo(0.716, within(0.0005));
        assertThat(d.at("/self_validation/by_reason/scorers-disagree/precision").asDouble())
                .isCloseTo(0.404, within(0.0005));
        assertThat(d.at("/self_validation/by_reason/scorers-disagree/recall").asDouble())
                .isCloseTo(0.500, within(0.0005));

        // admap compare pandalm --scores gpt35,pandalm7b
        Cli.Result compare = Cli.run("compare", run.toString(), "--scores", "gpt35,pandalm7b");
        assertThat(compare.exit()).as(compare.toString()).isZero();
        JsonNode c = JSON.readTree(run.resolve("compare.json").toFile()).get("comparisons").get(0);
        assertThat(c.at("/responses/pearson").asDouble()).isBetween(0.2, 0.9);
    }
}
