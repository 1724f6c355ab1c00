package org.admap.internal.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.admap.Progress;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.store.RunStore;
import org.admap.model.ItemScores;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.Scorer;
import org.admap.score.ScorerConfig;
import org.admap.score.ScoringFixtures;
import org.admap.score.ScoringOptions;
import org.admap.score.ScoringReport;
import org.admap.score.Usage;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoringJobTest {

    @TempDir
    Path dir;
    StandInServer server;
    RunStore store;

    @BeforeEach
    void start() throws Exception {
        server = StandInServer.start();
        store = ScoringFixtures.demoStore(dir);
    }

    @AfterEach
    void stop() {
        store.close();
        server.close();
    }

    private ScoringReport score(Scorer scorer, String source, ScoringOptions options) throws Exception {
        return new ScoringJob(store, scorer, source, options, Progress.Factory.NONE).run();
    }

    private Map<String, Double> scoresByText(String source) {
        Map<String, Double> out = new HashMap<>();
        store.forEachItem(source, null, ki -> ki.item().responses().forEach(r -> out.put(r.text(), r.score())));
        return out;
    }

    @Test
    void judgesEveryResponseOnceAndStoresTheJudgesScores() throws Exception {
        ApiClient client = ScoringFixtures.client(server.baseUrl(), "sk-test-key-123456", Duration.ofSeconds(5));
        ScoringReport report = score(ScoringFixtures.judge(client, false, false), "judge", ScoringFixtures.options(8));

        assertThat(report.scored()).isEqualTo(200); // 200 responses, two pairs of identical texts in one item each
        assertThat(report.cached()).isEqualTo(0);
        assertThat(report.failed()).isZero();
        assertThat(report.complete()).isTrue();
        assertThat(server.requests("/v1/chat/completions")).isEqualTo(200);
        assertThat(server.judged().values()).allMatch(n -> n.get() == 1);
        scoresByText("judge").forEach((text, score) ->
                assertThat(score).as(text).isEqualTo(StandInServer.judgeScore(text)));
        assertThat(report.usage().tokensIn()).isPositive();
        assertThat(report.usage().costUsd()).isPositive();
        assertThat(store.scoreSources()).contains("judge");
    }

    @Test
    void aRerunSendsNothing() throws Exception {
        ApiClient client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(5));
        score(ScoringFixtures.judge(client, false, false), "judge", ScoringFixtures.options(8));
        int before = server.requests();

        ScoringReport again = score(ScoringFixtures.judge(client, false, false), "judge", ScoringFixtures.options(8));

        assertThat(server.requests()).isEqualTo(before);
        assertThat(again.alreadyScored()).isEqualTo(200);
        assertThat(again.calls()).isZero();
    }

    @Test
    void aMixOfFaultsEndsWithEveryResponseScored() throws Exception {
        server.rateLimitEvery(7).serverErrorEvery(11).malformedJsonEvery(13).unparseableReplyEvery(5)
                .hangEvery(17, 3_000);
        ApiClient client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofMillis(700));
        ScoringReport report = score(ScoringFixtures.judge(client, false, false), "judge", ScoringFixtures.options(16));

        assertThat(report.failed()).as(store.scoreErrors("judge", 5).toString()).isZero();
        assertThat(report.scored() + report.cached()).isEqualTo(200);
        scoresByText("judge").forEach((text, score) ->
                assertThat(score).as(text).isEqualTo(StandInServer.judgeScore(text)));
    }

    @Test
    void anAnswerThatNeverParsesIsAFailedScoreWithItsRawTextNotANumber() throws Exception {
        server.alwaysUnparseable(true);
        ApiClient client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(5));
        ScoringReport report = score(ScoringFixtures.judge(client, false, false), "judge", ScoringFixtures.options(8));

        assertThat(report.scored()).isZero();
        assertThat(report.failed()).isEqualTo(200);
        assertThat(server.requests("/v1/chat/completions")).isEqualTo(2 * 200); // one stricter retry each
        assertThat(store.scoreSources()).doesNotContain("judge");
        RunStore.ScoreTotals totals = store.scoreTotals("judge");
        assertThat(totals.failed()).isEqualTo(200);

        // --retry-failed takes them again
        server.alwaysUnparseable(false);
        ScoringReport retry = score(ScoringFixtures.judge(client, false, false), "judge",
                new ScoringOptions(8, true, Double.NaN, false));
        assertThat(retry.scored()).isEqualTo(200);
        assertThat(store.scoreTotals("judge").ok()).isEqualTo(200);
        assertThat(store.scoreTotals("judge").failed()).isZero();
    }

    @Test
    void allResponsesInOneCallAreShuffledRecordedAndCheaper() throws Exception {
        ApiClient client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(5));
        score(ScoringFixtures.judge(client, true, false), "judge-all", ScoringFixtures.options(8));
        long allTokens = server.promptTokens();
        assertThat(server.requests("/v1/chat/completions")).isEqualTo(50);
        scoresByText("judge-all").forEach((text, score) ->
                assertThat(score).as(text).isEqualTo(StandInServer.judgeScore(text)));

        StandInServer other = StandInServer.start();
        try {
            score(ScoringFixtures.judge(ScoringFixtures.client(other.baseUrl(), null, Duration.ofSeconds(5)), false,
                    false), "judge-one", ScoringFixtures.options(8));
            assertThat(allTokens).isLessThan(other.promptTokens());
        } finally {
            other.close();
        }
    }

    @Test
    void aspectsAreStoredAsSourcesOfTheirOwnAndTheScoreIsTheirMean() throws Exception {
        ApiClient client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(5));
        score(ScoringFixtures.judge(client, false, true), "judge", ScoringFixtures.options(8));

        assertThat(store.scoreSources()).contains("judge", "judge.helpfulness", "judge.honesty",
                "judge.instruction_following", "judge.truthfulness");
        scoresByText("judge").forEach((text, score) -> {
            int s = StandInServer.judgeScore(text);
            double expected = (s + Math.max(1, s - 1) + s + Math.min(10, s + 1)) / 4.0;
            assertThat(score).as(text).isEqualTo(expected);
        });
    }

    @Test
    void aServerWithoutStructuredOutputsGetsPlainJsonRequests() throws Exception {
        server.refuseJsonSchema(true);
        ApiClient client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(5));
        ScoringReport report = score(ScoringFixtures.judge(client, false, false), "judge", ScoringFixtures.options(4));
        assertThat(report.failed()).isZero();
        assertThat(server.chatBodies())
                .anyMatch(b -> "json_object".equals(b.path("response_format").path("type").asText()));
    }

    @Test
    void theBudgetStopsScoringBeforeItIsExceeded() throws Exception {
        ApiClient client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(5));
        ScoringReport report = score(ScoringFixtures.judge(client, false, false), "judge",
                new ScoringOptions(4, false, 0.01, false));
        assertThat(report.stoppedByBudget()).isTrue();
        assertThat(report.usage().costUsd()).isLessThanOrEqualTo(0.01);
        assertThat(report.scored()).isPositive().isLessThan(200);
        assertThat(store.scoreTotals("judge").costUsd()).isLessThanOrEqualTo(0.01);
    }

    @Test
    void aDryRunCountsAndEstimatesWithoutCalling() throws Exception {
        ApiClient client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(5));
        ScoringReport report = score(ScoringFixtures.judge(client, false, false), "judge",
                new ScoringOptions(4, false, Double.NaN, true));
        assertThat(server.requests()).isZero();
        assertThat(report.calls()).isEqualTo(200);
        assertThat(report.usage().costUsd()).isPositive();
        assertThat(store.scoreSources()).doesNotContain("judge");
    }

    @Test
    void aRejectedKeyAbortsAtOnceAndNeverShowsTheKey() throws Exception {
        String key = "sk-live-0123456789abcdefSECRET";
        server.requireKey("sk-the-right-one");
        ApiClient client = ScoringFixtures.client(server.baseUrl(), key, Duration.ofSeconds(5));
        ScoringReport report = score(ScoringFixtures.judge(client, false, false), "judge", ScoringFixtures.options(4));

        assertThat(report.abortReason()).contains("HTTP 401").contains("check the API key").doesNotContain(key)
                .doesNotContain("SECRET").doesNotContain("0123456789");
        assertThat(server.requests()).isLessThanOrEqualTo(4);
        store.close();
        byte[] all = Files.readAllBytes(dir.resolve("run.duckdb"));
        assertThat(new String(all, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("SECRET");
        store = RunStore.open(dir.resolve("run.duckdb"));
    }

    @Test
    void aSourceNameIsBoundToOneConfiguration() throws Exception {
        ApiClient client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(5));
        score(ScoringFixtures.judge(client, false, false), "judge", ScoringFixtures.options(8));
        assertThatThrownBy(() -> score(ScoringFixtures.judge(client, true, false), "judge", ScoringFixtures.options(8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another configuration").hasMessageContaining("--name");
    }

    @Test
    void identicalResponsesToTheSameInstructionAreJudgedOnceAndCopied() throws Exception {
        Path data = dir.resolve("dups.jsonl");
        Files.write(data, List.of(
                "{\"id\": \"a\", \"prompt\": \"P\", \"responses\": [{\"text\": \"x\"}, {\"text\": \"y\"}, {\"text\": " +
                        "\"x\"}]}",
                "{\"id\": \"b\", \"prompt\": \"P\", \"responses\": [{\"text\": \"x\"}, {\"text\": \"z\"}]}",
                "{\"id\": \"c\", \"prompt\": \"Q\", \"responses\": [{\"text\": \"x\"}, {\"text\": \"w\"}]}"));
        for (int concurrency : new int[] {1, 4}) {
            try (StandInServer s = StandInServer.start();
                 RunStore dupStore = RunStore.create(dir.resolve("dups-" + concurrency + ".duckdb"))) {
                org.admap.ingest.Ingest.run(List.of(data), org.admap.ingest.IngestOptions.defaults(), dupStore,
                        Progress.Factory.NONE);
                ScoringReport r = new ScoringJob(dupStore, ScoringFixtures.judge(ScoringFixtures.client(s.baseUrl(),
                        null, Duration.ofSeconds(5)), false, false), "judge", ScoringFixtures.options(concurrency),
                        Progress.Factory.NONE).run();

                assertThat(s.requests()).as("calls with concurrency " + concurrency).isEqualTo(5);
                assertThat(r.scored()).isEqualTo(5);
                assertThat(r.cached()).isEqualTo(2);
                List<ItemScores> items = new ArrayList<>();
                dupStore.forEachItemScores("judge", items::add);
                assertThat(items).allMatch(i -> i.scoredCount() == i.scores().length);
                assertThat(items.get(0).scores()[2]).isEqualTo(items.get(0).scores()[0]);
                assertThat(items.get(1).scores()[0]).isEqualTo(items.get(0).scores()[0]);
            }
        }
    }

    @Test
    void aScorerThatThrowsWhileTasksAreQueuedStopsTheRunButKeepsWhatArrivedAndLeavesNoThreadBehind() throws Exception {
        AtomicInteger estimates = new AtomicInteger();
        Scorer failing = new Scorer() {
            @Override
            public ScorerConfig config() {
                return ScorerConfig.of("length", "chars", "v1", Map.of(), null);
            }

            @Override
            public boolean wholeItems() {
                return false;
            }

            @Override
            public List<ScoreOutcome> score(ScoreTask task) {
                ScoreTask.Target t = task.responses().get(0);
                return List.of(ScoreOutcome.ok(t.position(), t.text().length(), null, Usage.NONE, 0, 1));
            }

            @Override
            public Usage estimate(ScoreTask task) {
                if (estimates.incrementAndGet() > 20) {
                    throw new IllegalStateException("estimate broke");
                }
                return Usage.NONE;
            }
        };

        // only this run's threads: another test class's scoring threads may still be winding down
        Set<Thread> before = scoringThreads();
        assertThatThrownBy(() -> score(failing, "length", ScoringFixtures.options(4)))
                .hasMessageContaining("estimate broke");

        assertThat(store.scoreTotals("length").ok()).isEqualTo(20); // every call that was made is stored
        // they end just after the failure is reported; a leaked one never does
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<Thread> left = scoringThreads();
        left.removeAll(before);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            left.retainAll(scoringThreads());
        }
        assertThat(left).isEmpty();
    }


    @Test
    void anInterruptedRunStoresItsCallsInFlightBeforeItEnds() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        Scorer slow = new Scorer() {
            @Override
            public ScorerConfig config() {
                return ScorerConfig.of("slow", "chars", "v1", Map.of(), null);
            }

            @Override
            public boolean wholeItems() {
                return false;
            }

            @Override
            public List<ScoreOutcome> score(ScoreTask task) {
                // an HTTP call that answers whatever happens to the caller: it ignores interrupts
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150);
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                answered.incrementAndGet();
                ScoreTask.Target r = task.responses().get(0);
                return List.of(ScoreOutcome.ok(r.position(), r.text().length(), null, Usage.NONE, 0, 1));
            }

            @Override
            public Usage estimate(ScoreTask task) {
                return Usage.NONE;
            }
        };
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                score(slow, "slow", ScoringFixtures.options(4));
            } catch (Throwable e) {
                ended.set(e);
            }
        });
        runner.start();
        while (answered.get() < 8) {
            Thread.sleep(2);
        }
        runner.interrupt(); // as a library user's Ctrl-C
        runner.join(60_000);

        assertThat(runner.isAlive()).isFalse();
        assertThat(ended.get()).isInstanceOf(InterruptedException.class);
        long storedAtTheEnd = store.scoreTotals("slow").ok();
        Thread.sleep(400); // longer than a call: nothing may arrive in the store after the run has ended
        assertThat(store.scoreTotals("slow").ok()).isEqualTo(storedAtTheEnd).isEqualTo(answered.get());
        assertThat(storedAtTheEnd).isLessThan(200);
    }

    private static Set<Thread> scoringThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && (t.getName().equals("admap-score-writer") || t.getName().equals("admap-scorer"))) {
                threads.add(t);
            }
        }
        return threads;
    }
}
