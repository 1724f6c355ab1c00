package org.admap.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.admap.Progress;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.store.RunStore;
import org.admap.score.ScoringFixtures;
import org.admap.score.ScoringReport;
import org.admap.score.reference.Embedder;
import org.admap.score.reference.EmbeddingException;
import org.admap.score.reference.ReferenceScorer;
import org.admap.stats.Cosine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real all-MiniLM-L6-v2 model, run in this process. */
class LocalEmbedderTest {

    static LocalEmbedder model;

    static final List<String> SENTENCES = List.of(
            "A cat sits on the mat.",
            "A kitten is sitting on a rug.",
            "The stock market fell sharply today.",
            "How do I bake sourdough bread?",
            "What is the recipe for sourdough?");

    @BeforeAll
    static void load() {
        model = new LocalEmbedder(LocalModel.ALL_MINILM_L6_V2, 2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static double cosine(float[] a, float[] b) {
        return Cosine.of(a, b);
    }

    @Test
    void fixedSentencesGiveTheVectorsComputedOnceWithThisModel() throws Exception {
        float[][] v = model.embed(SENTENCES).vectors();
        assertThat(v).hasNumberOfRows(5);
        assertThat(v[0]).hasSize(384);
        // Computed once with all-MiniLM-L6-v2 through this class (LangChain4j 1.20.0-beta30, ONNX Runtime 1.20).
        assertThat((double) v[0][0]).isCloseTo(0.126535, within(1e-4));
        assertThat((double) v[0][1]).isCloseTo(-0.032851, within(1e-4));
        assertThat(cosine(v[0], v[1])).isCloseTo(0.698482, within(1e-4));
        assertThat(cosine(v[3], v[4])).isCloseTo(0.749643, within(1e-4));
        assertThat(cosine(v[0], v[2])).isCloseTo(0.091074, within(1e-4));
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() throws Exception {
        float[][] v = model.embed(SENTENCES).vectors();
        double paraphrases = Math.min(cosine(v[0], v[1]), cosine(v[3], v[4]));
        for (int i = 0; i < 5; i++) {
            for (int j = i + 1; j < 5; j++) {
                boolean pair = (i == 0 && j == 1) || (i == 3 && j == 4);
                if (!pair) {
                    assertThat(cosine(v[i], v[j])).as(SENTENCES.get(i) + " / " + SENTENCES.get(j))
                            .isLessThan(paraphrases - 0.4);
                }
            }
        }
    }

    @Test
    void vectorsHaveUnitLengthAndDoNotDependOnTheBatch() throws Exception {
        float[][] together = model.embed(SENTENCES).vectors();
        float[] alone = model.embed(List.of(SENTENCES.get(2))).vectors()[0];
        assertThat(cosine(together[2], alone)).isCloseTo(1.0, within(1e-6));
        double norm = 0;
        for (float f : alone) {
            norm += f * f;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void aTextLongerThanTheModelsInputIsTruncatedAt256WordPiecesAsSentenceTransformersDoes() throws Exception {
        String start = "alpha ".repeat(240);
        float[][] within = model.embed(List.of(start + "zebra crocodile", start)).vectors();
        assertThat(cosine(within[0], within[1])).as("an ending inside the limit counts").isLessThan(0.999);
        String longer = "alpha ".repeat(300);
        float[][] past = model.embed(List.of(longer + "zebra crocodile", longer)).vectors();
        assertThat(cosine(past[0], past[1])).as("an ending past the limit is cut off").isCloseTo(1.0, within(1e-6));
        assertThat(model.parameters()).containsEntry("long_texts", "truncated at 256 word pieces");
    }

    @Test
    void anEmptyTextIsRefused() {
        assertThatThrownBy(() -> model.embed(List.of("fine", "  ")))
                .isInstanceOf(EmbeddingException.class).hasMessageContaining("empty");
    }

    @Test
    void modelNamesParse() {
        assertThat(LocalModel.parse("all-MiniLM-L6-v2")).isEqualTo(LocalModel.ALL_MINILM_L6_V2);
        assertThat(LocalModel.parse("bge-small-en-v1.5-q")).isEqualTo(LocalModel.BGE_SMALL_EN_V15_Q);
        assertThatThrownBy(() -> LocalModel.parse("mpnet")).hasMessageContaining("all-minilm-l6-v2");
    }

    /** Counts what reaches the model. */
    static final class Counting implements Embedder {
        final AtomicInteger texts = new AtomicInteger();

        @Override
        public String model() {
            return model.model();
        }

        @Override
        public String endpoint() {
            return model.endpoint();
        }

        @Override
        public java.util.Map<String, String> parameters() {
            return model.parameters();
        }

        @Override
        public Embeddings embed(List<String> list) throws EmbeddingException, InterruptedException {
            texts.addAndGet(list.size());
            return model.embed(list);
        }
    }

    private static ScoringReport scoreDemo(RunStore store, Embedder embedder) throws Exception {
        try (ReferenceScorer scorer = new ReferenceScorer(ReferenceScorer.ReferenceSettings.defaults(
                ReferenceScorer.Similarity.COSINE), null, embedder, store)) {
            return new ScoringJob(store, scorer, "reference", ScoringFixtures.options(4), Progress.Factory.NONE).run();
        }
    }

    @Test
    void theDemoIsScoredOfflineAndARerunEmbedsNothing(@TempDir Path dir) throws Exception {
        Counting counting = new Counting();
        Path file = dir.resolve(RunStore.FILE_NAME);
        try (RunStore store = ScoringFixtures.demoStore(dir)) {
            ScoringReport first = scoreDemo(store, counting);
            assertThat(first.scored()).isEqualTo(200);
            assertThat(first.failed()).isZero();
            List<double[]> scores = new ArrayList<>();
            store.forEachItemScores("reference", s -> scores.add(s.scores()));
            assertThat(scores).hasSize(50);
            double[] all = scores.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
            assertThat(all).hasSize(200);
            assertThat(java.util.Arrays.stream(all).allMatch(x -> x >= -1.0 && x <= 1.0)).isTrue();
        }
        int embedded = counting.texts.get();
        assertThat(embedded).isBetween(240, 250); // 200 responses and 50 references, each distinct text once

        // As if the process had died after embedding, before the scores were stored.
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file);
             java.sql.Statement st = c.createStatement()) {
            st.execute("DELETE FROM scores");
        }
        try (RunStore store = RunStore.open(file)) {
            ScoringReport again = scoreDemo(store, counting);
            assertThat(again.scored()).isEqualTo(200);
        }
        assertThat(counting.texts.get()).as("texts embedded by the rerun").isEqualTo(embedded);
    }
}
