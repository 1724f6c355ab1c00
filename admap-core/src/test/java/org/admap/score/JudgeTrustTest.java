package org.admap.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.admap.Progress;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.store.RunStore;
import org.admap.model.ItemScores;
import org.admap.score.judge.JudgeScorer;
import org.admap.score.judge.Rubric;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judge's trust options against the stand-in: probability-weighted scores
 * ({@code --logprobs}), answers without a rationale ({@code --rationale}), repeated judgments
 * ({@code --samples}) and both orders ({@code --orders 2}), stored one row per sample.
 */
class JudgeTrustTest {

    @TempDir
    Path dir;
    StandInServer server;
    RunStore store;
    ApiClient client;

    @BeforeEach
    void start() throws Exception {
        server = StandInServer.start();
        store = ScoringFixtures.demoStore(dir);
        client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        store.close();
        server.close();
    }

    private static JudgeScorer judge(ApiClient client, boolean all, JudgeScorer.Logprobs logprobs,
                                     JudgeScorer.Rationale rationale, int samples, int orders, double temperature) {
        return new JudgeScorer(client, new JudgeScorer.JudgeSettings("gpt-4o-2024-11-20", all, false,
                Rubric.admap().withRationale(rationale), temperature, 1234, rationale.defaultMaxTokens(),
                Pricing.forModel("gpt-4o-2024-11-20"), logprobs, rationale, samples, orders));
    }

    private JudgeScorer logprobJudge(boolean all, JudgeScorer.Logprobs mode) {
        return judge(client, all, mode, JudgeScorer.Rationale.FULL, 1, 1, 0);
    }

    private ScoringReport score(Scorer scorer, String source, ScoringOptions options) throws Exception {
        return new ScoringJob(store, scorer, source, options, Progress.Factory.NONE).run();
    }

    /** One stored row of the scores table. */
    record Row(int key, int position, int sample, Double value, String status, String error, Double spread,
               String method, String callOrder, String text) {
    }

    /** The rows of a source, read from the closed store's file (the store is opened again after). */
    private List<Row> rows(String source) throws Exception {
        Path file = store.file();
        store.close();
        List<Row> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT s.item_key, s.position, s.sample, s.value, s.status, s.error,"
                     + " s.spread, s.method, s.call_order, r.text FROM scores s JOIN responses r"
                     + " USING (item_key, position) WHERE s.source = '" + source + "'"
                     + " ORDER BY s.item_key, s.position, s.sample")) {
            while (rs.next()) {
                rows.add(new Row(rs.getInt(1), rs.getInt(2), rs.getInt(3), (Double) rs.getObject(4), rs.getString(5),
                        rs.getString(6), (Double) rs.getObject(7), rs.getString(8), rs.getString(9),
                        rs.getString(10)));
            }
        } finally {
            store = RunStore.open(file);
        }
        return rows;
    }

    private static double sd(int s) {
        double mean = StandInServer.expectedScore(s);
        double total = 0;
        double v = 0;
        for (Map.Entry<Integer, Double> e : StandInServer.scoreTokenProbabilities(s).entrySet()) {
            total += e.getValue();
            v += e.getValue() * (e.getKey() - mean) * (e.getKey() - mean);
        }
        return Math.sqrt(v / total);
    }

    // ---- --logprobs -----------------------------------------------------------------------

    @Test
    void withLogprobsEveryScoreIsTheExpectedValueWithItsSpread() throws Exception {
        ScoringReport report = score(logprobJudge(false, JudgeScorer.Logprobs.ON), "judge", ScoringFixtures.options(8));

        assertThat(report.abortReason()).isNull();
        assertThat(report.failed()).isZero();
        List<Row> rows = rows("judge");
        assertThat(rows).hasSize(200).allSatisfy(r -> {
            int written = StandInServer.judgeScore(r.text());
            assertThat(r.method()).isEqualTo("logprobs");
            assertThat(r.value()).as(r.text()).isCloseTo(StandInServer.expectedScore(written), within(1e-9));
            assertThat(r.spread()).isCloseTo(sd(written), within(1e-9));
        });
        JsonNode body = server.chatBodies().get(0);
        assertThat(body.path("logprobs").asBoolean()).isTrue();
        assertThat(body.path("top_logprobs").asInt()).isEqualTo(20);
        List<ItemScores> read = new ArrayList<>();
        store.forEachItemScores("judge", read::add);
        assertThat(java.util.Arrays.stream(read.get(0).standardErrors()).boxed().toList())
                .as("one sample: its spread is its uncertainty").allSatisfy(se -> assertThat(se).isPositive());
    }

    @Test
    void rationalesFullOfDigitsDoNotMoveTheScore() throws Exception {
        server.digitRationales(true);

        score(logprobJudge(false, JudgeScorer.Logprobs.ON), "judge", ScoringFixtures.options(8));

        assertThat(rows("judge")).hasSize(200).allSatisfy(r -> assertThat(r.value()).as(r.text())
                .isCloseTo(StandInServer.expectedScore(StandInServer.judgeScore(r.text())), within(1e-9)));
    }

    @Test
    void allResponsesInOneCallAreEachWeighedAtTheirOwnScoreToken() throws Exception {
        server.digitRationales(true);

        score(logprobJudge(true, JudgeScorer.Logprobs.ON), "judge", ScoringFixtures.options(8));

        assertThat(rows("judge")).hasSize(200).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("logprobs");
            assertThat(r.value()).as(r.text())
                    .isCloseTo(StandInServer.expectedScore(StandInServer.judgeScore(r.text())), within(1e-9));
        });
    }

    @Test
    void tenSplitIntoDigitsIsReadAsTen() throws Exception {
        server.logprobs("digits");

        score(logprobJudge(false, JudgeScorer.Logprobs.ON), "judge", ScoringFixtures.options(8));

        List<Row> tens = rows("judge").stream().filter(r -> StandInServer.judgeScore(r.text()) == 10).toList();
        assertThat(tens).isNotEmpty().allSatisfy(r -> {
            // "1" (0.6) then "0" (0.9) or the end (0.1); " 9" 0.2: the 10 is not mistaken for a 1
            double mean = (10 * 0.54 + 1 * 0.06 + 9 * 0.2) / 0.8;
            assertThat(r.value()).isCloseTo(mean, within(1e-9));
        });
    }

    @Test
    void aServerWithoutLogprobsStopsTheRunAtItsFirstAnswer() throws Exception {
        server.logprobs("none");

        ScoringReport report = score(logprobJudge(false, JudgeScorer.Logprobs.ON), "judge",
                ScoringFixtures.options(8));

        assertThat(report.abortReason()).contains("returned no log-probabilities").contains("--logprobs auto");
        assertThat(server.requests("/v1/chat/completions")).as("one call, not one per slot").isEqualTo(1);
        assertThat(rows("judge")).isEmpty();
    }

    @Test
    void nullLogprobsAreNoLogprobs() throws Exception {
        server.logprobs("null");

        ScoringReport report = score(logprobJudge(false, JudgeScorer.Logprobs.ON), "judge",
                ScoringFixtures.options(4));

        assertThat(report.abortReason()).contains("returned no log-probabilities");
    }

    @Test
    void autoFallsBackToTheWrittenScoreAndSaysSoInEveryRow() throws Exception {
        server.logprobs("none");

        ScoringReport report = score(logprobJudge(false, JudgeScorer.Logprobs.AUTO), "judge",
                ScoringFixtures.options(8));

        assertThat(report.abortReason()).isNull();
        assertThat(rows("judge")).hasSize(200).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("logprobs-fallback");
            assertThat(r.value()).isEqualTo((double) StandInServer.judgeScore(r.text()));
            assertThat(r.spread()).isNull();
        });
    }

    @Test
    void truncatedLogprobsFailTheScoreWhenOnAndFallBackWhenAuto() throws Exception {
        server.logprobs("truncated");

        ScoringReport on = score(logprobJudge(false, JudgeScorer.Logprobs.ON), "on", ScoringFixtures.options(8));
        ScoringReport auto = score(logprobJudge(false, JudgeScorer.Logprobs.AUTO), "auto",
                ScoringFixtures.options(8));

        assertThat(on.failed()).isEqualTo(200);
        assertThat(rows("on")).allSatisfy(r -> assertThat(r.error()).contains("truncated log-probabilities"));
        assertThat(auto.failed()).isZero();
        assertThat(rows("auto")).allSatisfy(r -> assertThat(r.method()).isEqualTo("logprobs-fallback"));
    }

    @Test
    void malformedLogprobsAreNeverReadAsAScore() throws Exception {
        for (String mode : List.of("malformed", "malformed-number")) {
            server.logprobs(mode);
            score(logprobJudge(false, JudgeScorer.Logprobs.ON), mode, ScoringFixtures.options(8));
            assertThat(rows(mode)).as(mode).hasSize(200)
                    .allSatisfy(r -> assertThat(r.error()).contains("malformed log-probabilities"));
        }
    }

    @Test
    void logprobsAreAPartOfTheConfiguration() {
        String plain = logprobJudge(false, JudgeScorer.Logprobs.OFF).config().fingerprint();

        assertThat(ScoringFixtures.judge(client, false, false).config().fingerprint())
                .as("off keeps the fingerprint of scores made before --logprobs existed").isEqualTo(plain);
        assertThat(logprobJudge(false, JudgeScorer.Logprobs.ON).config().fingerprint()).isNotEqualTo(plain)
                .isEqualTo(logprobJudge(false, JudgeScorer.Logprobs.AUTO).config().fingerprint());
    }

    // ---- --samples --------------------------------------------------------------------------

    @Test
    void eachSampleIsItsOwnRowWithItsOwnSeedAndTheScoreIsTheirMean() throws Exception {
        server.noisy(true);
        JudgeScorer judge = judge(client, false, JudgeScorer.Logprobs.OFF, JudgeScorer.Rationale.FULL, 3, 1, 1.0);

        ScoringReport report = score(judge, "judge", ScoringFixtures.options(8));

        assertThat(report.scored()).isEqualTo(600);
        assertThat(server.judgedWithSeed()).as("200 responses x 3 seeds").hasSize(600)
                .allSatisfy((k, n) -> assertThat(n.get()).isEqualTo(1));
        assertThat(server.chatBodies()).allSatisfy(b -> assertThat(b.path("temperature").asDouble()).isEqualTo(1.0));
        List<Row> rows = rows("judge");
        assertThat(rows).hasSize(600);
        Map<String, List<Double>> byText = new HashMap<>();
        rows.forEach(r -> {
            assertThat(r.value()).isEqualTo((double) StandInServer.noisyScore(r.text(), 1234 + r.sample()));
            byText.computeIfAbsent(r.key() + "/" + r.position(), k -> new ArrayList<>()).add(r.value());
        });
        List<ItemScores> read = new ArrayList<>();
        store.forEachItemScores("judge", read::add);
        ItemScores first = read.get(0);
        for (int pos = 0; pos < first.scores().length; pos++) {
            List<Double> v = byText.get("0/" + pos);
            double mean = (v.get(0) + v.get(1) + v.get(2)) / 3;
            double ss = 0;
            for (double x : v) {
                ss += (x - mean) * (x - mean);
            }
            assertThat(first.scores()[pos]).isCloseTo(mean, within(1e-12));
            assertThat(first.standardErrors()[pos]).isCloseTo(Math.sqrt(ss / 2) / Math.sqrt(3), within(1e-12));
        }
    }

    @Test
    void samplesStoppedHalfWayResumeWithOnlyTheMissingOnes() throws Exception {
        server.noisy(true);
        JudgeScorer judge = judge(client, false, JudgeScorer.Logprobs.OFF, JudgeScorer.Rationale.FULL, 3, 1, 1.0);
        double perCall = judge.estimate(new ScoreTask(0, "x", "p", "h", null,
                List.of(new ScoreTask.Target(0, "r", "rh")))).costUsd();

        ScoringReport first = score(judge, "judge", new ScoringOptions(4, false, perCall * 60, false));
        ScoringReport second = score(judge, "judge", ScoringFixtures.options(4));

        assertThat(first.stoppedByBudget()).isTrue();
        assertThat(first.scored()).isBetween(20L, 580L);
        assertThat(second.alreadyScored()).isEqualTo(first.scored());
        assertThat(first.scored() + second.scored()).isEqualTo(600);
        assertThat(server.judgedWithSeed()).hasSize(600).allSatisfy((k, n) -> assertThat(n.get()).isEqualTo(1));
    }

    @Test
    void moreSamplesLaterAddOnlyTheNewOnes() throws Exception {
        score(judge(client, false, JudgeScorer.Logprobs.OFF, JudgeScorer.Rationale.FULL, 2, 1, 1.0), "judge",
                ScoringFixtures.options(8));
        ScoringReport more = score(judge(client, false, JudgeScorer.Logprobs.OFF, JudgeScorer.Rationale.FULL, 3, 1,
                1.0), "judge", ScoringFixtures.options(8));

        assertThat(more.alreadyScored()).isEqualTo(400);
        assertThat(more.scored()).isEqualTo(200);
        assertThat(rows("judge")).extracting(Row::sample).containsOnly(0, 1, 2);
    }

    @Test
    void samplesWithLogprobsKeepBothTheirMeanAndTheirSpreads() throws Exception {
        server.noisy(true);
        JudgeScorer judge = judge(client, false, JudgeScorer.Logprobs.ON, JudgeScorer.Rationale.FULL, 3, 1, 1.0);

        score(judge, "judge", ScoringFixtures.options(8));

        assertThat(rows("judge")).hasSize(600).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("logprobs");
            assertThat(r.value()).isCloseTo(StandInServer.expectedScore(StandInServer.noisyScore(r.text(),
                    1234 + r.sample())), within(1e-9));
        });
    }

    // ---- --orders 2 -------------------------------------------------------------------------

    @Test
    void twoOrdersShowEveryInstructionsResponsesBothWaysAndAverage() throws Exception {
        JudgeScorer judge = judge(client, true, JudgeScorer.Logprobs.OFF, JudgeScorer.Rationale.FULL, 1, 2, 0);

        ScoringReport report = score(judge, "judge", ScoringFixtures.options(8));

        assertThat(report.calls()).isEqualTo(100);
        List<Row> rows = rows("judge");
        assertThat(rows).hasSize(400);
        Map<Integer, String[]> orders = new HashMap<>();
        rows.forEach(r -> orders.computeIfAbsent(r.key(), k -> new String[2])[r.sample()] = r.callOrder());
        orders.forEach((key, o) -> {
            List<String> a = List.of(o[0].split(","));
            List<String> b = new ArrayList<>(List.of(o[1].split(",")));
            java.util.Collections.reverse(b);
            assertThat(b).as("item " + key + ": the second order is the first reversed").isEqualTo(a);
        });
    }

    // ---- --rationale -----------------------------------------------------------------------

    @Test
    void noRationaleAsksForTheScoreAloneWithFewTokensAndCostsLess() throws Exception {
        server.rationaleChars(600);
        ScoringReport full = score(judge(client, false, JudgeScorer.Logprobs.OFF, JudgeScorer.Rationale.FULL, 1, 1,
                0), "full", ScoringFixtures.options(8));
        int fullBodies = server.chatBodies().size();
        ScoringReport none = score(judge(client, false, JudgeScorer.Logprobs.OFF, JudgeScorer.Rationale.NONE, 1, 1,
                0), "none", ScoringFixtures.options(8));

        JsonNode body = server.chatBodies().get(fullBodies);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(16);
        assertThat(body.at("/response_format/json_schema/schema/properties").has("rationale")).isFalse();
        assertThat(body.at("/messages/1/content").asText()).doesNotContain("rationale");
        assertThat(none.failed()).isZero();
        assertThat(none.usage().tokensOut()).isLessThan(full.usage().tokensOut() / 10);
        assertThat(none.usage().costUsd()).isLessThan(full.usage().costUsd());
        assertThat(rows("none")).allSatisfy(r -> assertThat(r.value())
                .isEqualTo((double) StandInServer.judgeScore(r.text())));
    }
}
