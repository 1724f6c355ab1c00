package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.admap.RealData;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreWriter;
import org.admap.testing.StandInServer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diagnosis and its self-validation on the real public data beside the repository
 * (skipped where it is absent). Each test prints the figures it measured, prefixed
 * {@code FIGURES}, so that they can be quoted with the command that produced them.
 */
class DiagnoseRealDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static void figures(String format, Object... args) {
        System.out.println("FIGURES " + String.format(Locale.ROOT, format, args));
    }

    private static JsonNode diagnose(Path run, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("diagnose", run.toString()));
        args.addAll(List.of(options));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        return JSON.readTree(run.resolve("diagnosis.json").toFile());
    }

    // ---- AlpacaEval: 12 responses x 805 instructions, the judge's preferences as labels and scores

    @Test
    void alpacaEvalFlipsAreFoundAtEveryShareAndSeed() throws Exception {
        Path dir = RealData.require("alpaca_eval");
        List<String> args = new ArrayList<>(List.of("map"));
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".json.gz")).sorted().forEach(f -> args.add(f.toString()));
        }
        Path run = tmp.resolve("ae");
        args.addAll(List.of("--out", run.toString(), "-q"));
        assertThat(Cli.run(args.toArray(String[]::new)).exit()).isZero();

        JsonNode plain = diagnose(run);
        // 59 instructions where two or more of the 12 models answered the same text (checked
        // independently in Python over the raw files); no instruction repeats
        assertThat(plain.at("/counts/duplicate-responses").asInt()).isEqualTo(59);
        assertThat(plain.at("/counts/duplicate-instruction").asInt()).isZero();
        figures("alpaca_eval: 805 instructions, duplicate-responses %d, low-impact %d",
                plain.at("/counts/duplicate-responses").asInt(), plain.at("/counts/low-impact").asInt());

        for (String corr : List.of("cosine", "pearson", "kendall")) {
            for (int percent : new int[] {5, 10, 20}) {
                for (int seed : new int[] {1, 2, 3}) {
                    JsonNode v = diagnose(run, "--no-duplicates", "--corr", corr, "--inject-flips",
                            Integer.toString(percent), "--seed", Integer.toString(seed)).get("self_validation");
                    double auc = v.at("/ranking/0/roc_auc").asDouble();
                    double precision = v.at("/at_threshold/precision").asDouble();
                    double recall = v.at("/at_threshold/recall").asDouble();
                    figures("alpaca_eval %-7s P=%2d%% seed=%d flipped %3d: ROC AUC %.4f, P@k %.3f, precision %.3f,"
                                    + " recall %.3f", corr, percent, seed, v.get("injected").asInt(), auc,
                            v.at("/ranking/0/precision_at_k").asDouble(), precision, recall);
                    assertThat(v.get("labels_were_scores").asBoolean()).isTrue();
                    // unflipped instructions agree perfectly by construction: nothing else is flagged
                    assertThat(precision).isEqualTo(1.0);
                    assertThat(auc).isGreaterThan(0.99);
                    assertThat(recall).isGreaterThan(corr.equals("kendall") ? 0.99 : 0.8);
                }
            }
        }
    }

    // ---- HH-RLHF: human-labelled pairs, judged by the stand-in judge -----------------------

    @Test
    void hhRlhfPairsAgainstAJudgeUnrelatedToTheLabelsScoreChanceInTheSelfValidation() throws Exception {
        Path file = RealData.require("hh-rlhf").resolve("harmless-base-test.jsonl.gz");
        Path run = tmp.resolve("hh");
        assertThat(Cli.run("map", file.toString(), "--out", run.toString(), "-q").exit()).isZero();
        try (StandInServer server = StandInServer.start()) {
            Cli.Result s = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                    "--concurrency", "32", "-q");
            assertThat(s.exit()).as(s.toString()).isZero();
        }
        assertThat(Cli.run("map", run.toString(), "--scores", "judge", "-q").exit()).isZero();

        // what the flags must be: pairs whose chosen response the stand-in judge scores lower
        int expected = 0;
        int pairs = 0;
        try (RunStore store = RunStore.open(run.resolve(RunStore.FILE_NAME))) {
            int[] counts = new int[2];
            store.forEachItem(RunStore.LABELS, null, ki -> {
                var r = ki.item().responses();
                int chosen = r.get(0).label() > r.get(1).label() ? 0 : 1;
                int judgeChosen = StandInServer.judgeScore(r.get(chosen).text());
                int judgeRejected = StandInServer.judgeScore(r.get(1 - chosen).text());
                counts[0] += judgeChosen < judgeRejected ? 1 : 0;
                counts[1]++;
            });
            expected = counts[0];
            pairs = counts[1];
        }
        JsonNode d = diagnose(run, "--inject-flips", "10", "--seed", "1");

        assertThat(pairs).isEqualTo(2312);
        assertThat(d.at("/map/labels").asText()).isEqualTo("independent");
        assertThat(d.at("/counts/score-prefers-rejected").asInt()).isEqualTo(expected);
        JsonNode v = d.get("self_validation");
        double auc = v.at("/ranking/0/roc_auc").asDouble();
        figures("hh-rlhf + stand-in judge: %d pairs, score-prefers-rejected %d; flipped %d: ROC AUC %.4f, P@k %.3f,"
                        + " precision %.3f, recall %.3f", pairs, expected, v.get("injected").asInt(), auc,
                v.at("/ranking/0/precision_at_k").asDouble(), v.at("/at_threshold/precision").asDouble(),
                v.at("/at_threshold/recall").asDouble());
        // the stand-in judge scores a hash of the text: it knows nothing of the labels, and the
        // self-validation says so (AUC at chance; the standard deviation is about 0.02)
        assertThat(auc).isBetween(0.4, 0.6);
        assertThat(v.at("/at_threshold/precision").asDouble()).isBetween(0.05, 0.15);
    }

    // ---- PandaLM: human labels against two LLM judges on the same pairs --------------------

    /** The human majority per pair, both judges' verdicts, and whether the annotators agreed. */
    private record Panda(String id, String prompt, String first, String second, double human, double gpt,
                         double pandalm, boolean unanimous) {
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    /** 1: the first response is better, 0: the second, 0.5: a tie, NaN: no verdict. */
    private static double verdict(String v) {
        return switch (v) {
            case "1" -> 1;
            case "2" -> 0;
            case "0", "Tie" -> 0.5;
            default -> Double.NaN; // "garbage"
        };
    }

    private static List<Panda> panda(Path dir) throws Exception {
        List<JsonNode> human = lines(dir.resolve("testset-v1.jsonl.gz"));
        List<JsonNode> gpt = lines(dir.resolve("gpt-3.5-turbo-testset-v1.jsonl.gz"));
        List<JsonNode> pandalm = lines(dir.resolve("pandalm-7b-testset-v1.jsonl.gz"));
        List<Panda> out = new ArrayList<>();
        for (int i = 0; i < human.size(); i++) {
            JsonNode h = human.get(i);
            assertThat(gpt.get(i).get("idx").asInt()).isEqualTo(h.get("idx").asInt());
            assertThat(pandalm.get(i).get("idx").asInt()).isEqualTo(h.get("idx").asInt());
            Map<Integer, Integer> votes = new HashMap<>();
            for (String a : List.of("annotator1", "annotator2", "annotator3")) {
                votes.merge(h.get(a).asInt(), 1, Integer::sum);
            }
            int majority = votes.entrySet().stream().filter(e -> e.getValue() >= 2).findFirst().orElseThrow().getKey();
            String input = h.path("input").asText("");
            String prompt = h.get("instruction").asText() + (input.isBlank() ? "" : "\n\n" + input);
            out.add(new Panda("pandalm-" + h.get("idx").asInt(), prompt, h.get("response1").asText(),
                    h.get("response2").asText(), verdict(Integer.toString(majority)),
                    verdict(gpt.get(i).get("gpt_result").asText()),
                    verdict(pandalm.get(i).get("pandalm_result").asText()), votes.size() == 1));
        }
        return out;
    }

    /** One row per response, for {@code --layout long}: the human majority as label, GPT-3.5 as score. */
    private Path longLayout(List<Panda> pairs) throws Exception {
        StringBuilder out = new StringBuilder();
        for (Panda p : pairs) {
            for (int r = 0; r < 2; r++) {
                ObjectNode row = JSON.createObjectNode();
                row.put("id", p.id());
                row.put("prompt", p.prompt());
                row.put("response", r == 0 ? p.first() : p.second());
                row.put("human", r == 0 ? p.human() : 1 - p.human());
                if (Double.isNaN(p.gpt())) {
                    row.putNull("gpt35");
                } else {
                    row.put("gpt35", r == 0 ? p.gpt() : 1 - p.gpt());
                }
                out.append(JSON.writeValueAsString(row)).append('\n');
            }
        }
        Path file = tmp.resolve("pandalm-long.jsonl");
        Files.writeString(file, out);
        return file;
    }

    /** Stores PandaLM-7B's verdicts as a scorer source of the run, as a scorer would. */
    private static void addPandaLm(Path run, List<Panda> pairs) {
        Map<String, Panda> byId = new HashMap<>();
        pairs.forEach(p -> byId.put(p.id(), p));
        List<ScoreWriter.Row> rows = new ArrayList<>();
        try (RunStore store = RunStore.open(run.resolve(RunStore.FILE_NAME))) {
            store.forEachItem(RunStore.LABELS, null, ki -> {
                Panda p = byId.get(ki.item().id());
                for (int pos = 0; pos < 2; pos++) {
                    rows.add(new ScoreWriter.Row(ki.key(), pos, "pandalm", "pandalm-7b-testset-v1", p.id(),
                            Integer.toString(pos), pos == 0 ? p.pandalm() : 1 - p.pandalm(), null, null, 0, 0, 0, 0,
                            1, null, null, "WeOpenML/PandaLM-7B-v1", Instant.now()));
                }
            });
            try (ScoreWriter w = store.openScoreWriter()) {
                w.write(rows);
            }
        }
    }

    @Test
    void pandaLmJudgesAgainstHumanLabels() throws Exception {
        List<Panda> pairs = panda(RealData.require("pandalm"));
        assertThat(pairs).hasSize(999);
        Path run = tmp.resolve("pandalm");
        Cli.Result map = Cli.run("map", longLayout(pairs).toString(), "--layout", "long", "--id-field", "id",
                "--score-field", "gpt35", "--label-field", "human", "--out", run.toString(), "-q");
        assertThat(map.exit()).as(map.toString()).isZero();
        addPandaLm(run, pairs);

        // GPT-3.5 alone (the map's scores) against the human majority
        JsonNode one = diagnose(run);
        int gptAgainst = one.at("/counts/score-prefers-rejected").asInt();
        long expectedGpt = pairs.stream().filter(p -> p.human() != 0.5 && !Double.isNaN(p.gpt()) && p.gpt() != 0.5
                && p.gpt() != p.human()).count();
        assertThat(gptAgainst).isEqualTo((int) expectedGpt);
        // pairs are several per prompt (170 prompts), but no comparison is repeated
        figures("pandalm: %d pairs (%d mapped), GPT-3.5 prefers the human-rejected response on %d;"
                        + " duplicate-instruction %d, duplicate-responses %d", pairs.size(),
                                one.get("examined").asInt(),
                gptAgainst, one.at("/counts/duplicate-instruction").asInt(),
                one.at("/counts/duplicate-responses").asInt());

        // both judges together, and the self-validation of each
        JsonNode both = diagnose(run, "--scorers", "input,pandalm", "--inject-flips", "10", "--seed", "1");
        int bothAgainst = both.at("/counts/scorers-disagree").asInt();
        long expectedBoth = pairs.stream().filter(p -> p.human() != 0.5 && !Double.isNaN(p.gpt()) && p.gpt() != 0.5
                && p.pandalm() != 0.5 && p.gpt() != p.human() && p.pandalm() != p.human()).count();
        assertThat(bothAgainst).isEqualTo((int) expectedBoth);

        // annotator disagreement as a real, uninjected marker of doubtful labels: is it more
        // frequent among the pairs both judges flag than among the rest?
        Map<String, Panda> byId = new HashMap<>();
        pairs.forEach(p -> byId.put(p.id(), p));
        List<String> flagged = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(run.resolve("flags.csv"))) {
            for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                if (r.get("reasons").contains("scorers-disagree")) {
                    flagged.add(r.get("id"));
                }
            }
        }
        long preferring = pairs.stream().filter(p -> p.human() != 0.5).count();
        long splitFlagged = flagged.stream().filter(id -> !byId.get(id).unanimous()).count();
        long splitAll = pairs.stream().filter(p -> p.human() != 0.5 && !p.unanimous()).count();
        double rateFlagged = (double) splitFlagged / flagged.size();
        double rateOthers = (double) (splitAll - splitFlagged) / (preferring - flagged.size());
        figures("pandalm: both judges prefer the human-rejected response on %d pairs; annotators split on %.1f%% of"
                + " them against %.1f%% of the other pairs with a human preference", bothAgainst, 100 * rateFlagged,
                100 * rateOthers);
        assertThat(rateFlagged).isGreaterThan(rateOthers);

        JsonNode v = both.get("self_validation");
        for (JsonNode d : v.get("ranking")) {
            figures("pandalm flipped %d of %d (10%%, seed 1): %-9s ROC AUC %.4f, P@k %.3f", v.get("injected").asInt(),
                    v.get("eligible").asInt(), d.get("scores").asText(), d.get("roc_auc").asDouble(),
                    d.get("precision_at_k").asDouble());
            assertThat(d.get("roc_auc").asDouble()).isGreaterThan(0.55);
        }
        figures("pandalm flags about labels: precision %.3f, recall %.3f; score-prefers-rejected precision %.3f"
                        + " recall %.3f; scorers-disagree precision %.3f recall %.3f",
                v.at("/at_threshold/precision").asDouble(), v.at("/at_threshold/recall").asDouble(),
                v.at("/by_reason/score-prefers-rejected/precision").asDouble(),
                v.at("/by_reason/score-prefers-rejected/recall").asDouble(),
                v.at("/by_reason/scorers-disagree/precision").asDouble(),
                v.at("/by_reason/scorers-disagree/recall").asDouble());

        // how much do the two judges' maps agree?
        Cli.Result compare = Cli.run("compare", run.toString(), "--scores", "input,pandalm,labels");
        assertThat(compare.exit()).as(compare.toString()).isZero();
        JsonNode c = JSON.readTree(run.resolve("compare.json").toFile()).get("comparisons");
        for (JsonNode x : c) {
            figures("pandalm compare %s vs %s: responses Pearson %.3f Spearman %.3f; region changes %d of %d",
                    x.get("a").asText(), x.get("b").asText(), x.at("/responses/pearson").asDouble(),
                    x.at("/responses/spearman").asDouble(), x.at("/regions/changed").asInt(), x.get("joined").asInt());
        }
    }
}
