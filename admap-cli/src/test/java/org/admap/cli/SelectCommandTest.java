package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.admap.RealData;
import org.admap.internal.store.RunStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectCommandTest {

    @TempDir
    static Path tmp;
    static Path run;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The demo's scores by instruction id and response text, as the input gives them. */
    private static final java.util.Map<String, Double> DEMO_SCORES = new java.util.HashMap<>();

    @BeforeAll
    static void mapTheDemo() throws Exception {
        run = tmp.resolve("run");
        Cli.mapDemo(run);
        for (String line : Files.readAllLines(RealData.demo())) {
            JsonNode item = JSON.readTree(line);
            for (JsonNode response : item.get("responses")) {
                DEMO_SCORES.put(item.get("id").asText() + "\u0000" + response.get("text").asText(),
                        response.get("score").asDouble());
            }
        }
    }

    private static List<JsonNode> jsonLines(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void exportsTrlPairsOfHighAvgRankedByLabels() throws Exception {
        Path out = tmp.resolve("trl.jsonl");
        Cli.Result r = Cli.run("select", run.toString(), "--region", "high-avg", "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("selected 17 instructions (high-avg): 68 pairs (all, by labels)");
        List<JsonNode> pairs = jsonLines(out);
        assertThat(pairs).hasSize(68);
        for (JsonNode p : pairs) {
            Set<String> fields = new TreeSet<>();
            p.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("chosen", "id", "prompt", "rejected", "score_chosen",
                    "score_rejected");
            assertThat(p.get("chosen").asText()).isNotEqualTo(p.get("rejected").asText());
            // score_chosen / score_rejected are the responses' scores on the map's source, as docs/export.md says
            assertThat(p.get("score_chosen").asDouble())
                    .isEqualTo(DEMO_SCORES.get(p.get("id").asText() + "\u0000" + p.get("chosen").asText()));
            assertThat(p.get("score_rejected").asDouble())
                    .isEqualTo(DEMO_SCORES.get(p.get("id").asText() + "\u0000" + p.get("rejected").asText()));
        }
        assertThat(pairs.stream().map(p -> p.get("id").asText()).distinct()).hasSize(15);
        JsonNode prov = JSON.readTree(tmp.resolve("trl.jsonl.provenance.json").toFile());
        assertThat(prov.at("/selection/region").asText()).isEqualTo("high-avg");
        assertThat(prov.at("/map/scores").asText()).isEqualTo("input");
        assertThat(prov.at("/pairs/count").asLong()).isEqualTo(68);
    }

    @Test
    void bestWorstGivesAtMostOnePairPerInstruction() throws Exception {
        Path out = tmp.resolve("bw.jsonl");
        Cli.Result r = Cli.run("select", run.toString(), "--region", "high-var", "--pairs", "best-worst", "--out",
                out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        List<JsonNode> pairs = jsonLines(out);
        assertThat(pairs).hasSizeLessThanOrEqualTo(17);
        assertThat(pairs.stream().map(p -> p.get("prompt").asText()).distinct()).hasSameSizeAs(pairs);
    }

    @Test
    void llamaFactoryFormatIsAJsonArrayWithItsDatasetInfoEntry() throws Exception {
        Path out = tmp.resolve("lf.json");
        Cli.Result r = Cli.run("select", run.toString(), "--region", "high-avg", "--format", "llama-factory",
                "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode array = JSON.readTree(out.toFile());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(68);
        Set<String> fields = new TreeSet<>();
        array.get(0).fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("chosen", "id", "input", "instruction", "rejected");
        JsonNode info = JSON.readTree(tmp.resolve("lf.json.provenance.json").toFile()).at("/dataset_info/lf");
        assertThat(info.get("file_name").asText()).isEqualTo("lf.json");
        assertThat(info.get("ranking").asBoolean()).isTrue();
        assertThat(info.at("/columns/prompt").asText()).isEqualTo("instruction");
        // and the same entry in the dataset_info.json beside it, so that its folder is a dataset_dir
        assertThat(JSON.readTree(tmp.resolve("dataset_info.json").toFile()).get("lf")).isEqualTo(info);
        assertThat(r.out()).contains("registered it as 'lf' in " + tmp.resolve("dataset_info.json").toAbsolutePath());
    }

    @Test
    void parquetFromTheFileNameHoldsTrlColumns() throws Exception {
        Path out = tmp.resolve("pairs.parquet");
        Cli.Result r = Cli.run("select", run.toString(), "--region", "high-avg", "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(DISTINCT prompt),"
                     + " count(DISTINCT id), count(score_chosen), count(score_rejected) FROM read_parquet('"
                     + out + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(68);
            assertThat(rs.getLong(2)).isEqualTo(15); // two high-avg instructions have all labels tied
            assertThat(rs.getLong(3)).isEqualTo(15);
            assertThat(rs.getLong(4)).isEqualTo(68); // every demo response has a score
            assertThat(rs.getLong(5)).isEqualTo(68);
        }
    }

    @Test
    void randomSelectionIsSeededAndTheSizeOfHighAvgByDefault() throws Exception {
        Path a = tmp.resolve("r1.jsonl");
        Path b = tmp.resolve("r2.jsonl");
        Path c = tmp.resolve("r3.jsonl");
        assertThat(Cli.run("select", run.toString(), "--region", "random", "--seed", "7", "--format", "multi",
                "--out", a.toString()).exit()).isZero();
        assertThat(Cli.run("select", run.toString(), "--region", "random", "--seed", "7", "--format", "multi",
                "--out", b.toString()).exit()).isZero();
        assertThat(Cli.run("select", run.toString(), "--region", "random", "--seed", "8", "--format", "multi",
                "--out", c.toString()).exit()).isZero();
        assertThat(Files.readAllLines(a)).hasSize(17).isEqualTo(Files.readAllLines(b));
        assertThat(Files.readAllLines(c)).isNotEqualTo(Files.readAllLines(a));
    }

    @Test
    void fractionKeepsTheBestOfHighAvg() throws Exception {
        Path out = tmp.resolve("top.jsonl");
        Cli.Result r = Cli.run("select", run.toString(), "--region", "high-avg", "--fraction", "0.25", "--format",
                "multi", "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        List<JsonNode> items = jsonLines(out);
        assertThat(items).hasSize(4); // round(0.25 * 17)
        Path all = tmp.resolve("all-high.jsonl");
        Cli.run("select", run.toString(), "--region", "high-avg", "--format", "multi", "--out", all.toString());
        double lowestKept = items.stream().mapToDouble(i -> i.at("/map/mean").asDouble()).min().orElseThrow();
        long better = jsonLines(all).stream().filter(i -> i.at("/map/mean").asDouble() > lowestKept).count();
        assertThat(better).isLessThanOrEqualTo(3);
    }

    @Test
    void multiFormatIsReadableByAdmapAgain() throws Exception {
        Path out = tmp.resolve("region.jsonl");
        assertThat(Cli.run("select", run.toString(), "--region", "low-avg", "--format", "multi", "--out",
                out.toString()).exit()).isZero();
        Cli.Result again = Cli.run("map", out.toString(), "--out", tmp.resolve("again").toString(), "-q");
        assertThat(again.exit()).as(again.toString()).isZero();
        Iterator<JsonNode> first = jsonLines(out).iterator();
        assertThat(first.next().get("responses")).hasSize(4);
    }

    @Test
    void instructionsMarkedDropAreLeftOutAndCounted() throws Exception {
        Path own = tmp.resolve("reviewed");
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", own.toString(), "-q", "--full-ingest")
                .exit()).isZero(); // the store is opened directly below
        List<String> dropped = new java.util.ArrayList<>();
        try (RunStore store = RunStore.open(own.resolve("run.duckdb"))) {
            org.admap.internal.store.Reviews reviews = org.admap.internal.store.Reviews.of(store);
            int highAvg = 0;
            for (org.admap.model.MapPoint p : store.mapPoints()) {
                if (p.region() == org.admap.model.Region.HIGH_AVG && highAvg < 2) {
                    reviews.set(p.key(), p.id(), org.admap.internal.store.Reviews.Mark.DROP);
                    dropped.add(p.id());
                    highAvg++;
                } else if (p.region() == org.admap.model.Region.LOW_AVG && dropped.size() == 2) {
                    reviews.set(p.key(), p.id(), org.admap.internal.store.Reviews.Mark.DROP);
                    dropped.add(p.id());
                } else if (p.region() == org.admap.model.Region.HIGH_VAR) {
                    reviews.set(p.key(), p.id(), org.admap.internal.store.Reviews.Mark.KEEP); // keep changes nothing
                }
            }
        }
        Path out = tmp.resolve("reviewed.jsonl");
        Cli.Result r = Cli.run("select", own.toString(), "--region", "high-avg", "--format", "multi", "--out",
                out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("skipped 2 instructions marked drop in the viewer (admap serve)")
                .contains("selected 15 instructions (high-avg)");
        assertThat(jsonLines(out).stream().map(j -> j.get("id").asText())).doesNotContainAnyElementsOf(dropped);
        assertThat(JSON.readTree(tmp.resolve("reviewed.jsonl.provenance.json").toFile())
                .at("/selection/skipped_dropped").asInt()).isEqualTo(2);

        Cli.Result all = Cli.run("select", own.toString(), "--region", "all", "--out", out.toString(), "--force");
        assertThat(all.out()).contains("skipped 3 instructions").contains("selected 47 instructions (all)");
        Cli.Result highVar = Cli.run("select", own.toString(), "--region", "high-var", "--out", out.toString(),
                "--force");
        assertThat(highVar.out()).doesNotContain("skipped").contains("selected 17 instructions (high-var)");
        Cli.Result random = Cli.run("select", own.toString(), "--region", "random", "--format", "multi", "--out",
                out.toString(), "--force");
        assertThat(random.out()).contains("skipped 3 instructions");
        assertThat(jsonLines(out).stream().map(j -> j.get("id").asText())).doesNotContainAnyElementsOf(dropped);
    }

    @Test
    void userErrorsExitTwo() {
        assertThat(Cli.run("select", tmp.resolve("nowhere").toString(), "--region", "high-avg", "--out",
                tmp.resolve("x.jsonl").toString()).err()).contains("no such run directory");
        Cli.Result badRegion = Cli.run("select", run.toString(), "--region", "middle", "--out",
                tmp.resolve("x.jsonl").toString());
        assertThat(badRegion.exit()).isEqualTo(2);
        assertThat(badRegion.err()).contains("unknown region 'middle'");
        Cli.Result badFraction = Cli.run("select", run.toString(), "--region", "all", "--fraction", "1.5", "--out",
                tmp.resolve("x.jsonl").toString());
        assertThat(badFraction.exit()).isEqualTo(2);
        assertThat(badFraction.err()).contains("fraction must be in (0, 1]");
        assertThat(tmp.resolve("x.jsonl")).doesNotExist();
    }

    /** The pairs of a TRL file as text: prompt (message lists flattened as admap flattens them), chosen, rejected. */
    private static List<String> trlTriples(Path file) throws Exception {
        return jsonLines(file).stream().map(p -> text(p.get("prompt")) + "\u0000" + text(p.get("chosen"))
                + "\u0000" + text(p.get("rejected"))).sorted().toList();
    }

    private static String text(JsonNode value) {
        return value.isArray() ? value.get(value.size() - 1).get("content").asText() : value.asText();
    }

    @Test
    void trlAndTrlChatExportsMapBackToTheSamePairs() throws Exception {
        for (String format : List.of("trl", "trl-chat")) {
            Path out = tmp.resolve("round-" + format + ".jsonl");
            assertThat(Cli.run("select", run.toString(), "--region", "high-avg", "--format", format, "--out",
                    out.toString()).exit()).isZero();

            Path again = tmp.resolve("round-" + format);
            Cli.Result m = Cli.run("map", out.toString(), "--out", again.toString(), "-q");
            assertThat(m.exit()).as(m.toString()).isZero();
            Path back = tmp.resolve("round-" + format + "-back.jsonl");
            assertThat(Cli.run("select", again.toString(), "--region", "all", "--format", format, "--out",
                    back.toString()).exit()).isZero();

            assertThat(trlTriples(back)).as(format).hasSize(68).isEqualTo(trlTriples(out));
        }
    }

    @Test
    void maxPairsPerPromptCapsEveryInstruction() throws Exception {
        Path out = tmp.resolve("capped.jsonl");
        Cli.Result r = Cli.run("select", run.toString(), "--region", "high-avg", "--max-pairs-per-prompt", "2",
                "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        List<JsonNode> pairs = jsonLines(out);
        java.util.Map<String, Long> perId = pairs.stream().collect(java.util.stream.Collectors.groupingBy(
                p -> p.get("id").asText(), java.util.stream.Collectors.counting()));
        assertThat(perId).hasSize(15);
        assertThat(perId.values()).allSatisfy(n -> assertThat(n).isBetween(1L, 2L));
        assertThat(JSON.readTree(tmp.resolve("capped.jsonl.provenance.json").toFile()).at("/pairs/max_per_prompt")
                .asInt()).isEqualTo(2);
        assertThat(Cli.run("select", run.toString(), "--region", "high-avg", "--max-pairs-per-prompt", "0",
                "--out", tmp.resolve("zero.jsonl").toString()).err()).contains("at least 1");
    }

    @Test
    void sharegptAndKtoExportsRegisterInTheDatasetInfoBesideThem() throws Exception {
        Path lf = tmp.resolve("lf-data");
        Path sharegpt = lf.resolve("high-avg.json");
        Path kto = lf.resolve("high-avg-kto.json");
        assertThat(Cli.run("select", run.toString(), "--region", "high-avg", "--format", "sharegpt", "--out",
                sharegpt.toString()).exit()).isZero();
        Cli.Result k = Cli.run("select", run.toString(), "--region", "high-avg", "--format", "kto", "--out",
                kto.toString());
        assertThat(k.exit()).as(k.toString()).isZero();
        assertThat(k.out()).contains("completions (label: above the instruction's mean, by labels)");

        JsonNode info = JSON.readTree(lf.resolve("dataset_info.json").toFile());
        assertThat(info.at("/high-avg/formatting").asText()).isEqualTo("sharegpt");
        assertThat(info.at("/high-avg-kto/columns/kto_tag").asText()).isEqualTo("label");
        JsonNode rows = JSON.readTree(kto.toFile());
        long desirable = 0;
        for (JsonNode row : rows) {
            desirable += row.get("label").asBoolean() ? 1 : 0;
        }
        assertThat(desirable).isPositive().isLessThan(rows.size());
    }

    @Test
    void aDatasetInfoEntryOfTheSameNameForAnotherFileStopsTheExportBeforeItIsWritten() throws Exception {
        Path lf = tmp.resolve("lf-clash");
        Files.createDirectories(lf);
        Files.writeString(lf.resolve("dataset_info.json"), "{\"high-avg\": {\"file_name\": \"theirs.json\"}}");

        Cli.Result r = Cli.run("select", run.toString(), "--region", "high-avg", "--format", "sharegpt", "--out",
                lf.resolve("high-avg.json").toString());

        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("already registers 'high-avg' for another file (theirs.json)");
        assertThat(lf.resolve("high-avg.json")).doesNotExist();
    }
}
