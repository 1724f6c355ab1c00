package org.admap.score.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.admap.Progress;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.TestFiles;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.store.ReferenceAnswers;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreSourceInfo;
import org.admap.model.Response;
import org.admap.score.Pricing;
import org.admap.score.ScoringFixtures;
import org.admap.score.ScoringOptions;
import org.admap.score.ScoringReport;
import org.admap.score.Usage;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference scorer measures each response against one reference answer per instruction:
 * the data's own, or one written once by an LLM; by the cosine of embeddings cached in the
 * run store, or by ROUGE-L with no server at all.
 */
class ReferenceScorerTest {

    private static final String EMBEDDING_MODEL = "text-embedding-3-small";
    private static final String FRANCE = "What is the capital of France?";

    /**
     * Five instructions: two share their text (one reference for both), one has an empty and a
     * blank response, one brings its own reference, one has only blank responses.
     */
    private static final String[] ROWS = {
        "{\"id\": \"q1\", \"prompt\": \"" + FRANCE + "\", \"responses\": [\"Paris is the capital of France.\","
                + " \"The capital is Lyon.\", \"   \", \"I think it is Paris.\"]}",
        "{\"id\": \"q2\", \"prompt\": \"" + FRANCE + "\", \"responses\": [\"Paris.\", \"France's capital city is"
                + " Paris.\"]}",
        "{\"id\": \"q3\", \"prompt\": \"Name a primary colour.\", \"responses\": [\"Red.\", \"Blue is one.\", \"\"]}",
        "{\"id\": \"q4\", \"prompt\": \"Translate 'cat' into German.\", \"reference\": \"Katze.\", \"responses\":"
                + " [\"Katze\", \"Die Katze ist ein Tier.\"]}",
        "{\"id\": \"q5\", \"prompt\": \"Say nothing.\", \"responses\": [\" \", \"\\n\"]}",
    };

    @TempDir
    Path dir;
    StandInServer server;
    RunStore store;

    @BeforeEach
    void start() throws Exception {
        server = StandInServer.start();
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
        server.close();
    }

    private void smallStore() throws Exception {
        Path data = TestFiles.jsonl(dir, "small.jsonl", ROWS);
        store = RunStore.create(dir.resolve(RunStore.FILE_NAME));
        Ingest.run(List.of(data), IngestOptions.defaults(), store, Progress.Factory.NONE);
    }

    private void demoStore() throws Exception {
        store = ScoringFixtures.demoStore(dir);
    }

    private ApiClient client(String key, Duration timeout) {
        return ScoringFixtures.client(server.baseUrl(), key, timeout);
    }

    private ReferenceScorer cosine(ApiClient client, boolean dataReferences) {
        return new ReferenceScorer(settings(ReferenceScorer.Similarity.COSINE, dataReferences), client,
                new OpenAiEmbedder(client, EMBEDDING_MODEL, Pricing.forModel(EMBEDDING_MODEL)), store);
    }

    private static ReferenceScorer.ReferenceSettings settings(ReferenceScorer.Similarity similarity,
                                                              boolean dataReferences) {
        return new ReferenceScorer.ReferenceSettings(similarity, ReferenceScorer.DEFAULT_WRITER,
                Pricing.forModel(ReferenceScorer.DEFAULT_WRITER), ReferenceScorer.DEFAULT_MAX_TOKENS, 0,
                dataReferences);
    }

    private ScoringReport score(ReferenceScorer scorer, String source) throws Exception {
        return score(scorer, source, ScoringFixtures.options(8));
    }

    private ScoringReport score(ReferenceScorer scorer, String source, ScoringOptions options) throws Exception {
        try (scorer) {
            return new ScoringJob(store, scorer, source, options, Progress.Factory.NONE).run();
        }
    }

    /** What each response should score: "id/position" to the expected value (NaN: a failed score). */
    private Map<String, Double> expected(boolean rouge, boolean dataReferences) {
        Map<String, Double> out = new HashMap<>();
        store.forEachItem(RunStore.INPUT, null, ki -> {
            String reference = dataReferences && ki.item().reference() != null ? ki.item().reference()
                    : StandInServer.referenceAnswer(ki.item().fullPrompt());
            List<Response> rs = ki.item().responses();
            for (int i = 0; i < rs.size(); i++) {
                String text = rs.get(i).text();
                double v = text.isBlank() ? Double.NaN : rouge ? RougeL.f1(text, reference)
                        : cosineOf(StandInServer.embedding(reference), StandInServer.embedding(text));
                out.put(ki.item().id() + "/" + i, v);
            }
        });
        return out;
    }

    /** The cosine, computed here independently of the scorer. */
    private static double cosineOf(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * (double) b[i];
            na += a[i] * (double) a[i];
            nb += b[i] * (double) b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private Map<String, Double> stored(String source) {
        Map<String, Double> out = new HashMap<>();
        store.forEachItem(source, null, ki -> {
            List<Response> rs = ki.item().responses();
            for (int i = 0; i < rs.size(); i++) {
                out.put(ki.item().id() + "/" + i, rs.get(i).score());
            }
        });
        return out;
    }

    private void assertScores(String source, Map<String, Double> expected) {
        Map<String, Double> got = stored(source);
        assertThat(got.keySet()).isEqualTo(expected.keySet());
        expected.forEach((k, v) -> {
            if (Double.isNaN(v)) {
                assertThat(got.get(k)).as(k).isNaN();
            } else {
                assertThat(got.get(k)).as(k).isCloseTo(v, within(1e-9));
            }
        });
    }

    private long rows(String sql) throws Exception {
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(RunStore.FILE_NAME));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } finally {
            store = RunStore.open(dir.resolve(RunStore.FILE_NAME));
        }
    }

    private void execute(String sql) throws Exception {
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(RunStore.FILE_NAME));
             Statement st = c.createStatement()) {
            st.execute(sql);
        } finally {
            store = RunStore.open(dir.resolve(RunStore.FILE_NAME));
        }
    }

    // ---- references ------------------------------------------------------------------------

    @Test
    void theDatasOwnReferencesNeedNoChatCallAndEachInstructionIsOneEmbeddingCall() throws Exception {
        demoStore();
        ScoringReport report = score(cosine(client(null, Duration.ofSeconds(5)), true), "reference");

        assertThat(report.scored()).isEqualTo(200);
        assertThat(report.failed()).isZero();
        assertThat(server.requests("/v1/chat/completions")).isZero();
        assertThat(server.requests("/v1/embeddings")).isEqualTo(50);
        assertScores("reference", expected(false, true));
        try (ReferenceAnswers answers = ReferenceAnswers.open(store)) {
            assertThat(answers.count(ReferenceAnswers.DATA)).isEqualTo(50);
        }
    }

    @Test
    void aReferenceIsWrittenOncePerInstructionTextAndReusedByLaterSources() throws Exception {
        smallStore();
        server.latency(150); // the two items that share their text are in flight together
        ScoringReport report = score(cosine(client(null, Duration.ofSeconds(5)), true), "reference");

        // France (q1 and q2 share it) and the colours; q4 brings its own; q5 has nothing to score
        assertThat(server.requests("/v1/chat/completions")).isEqualTo(2);
        assertThat(report.scored()).isEqualTo(9);
        assertScores("reference", expected(false, true));
        JsonNode request = server.chatBodies().get(0);
        assertThat(request.path("model").asText()).isEqualTo(ReferenceScorer.DEFAULT_WRITER);
        assertThat(request.path("max_tokens").asInt()).isEqualTo(1024);
        assertThat(request.path("temperature").asDouble()).isZero();
        assertThat(request.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(request.at("/messages/0/content").asText()).isEqualTo(ReferenceScorer.SYSTEM_PROMPT)
                .contains("accurate", "relevant", "up-to-date", "positive", "engaging", "educational", "helpful");
        assertThat(request.at("/messages/1/content").asText()).isIn(FRANCE, "Name a primary colour.");

        int embeddingCalls = server.requests("/v1/embeddings");
        ScoringReport rouge = score(new ReferenceScorer(settings(ReferenceScorer.Similarity.ROUGE_L, true),
                client(null, Duration.ofSeconds(5)), null, store), "reference-rouge");
        assertThat(rouge.scored()).isEqualTo(9);
        assertThat(server.requests("/v1/chat/completions")).isEqualTo(2);
        assertThat(server.requests("/v1/embeddings")).isEqualTo(embeddingCalls);
        assertScores("reference-rouge", expected(true, true));
        assertThat(rows("SELECT count(*) FROM reference_answers WHERE writer = '" + ReferenceScorer.DEFAULT_WRITER
                + "'")).isEqualTo(2);
    }

    @Test
    void emptyAndBlankResponsesFailWithTheirReasonAndCostNothing() throws Exception {
        smallStore();
        ScoringReport report = score(cosine(client(null, Duration.ofSeconds(5)), true), "reference");

        assertThat(report.failed()).isEqualTo(4); // q1's "   ", q3's "", q5's two
        assertThat(store.scoreErrors("reference", 5)).containsOnlyKeys("empty response");
        assertThat(rows("SELECT count(*) FROM scores WHERE error = 'empty response' AND value IS NULL"
                + " AND status = 'failed' AND tokens_in = 0 AND cost_usd = 0")).isEqualTo(4);
        // q5's responses are all blank: nothing was written or embedded for it
        assertThat(server.chatBodies()).noneMatch(b -> b.toString().contains("Say nothing."));
    }

    // ---- the embedding cache -------------------------------------------------------------------

    @Test
    void aRerunThatLostItsScoresEmbedsAndWritesNothingAgain() throws Exception {
        smallStore();
        score(cosine(client(null, Duration.ofSeconds(5)), true), "reference");
        int chats = server.requests("/v1/chat/completions");
        int embeddings = server.requests("/v1/embeddings");
        // 2 written references, 1 data reference, 9 non-blank response texts: each embedded once
        assertThat(rows("SELECT count(*) FROM embeddings WHERE model = '" + EMBEDDING_MODEL + "'")).isEqualTo(12);

        execute("DELETE FROM scores"); // as if the process died after the calls, before the scores were stored
        ScoringReport again = score(cosine(client(null, Duration.ofSeconds(5)), true), "reference");

        assertThat(again.scored()).isEqualTo(9);
        assertThat(server.requests("/v1/chat/completions")).isEqualTo(chats);
        assertThat(server.requests("/v1/embeddings")).isEqualTo(embeddings);
        assertThat(again.usage().costUsd()).isZero();
        assertScores("reference", expected(false, true));
        assertThat(rows("SELECT count(*) FROM embeddings")).isEqualTo(12);
    }

    // ---- ROUGE-L ---------------------------------------------------------------------------------

    @Test
    void theSameAnswerToTheSamePromptIsScoredAgainEachItemsOwnReference() throws Exception {
        Path data = TestFiles.jsonl(dir, "refs.jsonl",
                "{\"id\": \"a\", \"prompt\": \"Name a colour.\", \"reference\": \"Red.\", \"responses\": [\"Red\", " +
                        "\"x\"]}",
                "{\"id\": \"b\", \"prompt\": \"Name a colour.\", \"reference\": \"Blue sky colour.\","
                        + " \"responses\": [\"Red\", \"y\"]}");
        store = RunStore.create(dir.resolve(RunStore.FILE_NAME));
        Ingest.run(List.of(data), IngestOptions.defaults(), store, Progress.Factory.NONE);
        server.close();

        ScoringReport report = score(new ReferenceScorer(settings(ReferenceScorer.Similarity.ROUGE_L, true), null, null,
                store), "rouge");

        assertThat(report.cached()).as("not a duplicate: the references differ").isZero();
        Map<String, Double> got = stored("rouge");
        assertThat(got.get("a/0")).isEqualTo(RougeL.f1("Red", "Red."));
        assertThat(got.get("b/0")).isEqualTo(RougeL.f1("Red", "Blue sky colour."));
    }

    @Test
    void rougeLAgainstTheDatasReferencesNeedsNoServerAtAll() throws Exception {
        demoStore();
        server.close(); // nothing to call
        ScoringReport report = score(new ReferenceScorer(settings(ReferenceScorer.Similarity.ROUGE_L, true), null, null,
                store), "rouge");

        assertThat(report.scored()).isEqualTo(200);
        assertThat(report.usage()).isEqualTo(Usage.NONE);
        assertScores("rouge", expected(true, true));
        ScoreSourceInfo info = store.scoreSource("rouge").orElseThrow();
        assertThat(info.model()).isEqualTo("rouge-l");
        assertThat(info.endpoint()).isEqualTo("in-process");
        assertThat(info.parameters()).contains("similarity=rouge-l");
    }

    @Test
    void withoutAWriterAnInstructionWithoutAReferenceStopsScoringSayingWhy() throws Exception {
        smallStore();
        ScoringReport report = score(new ReferenceScorer(settings(ReferenceScorer.Similarity.ROUGE_L, true), null, null,
                store), "rouge", ScoringFixtures.options(1));
        assertThat(report.abortReason()).contains("no reference answer in the data");
    }

    // ---- faults, cost, keys, provenance ---------------------------------------------------------------

    @Test
    void aMixOfFaultsEndsWithEveryResponseScored() throws Exception {
        demoStore();
        server.rateLimitEvery(7).serverErrorEvery(11).malformedJsonEvery(13).hangEvery(17, 3_000);
        ScoringReport report = score(cosine(client(null, Duration.ofMillis(700)), false), "reference",
                ScoringFixtures.options(16));

        assertThat(report.failed()).as(store.scoreErrors("reference", 5).toString()).isZero();
        assertThat(report.scored()).isEqualTo(200);
        assertScores("reference", expected(false, false));
        assertThat(rows("SELECT count(*) FROM reference_answers WHERE writer = '" + ReferenceScorer.DEFAULT_WRITER
                + "'")).isEqualTo(50);
    }

    @Test
    void theCostIsTheReferencesChatTokensPlusTheEmbeddingTokens() throws Exception {
        demoStore();
        ScoringReport report = score(cosine(client(null, Duration.ofSeconds(5)), false), "reference");

        Pricing chat = Pricing.forModel(ReferenceScorer.DEFAULT_WRITER);
        Pricing embedding = Pricing.forModel(EMBEDDING_MODEL);
        long referenceIn = rows("SELECT sum(tokens_in) FROM reference_answers");
        long referenceOut = rows("SELECT sum(tokens_out) FROM reference_answers");
        RunStore.ScoreTotals totals = store.scoreTotals("reference");
        assertThat(totals.tokensOut()).isEqualTo(referenceOut);
        long embeddingTokens = totals.tokensIn() - referenceIn;
        assertThat(embeddingTokens).isPositive();
        assertThat(totals.costUsd()).isCloseTo(chat.cost(referenceIn, referenceOut) + embedding.cost(embeddingTokens,
                0),
                within(1e-9));
        assertThat(report.usage().costUsd()).isCloseTo(totals.costUsd(), within(1e-6));
    }

    @Test
    void aDryRunEstimatesWithoutCallingAndCountsWhatIsCachedAsFree() throws Exception {
        demoStore();
        ScoringReport dry = score(cosine(client(null, Duration.ofSeconds(5)), false), "reference",
                new ScoringOptions(4, false, Double.NaN, true));
        assertThat(server.requests()).isZero();
        assertThat(dry.calls()).isEqualTo(50);
        assertThat(dry.usage().costUsd()).isPositive();
        assertThat(dry.usage().tokensOut()).isEqualTo(50L * 512);

        score(cosine(client(null, Duration.ofSeconds(5)), false), "reference");
        execute("DELETE FROM scores");
        ScoringReport dryAgain = score(cosine(client(null, Duration.ofSeconds(5)), false), "reference",
                new ScoringOptions(4, false, Double.NaN, true));
        assertThat(dryAgain.calls()).isEqualTo(50);
        assertThat(dryAgain.usage()).isEqualTo(Usage.NONE);
    }

    @Test
    void theKeyReachesBothServersButNeitherTheStoreNorAnyMessage() throws Exception {
        demoStore();
        String key = "sk-ref-Zr8WqJ2mYp5SECRET";
        server.requireKey("sk-some-other-key");
        ScoringReport refused = score(cosine(client(key, Duration.ofSeconds(5)), false), "reference");
        assertThat(refused.abortReason()).contains("HTTP 401").doesNotContain(key).doesNotContain("SECRET");

        server.requireKey(key);
        ScoringReport ok = score(cosine(client(key, Duration.ofSeconds(5)), false), "reference");
        assertThat(ok.scored()).isEqualTo(200);
        assertThat(server.authorizations()).contains("Bearer " + key);

        store.close();
        String bytes = new String(Files.readAllBytes(dir.resolve(RunStore.FILE_NAME)), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("SECRET").doesNotContain("Zr8WqJ2mYp5");
        store = RunStore.open(dir.resolve(RunStore.FILE_NAME));
    }

    @Test
    void provenanceNamesTheEmbeddingModelThePromptVersionAndTheReferences() throws Exception {
        demoStore();
        ApiClient client = client(null, Duration.ofSeconds(5));
        try (ReferenceScorer a = cosine(client, true); ReferenceScorer b = new ReferenceScorer(settings(
                ReferenceScorer.Similarity.ROUGE_L, true), client, null, store);
             ReferenceScorer c = new ReferenceScorer(settings(ReferenceScorer.Similarity.COSINE, true), client,
                     new OpenAiEmbedder(client, "text-embedding-3-large", Pricing.UNKNOWN), store)) {
            assertThat(a.config().kind()).isEqualTo("reference");
            assertThat(a.config().model()).isEqualTo(EMBEDDING_MODEL);
            assertThat(a.config().promptVersion()).isEqualTo(ReferenceScorer.PROMPT_VERSION);
            assertThat(a.config().parametersText()).contains("similarity=cosine")
                    .contains("references=from the data, else written by " + ReferenceScorer.DEFAULT_WRITER);
            assertThat(a.config().endpoint()).isEqualTo(server.baseUrl());
            assertThat(List.of(a.config().fingerprint(), b.config().fingerprint(), c.config().fingerprint()))
                    .doesNotHaveDuplicates();
        }
    }

    // ---- the embedder seam ------------------------------------------------------------------------

    @Test
    void anInProcessEmbedderPlugsInAndItsFailuresAreFailedScoresThatARetryTakes() throws Exception {
        demoStore();
        CachedEmbeddingsTest.CountingEmbedder local = new CachedEmbeddingsTest.CountingEmbedder() {
            @Override
            public Map<String, String> parameters() {
                return Map.of("long_texts", "truncated");
            }
        };
        String[] first = new String[1];
        store.forEachItem(RunStore.INPUT, null, ki -> {
            if (first[0] == null) {
                first[0] = ki.item().responses().get(0).text();
            }
        });
        local.failOn = first[0]; // the first instruction's embedding call fails
        ReferenceScorer scorer = new ReferenceScorer(settings(ReferenceScorer.Similarity.COSINE, true), null, local,
                store);
        assertThat(scorer.config().endpoint()).isEqualTo("in-process");
        assertThat(scorer.config().model()).isEqualTo("counting");
        assertThat(scorer.config().parametersText()).contains("embedding_long_texts=truncated");
        ScoringReport report = score(scorer, "local");

        assertThat(report.failed()).isEqualTo(4);
        assertThat(report.scored()).isEqualTo(196);
        assertThat(store.scoreErrors("local", 5).keySet()).singleElement().asString().startsWith("cannot embed");
        assertThat(server.requests()).isZero();

        local.failOn = null;
        ScoringReport retry = score(new ReferenceScorer(settings(ReferenceScorer.Similarity.COSINE, true), null, local,
                store), "local", new ScoringOptions(8, true, Double.NaN, false));
        assertThat(retry.scored()).isEqualTo(4);
        assertScores("local", expected(false, true));
        assertThat(local.seen.values()).allMatch(n -> n.get() == 1);
    }
}
