package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.admap.internal.store.ScoreCalibration;
import org.admap.testing.StandInServer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score --calibrate F} end to end against the stand-in judge: every response judged
 * once, every response of a seeded share of the instructions twice, nothing again on a rerun,
 * and a map of one judgment per response whose noise comes from the pairs.
 */
class CalibrateCommandTest {

    @TempDir
    Path tmp;
    StandInServer server;
    Path run;

    @BeforeEach
    void start() throws Exception {
        server = StandInServer.start().freshNoise(2);
        run = tmp.resolve("run");
        Cli.mapDemo(run);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static List<CSVRecord> csv(Path file) throws Exception {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(in).getRecords();
        }
    }

    @Test
    void judgesEveryResponseOnceAndTheShareTwiceAndAddsNothingOnARerun() throws Exception {
        List<CSVRecord> demo = csv(run.resolve("map.csv"));
        assertThat(demo).hasSize(50);
        ScoreCalibration share = new ScoreCalibration(0.2, 1234);
        long chosen = demo.stream().filter(r -> share.chosen(r.get("id"))).count();
        assertThat(chosen).as("a share of 50 instructions").isBetween(3L, 20L);
        long expected = 200 + 4 * chosen;

        Cli.Result dry = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                "--calibrate", "0.2", "--dry-run");
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("dry run for 'judge': " + expected + " calls")
                .contains("calibration (--calibrate 0.2, seed 1234): " + 4 * chosen + " calls to make")
                .contains("--calibrate 0.2");
        assertThat(server.requests()).isZero();

        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                "--calibrate", "0.2", "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("judge: scored " + expected + ", failed 0, copied 0, already scored 0; "
                + expected + " calls").contains(4 * chosen + " calls made");
        assertThat(server.requests("/v1/chat/completions")).isEqualTo((int) expected);
        assertThat(server.judgedWithSeed()).hasSize((int) expected);
        // whole instructions: a response judged twice has its instruction's other responses judged twice
        assertThat(server.judged().values().stream().filter(n -> n.get() == 2).count()).isEqualTo(4 * chosen);

        Cli.Result again = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                "--calibrate", "0.2", "-q");
        assertThat(again.out()).contains("scored 0, failed 0, copied 0, already scored " + expected + "; 0 calls");
        assertThat(server.requests("/v1/chat/completions")).isEqualTo((int) expected);

        Cli.Result map = Cli.run("map", run.toString(), "--scores", "judge", "-q");
        assertThat(map.exit()).as(map.toString()).isZero();
        JsonNode st = new ObjectMapper().readTree(run.resolve("summary.json").toFile()).at("/map/stability");
        assertThat(st.path("sample").asInt(-1)).as("the map of one judgment per response").isZero();
        assertThat(st.path("samples_per_score").asInt()).isEqualTo(1);
        assertThat(st.path("noise_from").asText()).as("the pairs, not the map's sample").isEqualTo("calibration");
        JsonNode c = st.path("calibration");
        assertThat(c.path("share").asDouble()).isEqualTo(0.2);
        assertThat(c.path("seed").asLong()).isEqualTo(1234);
        assertThat(c.path("pairs").asLong()).isEqualTo(4 * chosen);
        assertThat(c.path("pooled_sd").asDouble()).isEqualTo(Math.sqrt(st.path("judgment_variance").asDouble()));
        assertThat(c.path("noise_model").asText()).startsWith("calibration F=0.2 (seed 1234), " + 4 * chosen
                + " pairs, pooled sd ");
        List<CSVRecord> mapped = csv(run.resolve("map.csv"));
        assertThat(mapped.get(0).isMapped("region_p")).isTrue();
        // each score is the first judgment alone: the stand-in's score at the first seed, never a mean of two
        double worstMean = mapped.stream().mapToDouble(m -> Double.parseDouble(m.get("mean")) * 4)
                .map(x -> Math.abs(x - Math.rint(x))).max().orElseThrow();
        assertThat(worstMean).as("4 x mean of whole-number judgments is whole").isLessThan(1e-6);
    }

    @Test
    void refusesAShareOutsideZeroToOneTheSamplesTheOrdersTheBatchApiAndOtherScorers() {
        for (String f : List.of("0", "-0.1", "1.5", "NaN")) {
            Cli.Result r = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                    "--calibrate", f, "-q");
            assertThat(r.exit()).as(f).isEqualTo(2);
            assertThat(r.err()).contains("--calibrate F is the share of the instructions judged twice, more than 0"
                    + " and at most 1; got");
        }
        Cli.Result samples = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                "--calibrate", "0.1", "--samples", "3", "-q");
        assertThat(samples.exit()).isEqualTo(2);
        assertThat(samples.err()).contains("--calibrate with --samples 3: --samples already judges every response"
                + " 3 times");
        Cli.Result orders = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                "--calibrate", "0.1", "--per-call", "all", "--orders", "2", "-q");
        assertThat(orders.exit()).isEqualTo(2);
        assertThat(orders.err()).contains("--calibrate with --orders 2");
        Cli.Result batch = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                "--calibrate", "0.1", "--batch", "-q");
        assertThat(batch.exit()).isEqualTo(2);
        assertThat(batch.err()).contains("--calibrate scores live only");
        Cli.Result reward = Cli.run("score", run.toString(), "--scorer", "reward", "--base-url", server.baseUrl(),
                "--model", "rm", "--calibrate", "0.1", "-q");
        assertThat(reward.exit()).isEqualTo(2);
        assertThat(reward.err()).contains("--calibrate works with --scorer judge only");
        assertThat(server.requests()).isZero();
    }
}
