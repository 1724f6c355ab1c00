package org.admap.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.admap.Progress;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.store.RunStore;
import org.admap.score.reward.RewardScorer;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A non-finite or out-of-scale score is a failed score with its reason, never a number stored as ok. */
class OutOfScaleScoresTest {

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

    @ParameterizedTest
    @ValueSource(strings = {"{\"score\": 1e999}", "{\"score\": 1.5e1}", "{\"score\": 11}", "score: 1e3"})
    void aJudgeScoreOutsideOneToTenIsAFailedScore(String reply) throws Exception {
        server.judgeContent(reply);
        ApiClient client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(5));
        ScoringReport report = new ScoringJob(store, ScoringFixtures.judge(client, false, false), "judge",
                ScoringFixtures.options(8), Progress.Factory.NONE).run();

        assertThat(report.scored()).isZero();
        assertThat(report.failed()).isEqualTo(200);
        assertThat(store.scoreErrors("judge", 1).keySet()).singleElement().asString()
                .contains("no score from 1 to 10");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e300", "-1e300", "1e999"})
    void aRewardOutOfScaleOrNotFiniteIsAFailedScoreWithTheReason(String reward) throws Exception {
        server.rewardRaw(reward);
        ApiClient client = ScoringFixtures.client(server.root(), null, Duration.ofSeconds(5));
        RewardScorer scorer = new RewardScorer(client,
                new RewardScorer.RewardSettings("rm", RewardScorer.Api.VLLM, null, Pricing.of("rm", null, null)));
        ScoringReport report = new ScoringJob(store, scorer, "reward", ScoringFixtures.options(8),
                Progress.Factory.NONE).run();

        assertThat(report.scored()).isZero();
        assertThat(report.failed()).isEqualTo(200);
        assertThat(store.scoreErrors("reward", 1).keySet()).singleElement().asString().containsPattern(
                "out of any reward model's scale|not a finite number");
    }
}
