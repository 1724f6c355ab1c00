package org.admap.internal.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.admap.Progress;
import org.admap.internal.store.RunStore;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.Scorer;
import org.admap.score.ScorerConfig;
import org.admap.score.ScoringFixtures;
import org.admap.score.ScoringReport;
import org.admap.score.Usage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;

/**
 * SIGTERM during a scoring pass, raised in this JVM: the pass stops as at the end of the data
 * (the calls in flight are stored, no new one starts), the report names the signal, and the
 * next pass scores the rest. The JVM does not shut down: the signal is caught.
 */
class ScoringJobSignalTest {

    @TempDir
    Path tmp;

    /** Scores every response 1 after a pause; the fifth call raises SIGTERM in this JVM, if asked. */
    private static final class SlowScorer implements Scorer {
        final AtomicInteger calls = new AtomicInteger();
        final boolean raise;

        SlowScorer(boolean raise) {
            this.raise = raise;
        }

        @Override
        public ScorerConfig config() {
            return ScorerConfig.of("slow", "slow-model", "v1", Map.of(), "in-process");
        }

        @Override
        public boolean wholeItems() {
            return true;
        }

        @Override
        public List<ScoreOutcome> score(ScoreTask task) throws InterruptedException {
            if (calls.incrementAndGet() == 5 && raise) {
                Signal.raise(new Signal("TERM"));
            }
            Thread.sleep(30);
            List<ScoreOutcome> out = new ArrayList<>();
            for (ScoreTask.Target t : task.responses()) {
                out.add(ScoreOutcome.ok(t.position(), 1, "1", Usage.NONE, 30, 1));
            }
            return out;
        }

        @Override
        public Usage estimate(ScoreTask task) {
            return Usage.NONE;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void sigtermStopsThePassWhichKeepsWhatItScoredAndTheNextPassScoresTheRest() throws Exception {
        try (StopSignal probe = StopSignal.install(() -> { }, () -> { })) {
            // where it cannot be caught (java -Xrs), raising it would end the test JVM
            Assumptions.assumeTrue(probe.catching(), "SIGTERM cannot be caught in this JVM");
        }
        try (RunStore store = ScoringFixtures.demoStore(tmp)) {
            SlowScorer scorer = new SlowScorer(true);
            ScoringReport stopped = new ScoringJob(store, scorer, "slow", ScoringFixtures.options(2),
                    Progress.Factory.NONE).run();
            assertThat(stopped.interrupted()).isTrue();
            assertThat(stopped.signal()).isEqualTo(15);
            assertThat(stopped.scored()).as("the calls started before the signal, stored")
                    .isEqualTo(4L * scorer.calls.get()).isBetween(20L, 199L);
            assertThat(store.scoreTotals("slow").ok()).isEqualTo(stopped.scored());

            ScoringReport resumed = new ScoringJob(store, new SlowScorer(false), "slow", ScoringFixtures.options(2),
                    Progress.Factory.NONE).run();
            assertThat(resumed.signal()).isZero();
            assertThat(resumed.alreadyScored()).isEqualTo(stopped.scored());
            assertThat(resumed.scored()).isEqualTo(200 - stopped.scored());
        }
    }
}
