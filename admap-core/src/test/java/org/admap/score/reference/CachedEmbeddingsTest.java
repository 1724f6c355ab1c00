package org.admap.score.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.admap.internal.store.EmbeddingCache;
import org.admap.internal.store.RunStore;
import org.admap.score.Usage;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each distinct text reaches the embedder once, whatever the threads and however often it is asked for. */
class CachedEmbeddingsTest {

    @TempDir
    Path dir;

    /** An in-process embedder that counts every text it is given and takes a while. */
    static class CountingEmbedder implements Embedder {
        final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile String failOn;

        @Override
        public String model() {
            return "counting";
        }

        @Override
        public String endpoint() {
            return "in-process";
        }

        @Override
        public Embeddings embed(List<String> texts) throws EmbeddingException, InterruptedException {
            calls.incrementAndGet();
            Thread.sleep(20);
            if (failOn != null && texts.contains(failOn)) {
                throw new EmbeddingException("cannot embed '" + failOn + "'", null, 1);
            }
            float[][] v = new float[texts.size()][];
            for (int i = 0; i < v.length; i++) {
                seen.computeIfAbsent(texts.get(i), k -> new AtomicInteger()).incrementAndGet();
                v[i] = StandInServer.embedding(texts.get(i));
            }
            return new Embeddings(v, new Usage(texts.size(), 0, 0), 1, 20);
        }
    }

    @Test
    void overlappingRequestsFromManyThreadsEmbedEachTextOnce() throws Exception {
        CountingEmbedder embedder = new CountingEmbedder();
        try (RunStore store = RunStore.create(dir.resolve(RunStore.FILE_NAME));
             EmbeddingCache cache = EmbeddingCache.open(store, embedder.model())) {
            CachedEmbeddings cached = new CachedEmbeddings(embedder, cache);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<CachedEmbeddings.EmbeddedTexts>> results = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                int task = t;
                results.add(pool.submit(() -> {
                    go.await();
                    // a shared reference, texts shared with neighbouring tasks, a duplicate and one of its own
                    return cached.embed(List.of("the reference", "text " + (task % 8), "text " + ((task + 1) % 8),
                            "text " + (task % 8), "own " + task));
                }));
            }
            go.countDown();
            long embedded = 0;
            for (int t = 0; t < results.size(); t++) {
                CachedEmbeddings.EmbeddedTexts r = results.get(t).get(60, TimeUnit.SECONDS);
                embedded += r.embedded();
                assertThat(r.vectors().length).isEqualTo(5);
                assertThat(r.vectors()[0]).containsExactly(StandInServer.embedding("the reference"));
                assertThat(r.vectors()[3]).containsExactly(StandInServer.embedding("text " + (t % 8)));
                assertThat(r.vectors()[4]).containsExactly(StandInServer.embedding("own " + t));
            }
            pool.shutdown();
            assertThat(embedder.seen).hasSize(1 + 8 + 64);
            assertThat(embedder.seen.values()).allMatch(n -> n.get() == 1);
            assertThat(embedded).isEqualTo(1 + 8 + 64);
            assertThat(cache.size()).isEqualTo(1 + 8 + 64);

            int before = embedder.calls.get();
            CachedEmbeddings.EmbeddedTexts again = cached.embed(List.of("the reference", "own 3"));
            assertThat(embedder.calls.get()).isEqualTo(before);
            assertThat(again.usage()).isEqualTo(Usage.NONE);
            assertThat(again.embedded()).isZero();
        }
    }

    @Test
    void aFailedCallStoresNothingAndItsTextsAreTriedAgainLater() throws Exception {
        CountingEmbedder embedder = new CountingEmbedder();
        embedder.failOn = "bad";
        try (RunStore store = RunStore.create(dir.resolve(RunStore.FILE_NAME));
             EmbeddingCache cache = EmbeddingCache.open(store, embedder.model())) {
            CachedEmbeddings cached = new CachedEmbeddings(embedder, cache);
            assertThatThrownBy(() -> cached.embed(List.of("good", "bad"))).isInstanceOf(EmbeddingException.class)
                    .hasMessageContaining("cannot embed 'bad'");
            assertThat(cache.size()).isZero();
            embedder.failOn = null;
            assertThat(cached.embed(List.of("good", "bad")).embedded()).isEqualTo(2);
        }
    }

    @Test
    void theCacheMustHoldTheEmbeddersModel() throws Exception {
        try (RunStore store = RunStore.create(dir.resolve(RunStore.FILE_NAME));
             EmbeddingCache cache = EmbeddingCache.open(store, "another-model")) {
            assertThatThrownBy(() -> new CachedEmbeddings(new CountingEmbedder(), cache))
                    .hasMessageContaining("another-model");
        }
    }
}
