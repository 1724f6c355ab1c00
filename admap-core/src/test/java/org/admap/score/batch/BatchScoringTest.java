package org.admap.score.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
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
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.store.BatchLog;
import org.admap.internal.store.RunStore;
import org.admap.score.Pricing;
import org.admap.score.ScoringFixtures;
import org.admap.score.judge.JudgeScorer;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchScoringTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-batch-secret-key-0123456789";

    @TempDir
    Path dir;
    StandInServer server;
    RunStore store;
    ApiClient client;

    @BeforeEach
    void start() throws Exception {
        server = StandInServer.start().batchPollsUntilDone(3);
        store = ScoringFixtures.demoStore(dir);
        client = ScoringFixtures.client(server.baseUrl(), KEY, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        store.close();
        server.close();
    }

    private static BatchScoring.Options quick() {
        return BatchScoring.Options.defaults().withPollInterval(Duration.ofMillis(5));
    }

    private BatchReport batch(JudgeScorer judge, BatchScoring.Options options) throws Exception {
        return new BatchScoring(store, judge, client, "judge", options, Progress.Factory.NONE).run();
    }

    private JudgeScorer judge() {
        return ScoringFixtures.judge(client, false, false);
    }

    private Map<String, Double> scoresByText(RunStore s, String source) {
        Map<String, Double> out = new HashMap<>();
        s.forEachItem(source, null, ki -> ki.item().responses().forEach(r -> out.put(r.text(), r.score())));
        return out;
    }

    private List<Path> requestFiles() throws Exception {
        Path folder = dir.resolve("batches");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".requests.jsonl")).sorted().toList();
        }
    }

    @Test
    void submitsPollsAndImportsEveryResponseWithTheJudgesScoresAtHalfPrice() throws Exception {
        BatchReport report = batch(judge(), quick());

        assertThat(report.abortReason()).isNull();
        assertThat(report.submitted()).isEqualTo(1);
        assertThat(report.requests()).isEqualTo(200);
        assertThat(report.imported()).isEqualTo(1);
        assertThat(report.open()).isEmpty();
        assertThat(report.scored()).isEqualTo(200);
        assertThat(report.failed()).isZero();
        assertThat(server.requests("/v1/files")).isEqualTo(1);
        assertThat(server.requests("/v1/batches")).isEqualTo(1);
        assertThat(server.requests("/v1/chat/completions")).isZero();
        assertThat(server.judged().values()).allMatch(n -> n.get() == 1);
        scoresByText(store, "judge").forEach((text, score) ->
                assertThat(score).as(text).isEqualTo(StandInServer.judgeScore(text)));

        RunStore.ScoreTotals totals = store.scoreTotals("judge");
        assertThat(totals.ok()).isEqualTo(200);
        Pricing half = Pricing.forModel("gpt-4o-2024-11-20").halved();
        assertThat(totals.costUsd()).isPositive()
                .isCloseTo(half.cost(totals.tokensIn(), totals.tokensOut()), within(1e-9));
        assertThat(report.usage().costUsd()).isCloseTo(totals.costUsd(), within(1e-6));

        // The same tokens scored live cost exactly twice as much.
        Path liveDir = Files.createDirectories(dir.resolve("live"));
        try (RunStore live = ScoringFixtures.demoStore(liveDir)) {
            new ScoringJob(live, judge(), "judge", ScoringFixtures.options(8), Progress.Factory.NONE).run();
            RunStore.ScoreTotals liveTotals = live.scoreTotals("judge");
            assertThat(liveTotals.tokensIn()).isEqualTo(totals.tokensIn());
            assertThat(liveTotals.costUsd()).isCloseTo(2 * totals.costUsd(), within(1e-9));
        }

        try (BatchLog log = BatchLog.of(store)) {
            List<BatchLog.Entry> batches = log.all("judge");
            assertThat(batches).hasSize(1);
            assertThat(batches.get(0).status()).isEqualTo("completed");
            assertThat(batches.get(0).imported()).isTrue();
            assertThat(batches.get(0).requestCount()).isEqualTo(200);
            assertThat(log.unimported("judge")).isEmpty();
        }
        assertThat(requestFiles()).as("request files of imported batches are removed").isEmpty();

        // Provenance: each score names the batch it came from and keeps the judge's raw answer.
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("run.duckdb"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FILTER (endpoint = '" + server.baseUrl()
                     + "/batches/' || (SELECT batch_id FROM batches)), count(*) FILTER (raw_output LIKE"
                     + " '%Judged by the stand-in%'), count(*) FILTER (latency_ms = 0 AND attempts = 1)"
                     + " FROM scores WHERE source = 'judge'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(200);
            assertThat(rs.getLong(2)).isEqualTo(200);
            assertThat(rs.getLong(3)).isEqualTo(200);
        } finally {
            store = RunStore.open(dir.resolve("run.duckdb"));
        }
    }

    @Test
    void theRequestLinesCarryExactlyTheBodiesOfLiveCalls() throws Exception {
        BatchReport report = batch(judge(), quick().withWaitForResults(false));
        assertThat(report.submitted()).isEqualTo(1);
        List<Path> files = requestFiles();
        assertThat(files).hasSize(1);
        Set<JsonNode> batchBodies = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (String line : Files.readAllLines(files.get(0), StandardCharsets.UTF_8)) {
            JsonNode n = JSON.readTree(line);
            assertThat(n.path("method").asText()).isEqualTo("POST");
            assertThat(n.path("url").asText()).isEqualTo("/v1/chat/completions");
            assertThat(n.path("custom_id").asText()).matches("admap:[0-9a-f]{16}:\\d+:\\d+");
            ids.add(n.path("custom_id").asText());
            batchBodies.add(n.path("body"));
        }
        assertThat(ids).hasSize(200);

        Path liveDir = Files.createDirectories(dir.resolve("live"));
        try (StandInServer other = StandInServer.start(); RunStore live = ScoringFixtures.demoStore(liveDir)) {
            ApiClient otherClient = ScoringFixtures.client(other.baseUrl(), null, Duration.ofSeconds(10));
            new ScoringJob(live, ScoringFixtures.judge(otherClient, false, false), "judge",
                    ScoringFixtures.options(8), Progress.Factory.NONE).run();
            assertThat(new HashSet<>(other.chatBodies())).isEqualTo(batchBodies);
        }
        assertThat(Files.readString(files.get(0))).doesNotContain(KEY);
    }

    @Test
    void requestsAreSplitIntoFilesWithinTheLineAndByteLimits() throws Exception {
        BatchReport byLines = batch(judge(), quick().withWaitForResults(false).withFileLimits(60, 190_000_000L));
        assertThat(byLines.submitted()).isEqualTo(4);
        List<Long> lines = new ArrayList<>();
        for (Path f : requestFiles()) {
            lines.add((long) Files.readAllLines(f).size());
        }
        assertThat(lines).containsExactlyInAnyOrder(60L, 60L, 60L, 20L);
        assertThat(server.requests("/v1/batches")).isEqualTo(4);

        BatchReport collected = batch(judge(), quick());
        assertThat(collected.resumed()).isEqualTo(4);
        assertThat(collected.submitted()).isZero();
        assertThat(collected.scored()).isEqualTo(200);

        Path other = Files.createDirectories(dir.resolve("bytes"));
        try (RunStore s = ScoringFixtures.demoStore(other)) {
            BatchReport byBytes = new BatchScoring(s, judge(), client, "judge",
                    quick().withWaitForResults(false).withFileLimits(50_000, 20_000), Progress.Factory.NONE).run();
            assertThat(byBytes.submitted()).isGreaterThan(5);
            try (Stream<Path> files = Files.list(other.resolve("batches"))) {
                assertThat(files.toList()).hasSize(byBytes.submitted())
                        .allSatisfy(f -> assertThat(Files.size(f)).isLessThanOrEqualTo(20_000));
            }
        }
    }

    @Test
    void aRunThatEndsAfterSubmittingIsCollectedByTheNextWithoutSubmittingAgain() throws Exception {
        BatchReport submitted = batch(judge(), quick().withWaitForResults(false));
        assertThat(submitted.submitted()).isEqualTo(1);
        assertThat(submitted.open()).hasSize(1);
        assertThat(store.scoreTotals("judge").ok()).isZero();
        int uploads = server.requests("/v1/files");
        int creations = server.requests("/v1/batches");

        // The process "dies": a new store connection and a new job know only what the store holds.
        store.close();
        store = RunStore.open(dir.resolve("run.duckdb"));
        BatchReport stillOpen = batch(judge(), quick().withWaitForResults(false));
        assertThat(stillOpen.resumed()).isEqualTo(1);
        assertThat(stillOpen.submitted()).isZero();
        assertThat(stillOpen.inOpenBatches()).isEqualTo(200);
        assertThat(stillOpen.open()).isEqualTo(submitted.open());

        store.close();
        store = RunStore.open(dir.resolve("run.duckdb"));
        BatchReport collected = batch(judge(), quick());
        assertThat(collected.resumed()).isEqualTo(1);
        assertThat(collected.submitted()).isZero();
        assertThat(collected.imported()).isEqualTo(1);
        assertThat(collected.scored()).isEqualTo(200);
        assertThat(server.requests("/v1/files")).isEqualTo(uploads);
        assertThat(server.requests("/v1/batches")).isEqualTo(creations);
        assertThat(server.judged().values()).allMatch(n -> n.get() == 1);
        scoresByText(store, "judge").forEach((text, score) ->
                assertThat(score).as(text).isEqualTo(StandInServer.judgeScore(text)));

        BatchReport nothingLeft = batch(judge(), quick());
        assertThat(nothingLeft.resumed()).isZero();
        assertThat(nothingLeft.submitted()).isZero();
        assertThat(nothingLeft.alreadyScored()).isEqualTo(200);
        assertThat(server.requests("/v1/batches")).isEqualTo(creations);
    }

    @Test
    void anExpiredBatchKeepsWhatItAnsweredAndItsOtherRequestsGoIntoANewBatch() throws Exception {
        server.batchesEnd("expired", 50);
        BatchReport expired = batch(judge(), quick());
        assertThat(expired.imported()).isEqualTo(1);
        assertThat(expired.scored()).isEqualTo(50);
        assertThat(expired.leftPending()).isEqualTo(150);
        assertThat(expired.notes()).anySatisfy(n -> assertThat(n).contains("expired").contains("150 of its 200")
                .contains("pending again"));
        assertThat(store.scoreTotals("judge").ok()).isEqualTo(50);
        assertThat(store.scoreTotals("judge").failed()).as("not run is not failed").isZero();
        assertThat(store.responsesToScore("judge", false)).isEqualTo(150);

        server.batchesEnd("completed", -1);
        BatchReport rest = batch(judge(), quick());
        assertThat(rest.submitted()).isEqualTo(1);
        assertThat(rest.requests()).isEqualTo(150);
        assertThat(rest.scored()).isEqualTo(150);
        assertThat(store.scoreTotals("judge").ok()).isEqualTo(200);
        assertThat(server.judged().values()).allMatch(n -> n.get() == 1);
    }

    @Test
    void aBatchThatFailsValidationLeavesEverythingPendingAndSaysWhy() throws Exception {
        server.batchesEnd("failed", 0);
        BatchReport failed = batch(judge(), quick());
        assertThat(failed.scored()).isZero();
        assertThat(failed.leftPending()).isEqualTo(200);
        assertThat(failed.notes()).anySatisfy(n -> assertThat(n).contains("failed: The stand-in refused this batch"));
        assertThat(store.scoreTotals("judge").failed()).isZero();

        server.batchesEnd("completed", -1);
        assertThat(batch(judge(), quick()).scored()).isEqualTo(200);
    }

    @Test
    void aCancelledBatchSubmittedByAnEarlierRunIsImportedAndTheRestResubmitted() throws Exception {
        server.batchesEnd("cancelled", 120);
        batch(judge(), quick().withWaitForResults(false));
        server.batchesEnd("completed", -1);
        BatchReport next = batch(judge(), quick());
        assertThat(next.resumed()).isEqualTo(1);
        assertThat(next.leftPending()).isEqualTo(80);
        assertThat(next.submitted()).isEqualTo(1);
        assertThat(next.requests()).isEqualTo(80);
        assertThat(next.scored()).isEqualTo(200);
        assertThat(server.judged().values()).allMatch(n -> n.get() == 1);
    }

    @Test
    void failedRequestLinesAreFailedScoresWithTheirErrorAndRetryFailedSendsThemAgain() throws Exception {
        server.batchLineFailureEvery(10);
        BatchReport report = batch(judge(), quick());
        assertThat(report.scored()).isEqualTo(180);
        assertThat(report.failed()).isEqualTo(20);
        assertThat(store.scoreErrors("judge", 3)).containsOnlyKeys(
                "batch request failed: HTTP 500: The server had an error while processing your request.");

        server.batchLineFailureEvery(0);
        BatchReport untouched = batch(judge(), quick());
        assertThat(untouched.submitted()).isZero();
        assertThat(untouched.previouslyFailed()).isEqualTo(20);

        BatchReport retried = batch(judge(), quick().withRetryFailed(true));
        assertThat(retried.requests()).isEqualTo(20);
        assertThat(retried.scored()).isEqualTo(20);
        assertThat(store.scoreTotals("judge").ok()).isEqualTo(200);
        assertThat(store.scoreTotals("judge").failed()).isZero();
    }

    @Test
    void anAnswerThatDoesNotParseIsAFailedScoreWithItsRawTextAndNoSecondAsk() throws Exception {
        server.alwaysUnparseable(true);
        BatchReport report = batch(judge(), quick());
        assertThat(report.scored()).isZero();
        assertThat(report.failed()).isEqualTo(200);
        assertThat(server.requests("/v1/chat/completions")).isZero();
        Map<String, Long> errors = store.scoreErrors("judge", 3);
        assertThat(errors).hasSize(1);
        assertThat(errors.keySet().iterator().next()).contains("no score from 1 to 10").contains("not asked again")
                .contains("--retry-failed");
        assertThat(store.scoreSources()).doesNotContain("judge");
    }

    @Test
    void allResponsesOfAnInstructionGoAsOneRequest() throws Exception {
        BatchReport report = batch(ScoringFixtures.judge(client, true, false), quick());
        assertThat(report.requests()).isEqualTo(50);
        assertThat(report.scored()).isEqualTo(200);
        scoresByText(store, "judge").forEach((text, score) ->
                assertThat(score).as(text).isEqualTo(StandInServer.judgeScore(text)));
    }

    @Test
    void aspectsAreStoredAsSourcesOfTheirOwn() throws Exception {
        BatchReport report = batch(ScoringFixtures.judge(client, false, true), quick());
        assertThat(report.scored()).isEqualTo(200);
        assertThat(store.scoreSources()).contains("judge", "judge.helpfulness", "judge.honesty",
                "judge.instruction_following", "judge.truthfulness");
    }

    @Test
    void identicalResponsesAreRequestedOnceEvenAcrossRuns() throws Exception {
        Path data = dir.resolve("dups.jsonl");
        Files.write(data, List.of(
                "{\"prompt\": \"Name a colour.\", \"responses\": [{\"text\": \"Blue.\"}, {\"text\": \"Red.\"}]}",
                "{\"prompt\": \"Name a colour.\", \"responses\": [{\"text\": \"Blue.\"}, {\"text\": \"Green.\"}]}"));
        Path runDir = Files.createDirectories(dir.resolve("dups"));
        try (RunStore s = RunStore.create(runDir.resolve("run.duckdb"))) {
            Ingest.run(List.of(data), IngestOptions.defaults(), s, Progress.Factory.NONE);
            BatchReport submitted = new BatchScoring(s, judge(), client, "judge", quick().withWaitForResults(false),
                    Progress.Factory.NONE).run();
            assertThat(submitted.requests()).isEqualTo(3);
            assertThat(submitted.copied()).isEqualTo(1);
        }
        try (RunStore s = RunStore.open(runDir.resolve("run.duckdb"))) {
            BatchReport collected = new BatchScoring(s, judge(), client, "judge", quick(), Progress.Factory.NONE)
                    .run();
            assertThat(collected.submitted()).isZero();
            assertThat(collected.copied()).isEqualTo(1);
            assertThat(s.scoreTotals("judge").ok()).isEqualTo(4);
            assertThat(scoresByText(s, "judge").get("Blue.")).isEqualTo(StandInServer.judgeScore("Blue."));
        }
        assertThat(server.requests("/v1/batches")).isEqualTo(1);
    }

    @Test
    void aDryRunCountsRequestsBatchesAndHalfPriceCostAndCallsNothing() throws Exception {
        BatchReport report = batch(judge(), quick().withDryRun(true).withFileLimits(150, 190_000_000L));
        assertThat(server.requests()).isZero();
        assertThat(report.requests()).isEqualTo(200);
        assertThat(report.submitted()).isEqualTo(2);
        assertThat(report.usage().costUsd()).isPositive();
        assertThat(store.scoreSource("judge")).isEmpty();
        assertThat(requestFiles()).isEmpty();
    }

    @Test
    void theBudgetLimitsWhatIsSubmitted() throws Exception {
        BatchReport dry = batch(judge(), quick().withDryRun(true));
        double all = dry.usage().costUsd();
        BatchReport report = batch(judge(), quick().withMaxCost(all / 2));
        assertThat(report.stoppedByBudget()).isTrue();
        assertThat(report.requests()).isBetween(50L, 150L);
        assertThat(report.usage().costUsd()).isLessThanOrEqualTo(all);
    }

    @Test
    void aRejectedKeyStopsTheRunWithoutShowingTheKey() throws Exception {
        server.requireKey("sk-the-right-key-000000000");
        BatchReport report = batch(judge(), quick());
        assertThat(report.abortReason()).contains("HTTP 401").doesNotContain(KEY);
        assertThat(report.submitted()).isZero();
        assertThat(requestFiles()).isEmpty();
        assertThat(Files.readAllBytes(dir.resolve("run.duckdb"))).asString(StandardCharsets.ISO_8859_1)
                .doesNotContain(KEY);
    }
}
