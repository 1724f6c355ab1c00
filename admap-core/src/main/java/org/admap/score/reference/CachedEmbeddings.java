package org.admap.score.reference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.admap.internal.store.EmbeddingCache;
import org.admap.model.TextHash;
import org.admap.score.ScoringAbortedException;
import org.admap.score.Usage;

/**
 * An {@link Embedder} behind the run store's {@link EmbeddingCache}: a text whose embedding
 * is stored is read, not sent; one that another thread is embedding right now is waited for,
 * not sent again; the rest go to the embedder in one call and are stored before anyone else
 * can ask. So each distinct text is embedded once per run store, across threads and reruns.
 *
 * <p>No deadlock: a thread waits for other threads' texts only after its own call is done,
 * and a text whose embedding failed elsewhere is embedded by the waiting thread itself.
 */
final class CachedEmbeddings {

    /** Vectors for every text asked for, and what this call spent. */
    record EmbeddedTexts(float[][] vectors, Usage usage, int attempts, long latencyMs, int embedded) {
    }

    private final Embedder embedder;
    private final EmbeddingCache cache;
    private final Map<String, CompletableFuture<float[]>> inFlight = new ConcurrentHashMap<>();

    CachedEmbeddings(Embedder embedder, EmbeddingCache cache) {
        if (!embedder.model().equals(cache.model())) {
            throw new IllegalArgumentException("the cache holds " + cache.model() + ", the embedder is "
                    + embedder.model());
        }
        this.embedder = embedder;
        this.cache = cache;
    }

    Embedder embedder() {
        return embedder;
    }

    /** Whether the text with this hash needs no call. */
    boolean cached(String textHash) {
        return cache.contains(textHash);
    }

    EmbeddedTexts embed(List<String> texts) throws EmbeddingException, InterruptedException {
        Map<String, String> byHash = new LinkedHashMap<>();
        for (String t : texts) {
            byHash.putIfAbsent(TextHash.of(t), t);
        }
        Map<String, float[]> vectors = new HashMap<>(cache.get(byHash.keySet()));
        Map<String, CompletableFuture<float[]>> mine = new LinkedHashMap<>();
        Map<String, CompletableFuture<float[]>> theirs = new LinkedHashMap<>();
        for (String h : byHash.keySet()) {
            if (vectors.containsKey(h)) {
                continue;
            }
            CompletableFuture<float[]> f = new CompletableFuture<>();
            CompletableFuture<float[]> other = inFlight.putIfAbsent(h, f);
            if (other == null) {
                mine.put(h, f);
            } else {
                theirs.put(h, other);
            }
        }
        Usage usage = Usage.NONE;
        int attempts = 0;
        long latency = 0;
        int embedded = 0;
        if (!mine.isEmpty()) {
            try {
                // Stored since the lookup above by a thread that finished meanwhile: no call for those.
                Map<String, float[]> late = cache.get(mine.keySet());
                vectors.putAll(late);
                List<String> send = new ArrayList<>();
                for (String h : mine.keySet()) {
                    if (!late.containsKey(h)) {
                        send.add(h);
                    }
                }
                if (!send.isEmpty()) {
                    Embedder.Embeddings e = call(send, byHash);
                    usage = usage.plus(e.usage());
                    attempts += e.attempts();
                    latency += e.latencyMs();
                    embedded += send.size();
                    Map<String, float[]> fresh = new HashMap<>();
                    for (int i = 0; i < send.size(); i++) {
                        fresh.put(send.get(i), e.vectors()[i]);
                    }
                    cache.put(fresh);
                    vectors.putAll(fresh);
                }
                mine.forEach((h, f) -> f.complete(vectors.get(h)));
            } catch (EmbeddingException | InterruptedException | RuntimeException e) {
                mine.values().forEach(f -> f.completeExceptionally(e));
                throw e;
            } finally {
                mine.forEach(inFlight::remove);
            }
        }
        List<String> retry = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<float[]>> t : theirs.entrySet()) {
            try {
                vectors.put(t.getKey(), t.getValue().get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ScoringAbortedException abort) {
                    throw abort;
                }
                retry.add(t.getKey());
            }
        }
        if (!retry.isEmpty()) {
            Embedder.Embeddings e = call(retry, byHash);
            usage = usage.plus(e.usage());
            attempts += e.attempts();
            latency += e.latencyMs();
            embedded += retry.size();
            Map<String, float[]> fresh = new HashMap<>();
            for (int i = 0; i < retry.size(); i++) {
                fresh.put(retry.get(i), e.vectors()[i]);
            }
            cache.put(fresh);
            vectors.putAll(fresh);
        }
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            out[i] = vectors.get(TextHash.of(texts.get(i)));
        }
        return new EmbeddedTexts(out, usage, attempts, latency, embedded);
    }

    private Embedder.Embeddings call(List<String> hashes, Map<String, String> byHash)
            throws EmbeddingException, InterruptedException {
        List<String> send = new ArrayList<>(hashes.size());
        for (String h : hashes) {
            send.add(byHash.get(h));
        }
        Embedder.Embeddings e = embedder.embed(send);
        if (e.vectors() == null || e.vectors().length != send.size()) {
            throw new EmbeddingException("the embedder returned " + (e.vectors() == null ? 0 : e.vectors().length)
                    + " vectors for " + send.size() + " texts", null, e.attempts());
        }
        return e;
    }
}
