package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Region stability end to end: data whose scores are lists of judgments gets {@code region_p}
 * in map.csv and each region's stability in summary.json, data without uncertainty gets
 * neither, and {@code select --min-region-p} keeps the stable instructions only.
 */
class StabilityCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path data;
    static Path run;

    /** 90 instructions x 4 responses, each graded three times on 1-5 with judge noise. */
    @BeforeAll
    static void mapSampledScores() throws Exception {
        data = tmp.resolve("sampled.jsonl");
        Random random = new Random(5);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 90; i++) {
            lines.append("{\"id\": \"q").append(i).append("\", \"prompt\": \"question ").append(i)
                    .append("\", \"responses\": [");
            double level = 1 + 4 * random.nextDouble();
            for (int r = 0; r < 4; r++) {
                double quality = level + random.nextGaussian();
                lines.append(r == 0 ? "" : ", ").append("{\"text\": \"answer ").append(r).append("\", \"score\": [");
                for (int s = 0; s < 3; s++) {
                    long grade = Math.max(1, Math.min(5, Math.round(quality + 0.5 * random.nextGaussian())));
                    lines.append(s == 0 ? "" : ", ").append(grade);
                }
                lines.append("]}");
            }
            lines.append("]}\n");
        }
        Files.writeString(data, lines);
        run = tmp.resolve("run");
        Cli.Result r = Cli.run("map", data.toString(), "--out", run.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private static List<CSVRecord> csv(Path file) throws Exception {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(in).getRecords();
        }
    }

    private static String header(Path file) throws Exception {
        return Files.readAllLines(file).get(0);
    }

    @Test
    void scoresGivenAsListsGiveRegionPAndEachRegionsStability() throws Exception {
        assertThat(header(run.resolve("map.csv"))).isEqualTo("id,prompt,n,mean,variance,std,region,region_p");
        List<CSVRecord> rows = csv(run.resolve("map.csv"));
        assertThat(rows).hasSize(90);
        double[] sum = new double[3];
        int[] count = new int[3];
        List<String> regions = List.of("high-avg", "low-avg", "high-var");
        for (CSVRecord row : rows) {
            double p = Double.parseDouble(row.get("region_p"));
            assertThat(p).isBetween(0.0, 1.0);
            int g = regions.indexOf(row.get("region"));
            sum[g] += p;
            count[g]++;
        }
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        for (int g = 0; g < 3; g++) {
            double stability = summary.at("/map/regions/" + regions.get(g) + "/stability").asDouble();
            // region_p as written (shortest decimal) averages to the stability written
            assertThat(stability).isCloseTo(sum[g] / count[g], org.assertj.core.api.Assertions.within(1e-9));
            assertThat(stability).isLessThan(1.0);
        }
        assertThat(summary.at("/map/stability/samples_per_score").asInt()).isEqualTo(3);
        assertThat(summary.at("/map/stability/target").asText()).isEqualTo("replicate");
        assertThat(summary.at("/map/stability/noise_from").asText()).isEqualTo("samples");
        assertThat(summary.at("/map/stability/judgment_variance").asDouble()).isPositive();
    }

    @Test
    void theMeanOfTheSamplesIsTheScore() throws Exception {
        JsonNode first = JSON.readTree(Files.readAllLines(data).get(0));
        double[] means = new double[4];
        for (int r = 0; r < 4; r++) {
            JsonNode s = first.at("/responses/" + r + "/score");
            means[r] = (s.get(0).asDouble() + s.get(1).asDouble() + s.get(2).asDouble()) / 3;
        }
        double mean = (means[0] + means[1] + means[2] + means[3]) / 4;
        CSVRecord q0 = csv(run.resolve("map.csv")).get(0);
        assertThat(q0.get("id")).isEqualTo("q0");
        assertThat(Double.parseDouble(q0.get("mean"))).isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void dataWithoutUncertaintyHasNoRegionPColumnAndNoStability() throws Exception {
        Path demo = Cli.mapDemo(tmp.resolve("demo"));
        assertThat(header(demo.resolve("map.csv"))).isEqualTo("id,prompt,n,mean,variance,std,region,correlation");
        JsonNode summary = JSON.readTree(demo.resolve("summary.json").toFile());
        assertThat(summary.at("/map/stability").isMissingNode()).isTrue();
        assertThat(summary.at("/map/regions/high-avg/stability").isMissingNode()).isTrue();
        Cli.Result r = Cli.run("select", demo.toString(), "--region", "high-avg", "--min-region-p", "0.9",
                "--out", tmp.resolve("none.jsonl").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("the map has no region_p");
    }

    @Test
    void theMapOfOneSampleAloneIsLessStableThanTheMapOfTheMeans() throws Exception {
        Path one = tmp.resolve("one");
        Cli.Result r = Cli.run("map", data.toString(), "--out", one.toString(), "--sample", "0");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode single = JSON.readTree(one.resolve("summary.json").toFile());
        JsonNode means = JSON.readTree(run.resolve("summary.json").toFile());
        assertThat(single.at("/map/stability/sample").asInt()).isZero();
        assertThat(single.at("/map/stability/noise_from").asText()).isEqualTo("sample");
        assertThat(single.at("/map/stability/samples_per_score").asInt()).isEqualTo(1);
        // one judgment is noisier than the mean of three: its map keeps fewer instructions in place
        assertThat(single.at("/map/stability/overall").asDouble())
                .isLessThan(means.at("/map/stability/overall").asDouble());
        // the first sample's grades are the scores
        JsonNode first = JSON.readTree(Files.readAllLines(data).get(0));
        double sum = 0;
        for (int k = 0; k < 4; k++) {
            sum += first.at("/responses/" + k + "/score/0").asDouble();
        }
        assertThat(Double.parseDouble(csv(one.resolve("map.csv")).get(0).get("mean"))).isEqualTo(sum / 4);
    }

    @Test
    void minRegionPKeepsOnlyTheStableInstructions() throws Exception {
        long stable = csv(run.resolve("map.csv")).stream()
                .filter(row -> row.get("region").equals("high-avg") && Double.parseDouble(row.get("region_p")) >= 0.9)
                .count();
        long all = csv(run.resolve("map.csv")).stream().filter(row -> row.get("region").equals("high-avg")).count();
        assertThat(stable).isPositive().isLessThan(all);
        Path out = tmp.resolve("stable.jsonl");
        Cli.Result r = Cli.run("select", run.toString(), "--region", "high-avg", "--min-region-p", "0.9",
                "--format", "multi", "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains(String.format(Locale.ROOT, "selected %d instructions (high-avg)", stable));
        assertThat(r.err()).contains("left out " + (all - stable) + " instructions (high-avg) whose region_p is " +
                "below 0.9");
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            ids.add(JSON.readTree(line).get("id").asText());
        }
        List<String> expected = csv(run.resolve("map.csv")).stream()
                .filter(row -> row.get("region").equals("high-avg") && Double.parseDouble(row.get("region_p")) >= 0.9)
                .map(row -> row.get("id")).toList();
        assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
        JsonNode prov = JSON.readTree(tmp.resolve("stable.jsonl.provenance.json").toFile());
        assertThat(prov.at("/selection/min_region_p").asDouble()).isEqualTo(0.9);
        assertThat(prov.at("/selection/unstable_left_out").asLong()).isEqualTo(all - stable);
    }

    @Test
    void theScanLeavesListScoresToTheFullIngest() throws Exception {
        // the map above came from the full ingest (the scan does not read lists): the store exists now
        assertThat(run.resolve("run.duckdb")).exists();
        assertThat(run.resolve("store.pending.json")).doesNotExist();
    }
}
