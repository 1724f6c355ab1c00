package org.admap.score.reference;

import java.util.List;
import java.util.Map;
import org.admap.score.Usage;

/**
 * Turns texts into sentence embeddings for {@link ReferenceScorer}: the seam where an
 * embedding server ({@link OpenAiEmbedder}) or an in-process model plugs in. The scorer
 * caches what an embedder returns in the run store by (text hash, {@link #model()}), so an
 * embedder is never asked for the same text twice; it need not cache itself.
 *
 * <p>An in-process model implements it in a few lines:
 * <pre>{@code
 * Embedder local = new Embedder() {
 *     public String model() {
 *         return "all-MiniLM-L6-v2";
 *     }
 *     public String endpoint() {
 *         return "in-process";
 *     }
 *     public Map<String, String> parameters() {
 *         return Map.of("long_texts", "truncated to 256 word pieces");
 *     }
 *     public Embeddings embed(List<String> texts) {
 *         long start = System.nanoTime();
 *         float[][] vectors = texts.stream().map(onnxModel::embed).toArray(float[][]::new);
 *         return new Embeddings(vectors, Usage.NONE, 1, (System.nanoTime() - start) / 1_000_000);
 *     }
 * };
 * }</pre>
 *
 * <p>Called from many threads at once: implementations are thread-safe.
 */
public interface Embedder extends AutoCloseable {

    /**
     * The embedding model's name: the cache key of its vectors and part of the score's
     * configuration, so two embedders that give different vectors must not share a name.
     */
    String model();

    /** Where the model runs, for provenance: a base URL, or {@code in-process}. */
    String endpoint();

    /**
     * Whatever else changes the vectors and belongs in the score's provenance (what happens
     * to text past the model's input limit, pooling, normalisation); empty by default.
     */
    default Map<String, String> parameters() {
        return Map.of();
    }

    /**
     * Embeds texts, in one go where the model allows.
     *
     * @param texts at least one, none empty
     * @return one vector per text, in the same order, all of the same length
     * @throws EmbeddingException when these texts cannot be embedded (the scorer records failed
     *                            scores for them and goes on); problems that would fail every
     *                            call throw {@link org.admap.score.ScoringAbortedException}
     */
    Embeddings embed(List<String> texts) throws EmbeddingException, InterruptedException;

    /** What embedding about this many tokens costs (for estimates and budgets); free by default. */
    default Usage usageOf(long tokens) {
        return new Usage(tokens, 0, 0);
    }

    /** Releases the model or connections; the default does nothing. */
    @Override
    default void close() {
    }

    /**
     * Vectors and what making them took.
     *
     * @param vectors   one per text, in order
     * @param usage     tokens and cost
     * @param attempts  requests made, retries included (1 for an in-process model)
     * @param latencyMs wall time
     */
    record Embeddings(float[][] vectors, Usage usage, int attempts, long latencyMs) {
    }
}
