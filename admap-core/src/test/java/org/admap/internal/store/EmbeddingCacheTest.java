package org.admap.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embeddings are kept per (text hash, model), survive the store's reopening, and take many threads. */
class EmbeddingCacheTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(RunStore.FILE_NAME);
    }

    @Test
    void vectorsReadBackExactlyAfterTheStoreIsReopened() {
        try (RunStore store = RunStore.create(file()); EmbeddingCache cache = EmbeddingCache.open(store, "m")) {
            assertThat(cache.size()).isZero();
            cache.put(Map.of("aaaa", new float[] {1f, -2.5f, 0f, 3.25e-7f}, "bbbb", new float[] {0.1f, 0.2f}));
            assertThat(cache.contains("aaaa")).isTrue();
            assertThat(cache.contains("cccc")).isFalse();
        }
        try (RunStore store = RunStore.open(file()); EmbeddingCache cache = EmbeddingCache.open(store, "m")) {
            assertThat(cache.size()).isEqualTo(2);
            Map<String, float[]> got = cache.get(List.of("aaaa", "bbbb", "cccc"));
            assertThat(got).containsOnlyKeys("aaaa", "bbbb");
            assertThat(got.get("aaaa")).containsExactly(1f, -2.5f, 0f, 3.25e-7f);
            assertThat(got.get("bbbb")).containsExactly(0.1f, 0.2f);
        }
    }

    @Test
    void eachModelHasItsOwnVectorsAndAStoredTextIsNeverOverwritten() {
        try (RunStore store = RunStore.create(file());
             EmbeddingCache small = EmbeddingCache.open(store, "small");
             EmbeddingCache large = EmbeddingCache.open(store, "large")) {
            small.put(Map.of("t", new float[] {1f}));
            assertThat(large.contains("t")).isFalse();
            large.put(Map.of("t", new float[] {2f, 2f}));
            small.put(Map.of("t", new float[] {9f}));
            assertThat(small.get(List.of("t")).get("t")).containsExactly(1f);
            assertThat(large.get(List.of("t")).get("t")).containsExactly(2f, 2f);
            assertThat(small.size()).isEqualTo(1);
        }
    }

    @Test
    void manyThreadsWriteAndReadAtOnce() throws Exception {
        try (RunStore store = RunStore.create(file()); EmbeddingCache cache = EmbeddingCache.open(store, "m")) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        Map<String, float[]> batch = new HashMap<>();
                        batch.put("h" + thread + "-" + i, new float[] {thread, i});
                        batch.put("shared-" + i, new float[] {i});
                        cache.put(batch);
                        assertThat(cache.get(List.of("h" + thread + "-" + i)).get("h" + thread + "-" + i))
                                .containsExactly(thread, i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(cache.size()).isEqualTo(8 * 50 + 50);
        }
    }
}
