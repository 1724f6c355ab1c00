package org.admap.score.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.admap.Progress;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.store.RunStore;
import org.admap.score.Pricing;
import org.admap.score.ScoringFixtures;
import org.admap.score.ScoringOptions;
import org.admap.score.ScoringReport;
import org.admap.score.judge.JudgeScorer;
import org.admap.score.judge.Rubric;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repeated judgments ({@code --samples K}, {@code --orders 2}) through the Batch API: each
 * judgment its own request line (its sample in the custom id) with the body, seed and
 * temperature its live call sends, stored as its own sample row, so that the stored scores
 * equal those of live scoring; held, resumed and costed per sample.
 */
class BatchSamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    StandInServer server;
    ApiClient client;

    @BeforeEach
    void start() throws Exception {
        // a judge whose grade moves with the seed at temperature > 0: the samples differ
        server = StandInServer.start().batchPollsUntilDone(2).noisy(true);
        client = ScoringFixtures.client(server.baseUrl(), "sk-batch-samples-0123456789", Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The judge at temperature 1.0 (what --samples K > 1 defaults to), seed 1234. */
    private JudgeScorer judge(int samples, boolean allPerCall, int orders) {
        return new JudgeScorer(client, new JudgeScorer.JudgeSettings("gpt-4o-2024-11-20", allPerCall, false,
                Rubric.admap(), 1.0, 1234, 300, Pricing.forModel("gpt-4o-2024-11-20"), JudgeScorer.Logprobs.OFF,
                JudgeScorer.Rationale.FULL, samples, orders));
    }

    private static BatchScoring.Options quick() {
        return BatchScoring.Options.defaults().withPollInterval(Duration.ofMillis(5));
    }

    private BatchReport batch(RunStore store, JudgeScorer judge, BatchScoring.Options o) throws Exception {
        return new BatchScoring(store, judge, client, "judge", o, Progress.Factory.NONE).run();
    }

    /** One stored score row. */
    record Row(int key, int position, int sample, Double value, String callOrder) {
    }

    /** The score rows of "judge" in a store file, in key, position, sample order. */
    private static List<Row> rows(Path file) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT item_key, position, sample, value, call_order FROM scores"
                     + " WHERE source = 'judge' AND status = 'ok' ORDER BY item_key, position, sample")) {
            while (rs.next()) {
                rows.add(new Row(rs.getInt(1), rs.getInt(2), rs.getInt(3), (Double) rs.getObject(4),
                        rs.getString(5)));
            }
        }
        return rows;
    }

    /** The same run scored live with the same judge: the rows a batch must give. */
    private List<Row> live(JudgeScorer judge) throws Exception {
        Path liveDir = Files.createDirectories(dir.resolve("live"));
        Path file;
        try (RunStore live = ScoringFixtures.demoStore(liveDir)) {
            ScoringReport r = new ScoringJob(live, judge, "judge", ScoringFixtures.options(8), Progress.Factory.NONE)
                    .run();
            assertThat(r.failed()).isZero();
            file = live.file();
        }
        return rows(file);
    }

    private List<JsonNode> requestLines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("batches"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".requests.jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(p)) {
                    lines.add(JSON.readTree(line));
                }
            }
        }
        return lines;
    }

    @Test
    void everySampleIsItsOwnRequestWithItsSeedAndItsOwnRowEqualToTheLiveScore() throws Exception {
        Path file;
        try (RunStore store = ScoringFixtures.demoStore(dir)) {
            file = store.file();
            BatchReport submitted = batch(store, judge(3, false, 1), quick().withWaitForResults(false));
            assertThat(submitted.requests()).isEqualTo(600);

            List<JsonNode> lines = requestLines();
            assertThat(lines).hasSize(600);
            Set<String> ids = new HashSet<>();
            Map<String, Set<Integer>> seedsByRequest = new HashMap<>();
            for (JsonNode line : lines) {
                ids.add(line.path("custom_id").asText());
                JsonNode body = line.path("body");
                assertThat(body.path("temperature").asDouble()).isEqualTo(1.0);
                String id = line.path("custom_id").asText();
                String firstJudgment = id.split(":").length == 5 ? id.substring(0, id.lastIndexOf(':')) : id;
                seedsByRequest.computeIfAbsent(firstJudgment, k -> new HashSet<>()).add(body.path("seed").asInt());
            }
            assertThat(ids).as("custom ids are unique within the batch").hasSize(600);
            assertThat(seedsByRequest).hasSize(200)
                    .allSatisfy((id, seeds) -> assertThat(seeds).containsExactlyInAnyOrder(1234, 1235, 1236));

            BatchReport collected = batch(store, judge(3, false, 1), quick());
            assertThat(collected.submitted()).isZero();
            assertThat(collected.scored()).isEqualTo(600);
            assertThat(store.sampleCounts("judge")).containsExactly(Map.entry(3, 200L));
            assertThat(server.requests("/v1/chat/completions")).isZero();
        }
        assertThat(server.judgedWithSeed()).hasSize(600).allSatisfy((k, n) -> assertThat(n.get()).isEqualTo(1));
        List<Row> batched = rows(file);
        Map<List<Integer>, Set<Double>> valuesByResponse = new HashMap<>();
        batched.forEach(x -> valuesByResponse.computeIfAbsent(List.of(x.key(), x.position()), k -> new HashSet<>())
                .add(x.value()));
        assertThat(valuesByResponse.values().stream().filter(v -> v.size() > 1).count())
                .as("responses whose samples differ").isGreaterThan(50);
        assertThat(batched).isEqualTo(live(judge(3, false, 1)));
    }

    @Test
    void bothOrdersGoThroughTheBatchAsTheLiveCallsShowThem() throws Exception {
        Path file;
        try (RunStore store = ScoringFixtures.demoStore(dir)) {
            file = store.file();
            BatchReport r = batch(store, judge(1, true, 2), quick());
            assertThat(r.requests()).as("one request per instruction and order").isEqualTo(100);
            assertThat(r.scored()).isEqualTo(400);
        }
        List<Row> batched = rows(file);
        Map<Integer, String[]> orders = new HashMap<>();
        batched.forEach(x -> orders.computeIfAbsent(x.key(), k -> new String[2])[x.sample()] = x.callOrder());
        assertThat(orders).hasSize(50).allSatisfy((key, o) -> assertThat(o[1]).isEqualTo(reversed(o[0])));
        assertThat(batched).isEqualTo(live(judge(1, true, 2)));
    }

    private static String reversed(String callOrder) {
        List<String> parts = new ArrayList<>(List.of(callOrder.split(",")));
        java.util.Collections.reverse(parts);
        return String.join(",", parts);
    }

    @Test
    void aBatchOfTheFirstSampleIsHeldAndOnlyTheOtherSamplesAreSubmittedBesideIt() throws Exception {
        server.batchPollsUntilDone(3);
        try (RunStore store = ScoringFixtures.demoStore(dir)) {
            BatchReport first = batch(store, judge(1, false, 1), quick().withWaitForResults(false));
            assertThat(first.requests()).isEqualTo(200);

            BatchReport more = batch(store, judge(3, false, 1), quick().withWaitForResults(false));
            assertThat(more.resumed()).isEqualTo(1);
            assertThat(more.open()).hasSize(2);
            assertThat(more.inOpenBatches()).as("sample 0 of every response is in the open batch").isEqualTo(200);
            assertThat(more.requests()).as("samples 1 and 2 only").isEqualTo(400);

            BatchReport collected = batch(store, judge(3, false, 1), quick());
            assertThat(collected.resumed()).isEqualTo(2);
            assertThat(collected.submitted()).isZero();
            assertThat(collected.scored()).isEqualTo(600);
            assertThat(store.sampleCounts("judge")).containsExactly(Map.entry(3, 200L));

            BatchReport again = batch(store, judge(3, false, 1), quick());
            assertThat(again.submitted()).isZero();
            assertThat(again.requests()).isZero();
            assertThat(again.alreadyScored()).isEqualTo(600);
        }
        assertThat(server.requests("/v1/batches")).isEqualTo(2);
        assertThat(server.judgedWithSeed()).hasSize(600).allSatisfy((k, n) -> assertThat(n.get()).isEqualTo(1));
    }

    @Test
    void aDryRunCostsEverySampleAtHalfTheLivePrice() throws Exception {
        try (RunStore store = ScoringFixtures.demoStore(dir)) {
            BatchReport one = batch(store, judge(1, false, 1), quick().withDryRun(true));
            BatchReport three = batch(store, judge(3, false, 1), quick().withDryRun(true));
            assertThat(three.requests()).isEqualTo(600);
            assertThat(three.usage().tokensIn()).isEqualTo(3 * one.usage().tokensIn());
            assertThat(three.usage().costUsd()).isPositive().isCloseTo(3 * one.usage().costUsd(), within(1e-9));

            ScoringReport live = new ScoringJob(store, judge(3, false, 1), "judge",
                    new ScoringOptions(8, false, Double.NaN, true), Progress.Factory.NONE).run();
            assertThat(three.usage().tokensIn()).isEqualTo(live.usage().tokensIn());
            // live scoring adds its calls' costs in whole micro-dollars: at most half a micro-dollar off each
            assertThat(three.usage().costUsd()).isCloseTo(live.usage().costUsd() / 2, within(600 * 0.5e-6));
            assertThat(store.scoreSource("judge")).isEmpty();
        }
        assertThat(server.requests()).isZero();
    }
}
