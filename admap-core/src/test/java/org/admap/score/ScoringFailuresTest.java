package org.admap.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.admap.Progress;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.StoreException;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scoring runs that meet a dead store or a lying server end cleanly, and count what they spent. */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // today's code waited 5 minutes per worker on a dead writer
class ScoringFailuresTest {

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

    /** Scores every response 5; the 30th call reports more tokens than the store's column holds. */
    private static final class UnstorableAfter implements Scorer {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ScorerConfig config() {
            return ScorerConfig.of("judge", "unstorable", "1", Map.of(), "http://127.0.0.1:1");
        }

        @Override
        public boolean wholeItems() {
            return false;
        }

        @Override
        public List<ScoreOutcome> score(ScoreTask task) throws InterruptedException {
            int n = calls.incrementAndGet();
            Thread.sleep(5);
            long tokens = n == 30 ? 3_000_000_000L : 10; // beyond the INTEGER column: the write fails
            return List.of(ScoreOutcome.ok(task.responses().get(0).position(), 5, null, new Usage(tokens, 1, 0), 1, 1));
        }

        @Override
        public Usage estimate(ScoreTask task) {
            return new Usage(10, 1, 0);
        }
    }

    @Test
    void aFailedStoreWriteStopsTheRunWithOneLineAndKeepsWhatWasCommitted() {
        UnstorableAfter scorer = new UnstorableAfter();

        assertThatThrownBy(() -> new ScoringJob(store, scorer, "judge", ScoringFixtures.options(8),
                Progress.Factory.NONE).run())
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("storing scores failed, so scoring stopped: ")
                .hasMessageContaining("run the same command again")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        assertThat(scorer.calls.get()).isLessThan(200); // it stopped rather than scoring on into the void
        long ok = store.scoreTotals("judge").ok();
        assertThat(ok).isPositive().isLessThan(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1000000000000000000000000000000", "1e30", "-5", "2.5", "\"12\""})
    void anAbsurdTokenCountIsAFailedCallChargedAtItsMostNeverANegativeSpend(String promptTokens) throws Exception {
        server.usagePromptTokens(promptTokens);
        ApiClient client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(5));

        ScoringReport report = new ScoringJob(store, ScoringFixtures.judge(client, false, false), "judge",
                ScoringFixtures.options(8), Progress.Factory.NONE).run();

        assertThat(report.scored()).isZero();
        assertThat(report.failed()).isEqualTo(200);
        assertThat(report.usage().tokensIn()).isPositive().isLessThan(200L * 100_000_000L);
        assertThat(report.usage().costUsd()).isPositive();
        assertThat(store.scoreErrors("judge", 1).keySet()).singleElement().asString()
                .contains("usage.prompt_tokens").contains("not a token count");
    }

    @Test
    void anAbsurdTokenCountStopsAtMaxCostLikeARealOne() throws Exception {
        server.usagePromptTokens("-1000000000");
        ApiClient client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(5));

        ScoringReport report = new ScoringJob(store, ScoringFixtures.judge(client, false, false), "judge",
                new ScoringOptions(2, false, 0.02, false), Progress.Factory.NONE).run();

        assertThat(report.stoppedByBudget()).isTrue();
        assertThat(report.usage().costUsd()).isPositive(); // on today's main: negative, so the budget never stopped it
        assertThat(report.calls()).isLessThan(200);
    }
}
