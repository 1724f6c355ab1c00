package org.admap.score.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.admap.Progress;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreSourceInfo;
import org.admap.score.Pricing;
import org.admap.score.ScoringFixtures;
import org.admap.score.ScoringReport;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reward scorer gives every response the served reward model's logit, over vLLM's and TEI's APIs. */
class RewardScorerTest {

    private static final String MODEL = "Skywork/Skywork-Reward-Llama-3.1-8B";

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

    private RewardScorer scorer(RewardScorer.Api api, String label, String key, Duration timeout) {
        ApiClient client = ScoringFixtures.client(RewardScorer.serverRoot(URI.create(server.baseUrl())).toString(),
                key, timeout);
        return new RewardScorer(client,
                new RewardScorer.RewardSettings(MODEL, api, label, Pricing.of(MODEL, null, null)));
    }

    private ScoringReport score(RewardScorer scorer, String source) throws Exception {
        return new ScoringJob(store, scorer, source, ScoringFixtures.options(8), Progress.Factory.NONE).run();
    }

    /** The stand-in's reward of every response of the run, by "prompt \0 response". */
    private Map<String, Double> expected() {
        Map<String, Double> out = new HashMap<>();
        store.forEachItem(RunStore.INPUT, null, ki -> ki.item().responses().forEach(r ->
                out.put(ki.item().fullPrompt() + "\u0000" + r.text(), StandInServer.reward(ki.item().fullPrompt(),
                        r.text()))));
        return out;
    }

    private Map<String, Double> stored(String source) {
        Map<String, Double> out = new HashMap<>();
        store.forEachItem(source, null, ki -> ki.item().responses().forEach(r ->
                out.put(ki.item().fullPrompt() + "\u0000" + r.text(), r.score())));
        return out;
    }

    @Test
    void vllmPoolingScoresAreTheRewardModelsLogits() throws Exception {
        ScoringReport report = score(scorer(RewardScorer.Api.VLLM, null, null, Duration.ofSeconds(5)), "reward");

        assertThat(report.scored()).isEqualTo(200);
        assertThat(report.failed()).isZero();
        assertThat(server.requests("/pooling")).isEqualTo(200);
        assertThat(stored("reward")).isEqualTo(expected());
        assertThat(report.usage().tokensIn()).isPositive();
        assertThat(report.usage().costUsd()).isZero(); // an unknown model costs nothing unless priced
    }

    @Test
    void teiPredictScoresAreTheRewardModelsLogits() throws Exception {
        ScoringReport report = score(scorer(RewardScorer.Api.TEI, null, null, Duration.ofSeconds(5)), "reward");

        assertThat(report.scored()).isEqualTo(200);
        assertThat(server.requests("/predict")).isEqualTo(200);
        assertThat(server.requests("/pooling")).isZero();
        assertThat(stored("reward")).isEqualTo(expected());
    }

    @Test
    void everyShapeOfVllmsPoolingAnswerGivesTheSameReward() throws Exception {
        for (String shape : new String[] {"scalar", "tokens"}) {
            server.poolingShape(shape);
            score(scorer(RewardScorer.Api.VLLM, null, null, Duration.ofSeconds(5)), "reward-" + shape);
            assertThat(stored("reward-" + shape)).as(shape).isEqualTo(expected());
        }
    }

    @Test
    void aTeiModelWithSeveralLabelsIsReadAtTheNamedLabelWhateverItsRank() throws Exception {
        server.teiLabels("helpful", "harmful");
        ScoringReport report = score(scorer(RewardScorer.Api.TEI, "helpful", null, Duration.ofSeconds(5)), "reward");
        assertThat(report.failed()).isZero();
        assertThat(stored("reward")).isEqualTo(expected());
    }

    @Test
    void aTeiModelWithSeveralLabelsAndNoneNamedStopsAtOnceSayingWhichLabelsItHas() throws Exception {
        server.teiLabels("helpful", "harmful");
        ScoringReport report = score(scorer(RewardScorer.Api.TEI, null, null, Duration.ofSeconds(5)), "reward");
        assertThat(report.abortReason()).contains("helpful").contains("harmful").contains("--reward-label");
        assertThat(report.scored()).isZero();
        assertThat(server.requests()).isLessThanOrEqualTo(8); // only the calls already in flight

        ScoringReport wrong = score(scorer(RewardScorer.Api.TEI, "honest", null, Duration.ofSeconds(5)), "reward-2");
        assertThat(wrong.abortReason()).contains("no label 'honest'").contains("helpful").contains("harmful");
    }

    @Test
    void aMixOfFaultsEndsWithEveryResponseScored() throws Exception {
        server.rateLimitEvery(7).serverErrorEvery(11).malformedJsonEvery(13).hangEvery(17, 3_000);
        ScoringReport report = score(scorer(RewardScorer.Api.VLLM, null, null, Duration.ofMillis(700)), "reward");

        assertThat(report.failed()).as(store.scoreErrors("reward", 5).toString()).isZero();
        assertThat(report.scored()).isEqualTo(200);
        assertThat(stored("reward")).isEqualTo(expected());
    }

    @Test
    void provenanceNamesTheKindModelAndApiAndPricesApplyOnlyWhenGiven() throws Exception {
        ApiClient client = ScoringFixtures.client(server.root(), null, Duration.ofSeconds(5));
        RewardScorer priced = new RewardScorer(client,
                new RewardScorer.RewardSettings(MODEL, RewardScorer.Api.VLLM, null, Pricing.of(MODEL, 1.0, null)));
        ScoringReport report = score(priced, "reward");

        ScoreSourceInfo info = store.scoreSource("reward").orElseThrow();
        assertThat(info.kind()).isEqualTo("reward");
        assertThat(info.model()).isEqualTo(MODEL);
        assertThat(info.parameters()).contains("api=vllm");
        assertThat(info.endpoint()).isEqualTo(server.root());
        assertThat(report.usage().costUsd()).isEqualTo(report.usage().tokensIn() / 1e6, org.assertj.core.data.Offset
                .offset(1e-9));
        assertThat(priced.config().fingerprint())
                .isNotEqualTo(scorer(RewardScorer.Api.TEI, null, null, Duration.ofSeconds(1)).config().fingerprint());
    }

    @Test
    void theKeyIsSentButNeverStoredNorShown() throws Exception {
        String key = "sk-reward-Qx7ZkP9wVt3SECRET";
        server.requireKey("sk-another-one-entirely");
        ScoringReport refused = score(scorer(RewardScorer.Api.VLLM, null, key, Duration.ofSeconds(5)), "reward");
        assertThat(refused.abortReason()).contains("HTTP 401").doesNotContain(key).doesNotContain("SECRET");

        server.requireKey(key);
        ScoringReport ok = score(scorer(RewardScorer.Api.VLLM, null, key, Duration.ofSeconds(5)), "reward");
        assertThat(ok.scored()).isEqualTo(200);
        assertThat(server.authorizations()).allMatch(a -> a.equals("Bearer " + key));

        store.close();
        String bytes = new String(Files.readAllBytes(dir.resolve("run.duckdb")), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("SECRET").doesNotContain("Qx7ZkP9wVt3");
        store = RunStore.open(dir.resolve("run.duckdb"));
    }

    @Test
    void aServerWithoutTheApisPathStopsWithAHintAboutTheApiAndTheRoot() throws Exception {
        ApiClient client = ScoringFixtures.client(server.root() + "/v2", null, Duration.ofSeconds(5));
        ScoringReport report = score(new RewardScorer(client,
                new RewardScorer.RewardSettings(MODEL, RewardScorer.Api.VLLM, null, Pricing.UNKNOWN)), "reward");
        assertThat(report.abortReason()).contains("HTTP 404").contains("/v2/pooling").contains("--reward-api")
                .contains("root");
    }

    @Test
    void theServerRootDropsAV1SuffixAndTrailingSlashes() {
        assertThat(RewardScorer.serverRoot(URI.create("http://h:8000/v1"))).hasToString("http://h:8000");
        assertThat(RewardScorer.serverRoot(URI.create("http://h:8000/v1/"))).hasToString("http://h:8000");
        assertThat(RewardScorer.serverRoot(URI.create("http://h:8000/"))).hasToString("http://h:8000");
        assertThat(RewardScorer.serverRoot(URI.create("https://h/rm/V1"))).hasToString("https://h/rm");
        assertThat(RewardScorer.serverRoot(URI.create("http://h:8000/tei"))).hasToString("http://h:8000/tei");
    }

    @Test
    void settingsRefuseWhatCannotWork() {
        assertThatThrownBy(() -> new RewardScorer.RewardSettings(" ", RewardScorer.Api.VLLM, null, Pricing.UNKNOWN))
                .hasMessageContaining("--model");
        assertThatThrownBy(() -> new RewardScorer.RewardSettings("m", RewardScorer.Api.VLLM, "LABEL_0",
                Pricing.UNKNOWN))
                .hasMessageContaining("--reward-api tei");
        assertThat(RewardScorer.Api.parse(" TEI")).isEqualTo(RewardScorer.Api.TEI);
        assertThatThrownBy(() -> RewardScorer.Api.parse("tgi")).hasMessageContaining("vllm or tei");
    }
}
