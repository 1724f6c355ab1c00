package org.admap.map;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.admap.internal.store.EmbeddingCache;
import org.admap.internal.store.RunStore;
import org.admap.model.Response;
import org.admap.model.TextHash;
import org.admap.stats.Cosine;
import org.admap.stats.Moments;

/**
 * The paper's {@code comb} variability ({@code calculate/variance.py},
 * {@code response_variance_calculation}): for each instruction, the cosine similarity of
 * every unordered pair of its responses' embeddings ({@code itertools.combinations(responses,
 * 2)}), and the population variance ({@code np.var}, divisor n) of those similarities. The
 * embeddings are the ones the embedding scorer ({@code admap score --scorer reference})
 * stored in the run's {@code embeddings} table, keyed by the response text's hash.
 */
public final class CombVariability {

    private CombVariability() {
    }

    /**
     * The comb variability of one instruction's response vectors: NaN for fewer than two
     * vectors (no pair), 0 for exactly two (one pair).
     */
    public static double of(List<float[]> vectors) {
        int n = vectors.size();
        if (n < 2) {
            return Double.NaN;
        }
        double[] similarities = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                similarities[k++] = Cosine.of(vectors.get(i), vectors.get(j));
            }
        }
        return Moments.variance(similarities, Moments.mean(similarities));
    }

    /**
     * The comb variability of every instruction of the run, by item key, from the stored
     * embeddings of one model (the one that embedded every response).
     *
     * @throws IllegalArgumentException when the run holds no embedding of its responses, with
     *                                  the command that makes them
     */
    public static Map<Integer, Double> byKey(RunStore store, String source) {
        List<String> models = EmbeddingCache.models(store);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("--variability comb needs the responses' embedding vectors, and run "
                    + store.file() + " has none: run 'admap score " + store.file().getParent()
                    + " --scorer reference' first (it embeds every response with the local sentence-embedding model),"
                    + " then 'admap map " + store.file().getParent() + " --variability comb'");
        }
        String missing = null;
        for (String model : models) {
            try (EmbeddingCache cache = EmbeddingCache.open(store, model)) {
                Map<Integer, Double> out = new HashMap<>();
                String[] firstMissing = new String[1];
                store.forEachItem(source, null, keyed -> {
                    if (firstMissing[0] != null) {
                        return;
                    }
                    List<String> hashes = new ArrayList<>();
                    for (Response r : keyed.item().responses()) {
                        hashes.add(TextHash.of(r.text()));
                    }
                    Map<String, float[]> found = cache.get(hashes);
                    List<float[]> vectors = new ArrayList<>();
                    for (int i = 0; i < hashes.size(); i++) {
                        float[] v = found.get(hashes.get(i));
                        if (v == null) {
                            firstMissing[0] = "instruction " + keyed.item().id() + " response " + (i + 1);
                            return;
                        }
                        vectors.add(v);
                    }
                    out.put(keyed.key(), of(vectors));
                });
                if (firstMissing[0] == null) {
                    return out;
                }
                missing = firstMissing[0] + " has no embedding from " + model;
            }
        }
        throw new IllegalArgumentException("--variability comb needs an embedding of every response, but " + missing
                + ": run 'admap score " + store.file().getParent() + " --scorer reference' to embed the rest");
    }
}
