package org.admap.score.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.admap.Progress;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreSourceInfo;
import org.admap.score.Pricing;
import org.admap.score.ScoringFixtures;
import org.admap.score.ScoringOptions;
import org.admap.score.ScoringReport;
import org.admap.testing.CompletionsStandIn;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The likelihood scorer against the stand-in's language model: every response gets
 * exp(mean log-probability of its tokens), through the same job as every scorer (cache,
 * resume, faults, cost).
 */
class LikelihoodScorerTest {

    private static final String MODEL = "01choco/LLaMA-UltraFeedback-SFT-3-Full";

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

    private LikelihoodScorer scorer(LikelihoodTemplate template, int maxTokens, Pricing pricing, Duration timeout) {
        return new LikelihoodScorer(ScoringFixtures.client(server.baseUrl(), null, timeout),
                new LikelihoodScorer.LikelihoodSettings(MODEL, template, maxTokens, pricing));
    }

    private LikelihoodScorer scorer(LikelihoodTemplate template) {
        return scorer(template, 1, Pricing.UNKNOWN, Duration.ofSeconds(5));
    }

    private ScoringReport score(LikelihoodScorer scorer, String source) throws Exception {
        return new ScoringJob(store, scorer, source, ScoringFixtures.options(8), Progress.Factory.NONE).run();
    }

    /**
     * The expected score, computed here from the stand-in's tokens of the whole text: the mean
     * log-probability of the tokens that hold a response character, the first token of the text
     * (which has none) left out.
     */
    static double expected(LikelihoodTemplate template, String prompt, String response) {
        String prefix = template.prefix(prompt);
        List<String> tokens = CompletionsStandIn.tokenize(prefix + response);
        int start = 0;
        double sum = 0;
        int n = 0;
        for (int i = 0; i < tokens.size(); i++) {
            int end = start + tokens.get(i).length();
            if (end > prefix.length() && i > 0) {
                sum += CompletionsStandIn.logprob(tokens.get(i - 1), tokens.get(i));
                n++;
            }
            start = end;
        }
        return Math.exp(sum / n);
    }

    private Map<String, Double> expected(LikelihoodTemplate template) {
        Map<String, Double> out = new HashMap<>();
        store.forEachItem(RunStore.INPUT, null, ki -> ki.item().responses().forEach(r ->
                out.put(ki.item().fullPrompt() + "\u0000" + r.text(), expected(template, ki.item().fullPrompt(),
                        r.text()))));
        return out;
    }

    private Map<String, Double> stored(String source) {
        Map<String, Double> out = new HashMap<>();
        store.forEachItem(source, null, ki -> ki.item().responses().forEach(r ->
                out.put(ki.item().fullPrompt() + "\u0000" + r.text(), r.score())));
        return out;
    }

    private static void assertClose(Map<String, Double> actual, Map<String, Double> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((k, v) -> assertThat(actual.get(k)).as(k).isCloseTo(v, within(1e-12)));
    }

    @Test
    void everyResponseGetsTheExpOfItsTokensMeanLogprobUnderEachTemplate() throws Exception {
        for (LikelihoodTemplate t : List.of(LikelihoodTemplate.PLAIN, LikelihoodTemplate.CHATML,
                LikelihoodTemplate.LLAMA3)) {
            ScoringReport report = score(scorer(t), "lik-" + t.name());
            assertThat(report.scored()).as(t.name()).isEqualTo(200);
            assertThat(report.failed()).isZero();
            assertClose(stored("lik-" + t.name()), expected(t));
        }
        assertThat(server.requests("/v1/completions")).isEqualTo(600);
        var body = server.completions().bodies().get(0);
        assertThat(body.path("echo").asBoolean()).isTrue();
        assertThat(body.path("logprobs").asInt()).isEqualTo(1);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(1);
        assertThat(body.path("model").asText()).isEqualTo(MODEL);
        assertThat(stored("lik-plain")).isNotEqualTo(stored("lik-chatml"));
    }

    @Test
    void aBosThatShiftsTheOffsetsAndMaxTokensZeroGiveTheSameScores() throws Exception {
        score(scorer(LikelihoodTemplate.CHATML), "plain-echo");
        server.completions().bos("<|begin_of_text|>");
        ScoringReport shifted = score(scorer(LikelihoodTemplate.CHATML), "bos");
        assertThat(shifted.failed()).isZero();
        ScoringReport none = score(scorer(LikelihoodTemplate.CHATML, 0, Pricing.UNKNOWN, Duration.ofSeconds(5)),
                "zero");
        assertThat(none.failed()).isZero();
        assertClose(stored("bos"), stored("plain-echo"));
        assertClose(stored("zero"), stored("plain-echo"));
    }

    @Test
    void aServerThatRefusesMaxTokensZeroStopsTheRunWithTheFix() throws Exception {
        server.completions().refuseZeroMaxTokens(true);
        ScoringReport r = score(scorer(LikelihoodTemplate.PLAIN, 0, Pricing.UNKNOWN, Duration.ofSeconds(5)), "lik");
        assertThat(r.abortReason()).contains("HTTP 400").contains("--likelihood-max-tokens 1");
        assertThat(r.scored()).isZero();
        assertThat(server.requests()).isLessThanOrEqualTo(8);
    }

    @Test
    void aServerThatDoesNotEchoStopsTheRunAtItsFirstAnswersSayingWhichServersDo() throws Exception {
        server.completions().ignoreEcho(true);
        ScoringReport r = score(scorer(LikelihoodTemplate.PLAIN), "lik");
        assertThat(r.abortReason()).contains("did not echo").contains("vLLM");
        assertThat(r.scored()).isZero();
        assertThat(server.requests()).isLessThanOrEqualTo(8);

        server.completions().ignoreEcho(false).nullPromptLogprobs(true);
        ScoringReport nulls = score(scorer(LikelihoodTemplate.PLAIN), "lik-nulls");
        assertThat(nulls.abortReason()).contains("null log-probabilities");
        assertThat(nulls.scored()).isZero();
        assertThat(server.requests()).isLessThanOrEqualTo(16);
    }

    @Test
    void aMixOfFaultsEndsWithEveryResponseScoredCorrectly() throws Exception {
        server.rateLimitEvery(7).serverErrorEvery(11).malformedJsonEvery(13).hangEvery(17, 3_000);
        ScoringReport r = score(scorer(LikelihoodTemplate.PLAIN, 1, Pricing.UNKNOWN, Duration.ofMillis(700)), "lik");
        assertThat(r.failed()).as(store.scoreErrors("lik", 5).toString()).isZero();
        assertThat(r.scored()).isEqualTo(200);
        assertClose(stored("lik"), expected(LikelihoodTemplate.PLAIN));
    }

    @Test
    void aSecondRunCallsNothingAndAnotherTemplateOrServerIsAnotherConfiguration() throws Exception {
        score(scorer(LikelihoodTemplate.PLAIN), "lik");
        int calls = server.requests();
        ScoringReport again = score(scorer(LikelihoodTemplate.PLAIN), "lik");
        assertThat(again.calls()).isZero();
        assertThat(again.alreadyScored()).isEqualTo(200);
        assertThat(server.requests()).isEqualTo(calls);

        // the same configuration under another name copies the stored scores: no call
        ScoringReport copy = score(scorer(LikelihoodTemplate.PLAIN), "lik-copy");
        assertThat(copy.cached()).isEqualTo(200);
        assertThat(server.requests()).isEqualTo(calls);
        // another template is another configuration: it calls
        ScoringReport other = score(scorer(LikelihoodTemplate.CHATML), "lik-chatml");
        assertThat(other.scored()).isEqualTo(200);
        assertThat(scorer(LikelihoodTemplate.PLAIN).config().fingerprint())
                .isNotEqualTo(scorer(LikelihoodTemplate.CHATML).config().fingerprint());
    }

    @Test
    void provenanceAndCostFollowTheServersUsage() throws Exception {
        ScoringReport r = score(scorer(LikelihoodTemplate.PLAIN, 1, Pricing.of(MODEL, 2.0, 4.0),
                Duration.ofSeconds(5)), "lik");
        ScoreSourceInfo info = store.scoreSource("lik").orElseThrow();
        assertThat(info.kind()).isEqualTo("likelihood");
        assertThat(info.model()).isEqualTo(MODEL);
        assertThat(info.parameters()).contains("template=plain").contains("exp(mean log-probability");
        assertThat(info.endpoint()).isEqualTo(server.baseUrl());
        long in = r.usage().tokensIn();
        assertThat(in).isPositive();
        assertThat(r.usage().tokensOut()).isEqualTo(200); // one generated token per call
        assertThat(r.usage().costUsd()).isCloseTo((in * 2.0 + 200 * 4.0) / 1e6, within(1e-12));

        ScoringReport dry = new ScoringJob(store, scorer(LikelihoodTemplate.CHATML, 1, Pricing.of(MODEL, 2.0, 4.0),
                Duration.ofSeconds(5)), "dry", new ScoringOptions(8, false, Double.NaN, true), Progress.Factory.NONE)
                .run();
        assertThat(dry.calls()).isEqualTo(200);
        assertThat(dry.usage().costUsd()).isPositive();
        assertThat(server.requests()).isEqualTo(200); // the dry run called nothing

        ScoringReport capped = new ScoringJob(store, scorer(LikelihoodTemplate.LLAMA3, 1, Pricing.of(MODEL, 2.0, 4.0),
                Duration.ofSeconds(5)), "capped", new ScoringOptions(4, false, dry.usage().costUsd() / 4, false),
                Progress.Factory.NONE).run();
        assertThat(capped.stoppedByBudget()).isTrue();
        assertThat(capped.usage().costUsd()).isLessThanOrEqualTo(dry.usage().costUsd() / 4);
    }

    @Test
    void aRunStoppedMidwayResumesRepeatingAtMostTheCallsInFlight() throws Exception {
        server.latency(40);
        int concurrency = 8;
        AtomicReference<ScoringReport> first = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                first.set(new ScoringJob(store, scorer(LikelihoodTemplate.PLAIN), "lik",
                        new ScoringOptions(concurrency, false, Double.NaN, false), Progress.Factory.NONE).run());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        runner.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.requests() < 60 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        runner.interrupt(); // as Ctrl-C stops the feeding of calls
        runner.join(60_000);
        assertThat(first.get() == null || !first.get().complete()).as("the run was stopped midway").isTrue();
        int sentBeforeStop = server.requests();
        assertThat(sentBeforeStop).isBetween(60, 199);

        server.latency(0);
        ScoringReport resumed = score(scorer(LikelihoodTemplate.PLAIN), "lik");
        assertThat(resumed.alreadyScored()).isBetween(60L - concurrency, 199L);
        assertThat(resumed.alreadyScored() + resumed.scored()).isEqualTo(200);
        assertThat(server.completions().prompts()).hasSize(200);
        List<Integer> repeats = new ArrayList<>();
        server.completions().prompts().values().forEach(n -> repeats.add(n.get()));
        assertThat(repeats.stream().filter(n -> n > 1).count()).isLessThanOrEqualTo(concurrency);
        assertClose(stored("lik"), expected(LikelihoodTemplate.PLAIN));
    }

    @Test
    void aResponseWithCharactersBeyondTheBasicPlaneIsScoredOnItsOwnTokens() throws Exception {
        LikelihoodScorer s = scorer(LikelihoodTemplate.CHATML);
        String prompt = "React to this.";
        String response = "Great \uD83D\uDC4D\uD83C\uDF89 work \uD835\uDD04!";
        var task = new org.admap.score.ScoreTask(1, "x", prompt, "h", null,
                List.of(new org.admap.score.ScoreTask.Target(0, response, "r")));
        var outcome = s.score(task).get(0);
        assertThat(outcome.error()).isNull();
        assertThat(outcome.value()).isCloseTo(expected(LikelihoodTemplate.CHATML, prompt, response), within(1e-12));
    }

    @Test
    void anEmptyResponseScoresZeroWithoutACallAsInThePapersCode() throws Exception {
        LikelihoodScorer s = scorer(LikelihoodTemplate.PLAIN);
        var task = new org.admap.score.ScoreTask(1, "x", "Say nothing.", "h", null,
                List.of(new org.admap.score.ScoreTask.Target(0, "", "e")));
        var outcome = s.score(task).get(0);
        assertThat(outcome.isOk()).isTrue();
        assertThat(outcome.value()).isZero();
        assertThat(server.requests()).isZero();
    }
}
