package org.admap.spark.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.admap.RealData;
import org.admap.internal.score.http.RateLimiter;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.admap.spark.FlagsCsvRow;
import org.admap.spark.MapRow;
import org.admap.spark.SparkMapJob;
import org.admap.spark.SparkMapOptions;
import org.admap.spark.SparkMapped;
import org.admap.spark.SparkTestSupport;
import org.admap.testing.StandInServer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoring on Spark against the local stand-in reward model (real HTTP on 127.0.0.1): the
 * scores, and the map, flags and pairs on them, equal the single machine's; a rerun sends
 * nothing already stored; failed calls are tried again by the next run, and only they; each
 * executor paces itself to its share of the global rate limit.
 */
class SparkScoringTest {

    @TempDir
    Path dir;

    private final SparkSession spark = SparkTestSupport.spark();
    private StandInServer server;

    @BeforeEach
    void start() throws IOException {
        server = StandInServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ScorerSpec reward(int maxRetries) {
        return new ScorerSpec("reward", "reward", server.baseUrl(), "stand-in-reward", "vllm", null, 0, 0, 4,
                maxRetries, 10);
    }

    private SparkMapOptions options(ScorerSpec spec) {
        return SparkMapOptions.defaults(List.of(RealData.demo().toString()), dir.resolve("out").toString())
                .withScorer(spec);
    }

    @Test
    void theMapOnRewardScoresEqualsTheSingleMachines() throws IOException {
        ScorerSpec spec = reward(2);
        SparkMapped mapped = SparkMapJob.map(spark, options(spec));
        try {
            assertThat(mapped.result().scoring().ok()).isEqualTo(mapped.result().scoring().responses());
            assertThat(mapped.result().source()).isEqualTo("reward");
            assertThat(mapped.result().labels()).isEqualTo("independent");

            var expected = SparkTestSupport.singleMachine(List.of(RealData.demo()), Region.HIGH_AVG,
                    dir.resolve("single"), spec.create(RateLimiter.unlimited()), "reward");
            List<MapPoint> points = new ArrayList<>(mapped.map().collect().stream().map(MapRow::toMapPoint).toList());
            points.sort(Comparator.comparingInt(MapPoint::key));
            assertThat(points).hasSize(50).containsExactlyElementsOf(expected.points());
            List<FlagsCsvRow> flags = new ArrayList<>(mapped.flags().collect());
            flags.sort(Comparator.comparingInt(FlagsCsvRow::key));
            assertThat(flags).containsExactlyElementsOf(expected.flags());
            assertThat(SparkTestSupport.trlPairs(mapped)).isNotEmpty().containsExactlyElementsOf(expected.pairs());
        } finally {
            mapped.release();
        }
    }

    @Test
    void aRerunSendsNothingAlreadyStored() throws IOException {
        SparkMapped first = SparkMapJob.map(spark, options(reward(2)));
        first.release();
        int requests = server.requests();
        assertThat(requests).isEqualTo(first.result().scoring().responses());

        SparkMapped second = SparkMapJob.map(spark, options(reward(2)));
        second.release();
        assertThat(server.requests()).isEqualTo(requests);
        assertThat(second.result().scoring().stored()).isEqualTo(first.result().scoring().responses());
        assertThat(second.result().scoring().ok()).isZero();
        assertThat(second.result().regionCounts()).isEqualTo(first.result().regionCounts());
    }

    @Test
    void failedCallsAreTriedAgainByTheNextRunAndOnlyThey() throws IOException {
        server.serverErrorEvery(4);
        SparkMapped first = SparkMapJob.map(spark, options(reward(0))); // no retries: every 4th call fails
        first.release();
        long failed = first.result().scoring().failed();
        assertThat(failed).isPositive();
        assertThat(first.result().scoring().ok() + failed).isEqualTo(first.result().scoring().responses());

        server.serverErrorEvery(0);
        int before = server.requests();
        SparkMapped second = SparkMapJob.map(spark, options(reward(0)));
        second.release();
        assertThat(server.requests() - before).isEqualTo(failed);
        assertThat(second.result().scoring().ok()).isEqualTo(failed);
        assertThat(second.result().mapped()).isEqualTo(50);
    }

    @Test
    void sparkMainScoresMapsAndSaysSoInTheSummary() throws IOException {
        Path out = dir.resolve("main-out");
        int code = org.admap.spark.SparkMain.run(RealData.demo().toString(), "--out", out.toString(),
                "--scorer", "reward", "--base-url", server.baseUrl(), "--model", "stand-in-reward",
                "--api-key-env", "ADMAP_TEST_NO_SUCH_VARIABLE", "--rpm", "60000", "--concurrency", "4");

        assertThat(code).isZero();
        com.fasterxml.jackson.databind.JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/map/scores").asText()).isEqualTo("reward");
        assertThat(summary.at("/scoring/scored_ok").asLong()).isEqualTo(summary.at("/scoring/responses").asLong())
                .isEqualTo(server.requests());
        assertThat(summary.at("/scoring/store").asText()).startsWith(out.resolve("scores").toString());
        assertThat(spark.read().json(summary.at("/scoring/store").asText()).count()).isEqualTo(server.requests());
    }

    @Test
    void eachExecutorPacesItselfToItsShareOfTheGlobalLimit() throws InterruptedException {
        ScorerSpec spec = new ScorerSpec("reward", null, server.baseUrl(), "m", "vllm", null, 6000, 0, 1, 0, 10);
        RateLimiter share = spec.executorLimiter(2); // 3000 requests a minute: one every 20 ms
        long start = System.nanoTime();
        for (int i = 0; i < 11; i++) {
            share.acquire(1);
        }
        assertThat((System.nanoTime() - start) / 1e6).isGreaterThanOrEqualTo(195);
        assertThatThrownBy(() -> spec.executorLimiter(0)).hasMessageContaining("executors");
    }

    @Test
    void aScorerSpecIsCheckedOnTheDriver() {
        assertThatThrownBy(() -> new ScorerSpec("reference", null, server.baseUrl(), "m", null, null, 0, 0, 1, 0, 1))
                .hasMessageContaining("'judge' or 'reward'");
        assertThatThrownBy(() -> new ScorerSpec("reward", null, server.baseUrl(), null, null, null, 0, 0, 1, 0, 1))
                .hasMessageContaining("--model");
        assertThatThrownBy(() -> new ScorerSpec("judge", "labels", server.baseUrl(), null, null, null, 0, 0, 1, 0, 1))
                .hasMessageContaining("choose another --name");
    }
}
