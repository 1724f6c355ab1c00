package org.admap.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Texts per second of the local model on this machine, short and long texts, one caller
 * and several. Prints; asserts nothing about time. Run with
 * {@code mvn -pl admap-embeddings -am test -Dtest=LocalEmbedderBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class LocalEmbedderBenchmark {

    private static List<String> texts(int count, int words, long seed) {
        String[] vocabulary = ("the of and to in is that for it as with was on be by this are from or an at which"
                + " model answer question data bread market cat result code function explain step value").split(" ");
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < words; w++) {
                sb.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
            }
            out.add(sb.toString().strip());
        }
        return out;
    }

    @Test
    void textsPerSecond() throws Exception {
        Runtime rt = Runtime.getRuntime();
        for (LocalModel m : LocalModel.values()) {
            try (LocalEmbedder e = new LocalEmbedder(m, rt.availableProcessors())) {
                e.embed(texts(32, 20, 0)); // warm up
                for (int words : new int[] {15, 60, 300}) {
                    for (int callers : new int[] {1, 4}) {
                        int perCall = 13;
                        int calls = words > 100 ? 16 : 48;
                        ExecutorService pool = Executors.newFixedThreadPool(callers);
                        List<List<String>> batches = new ArrayList<>();
                        for (int c = 0; c < calls; c++) {
                            batches.add(texts(perCall, words, c + 1));
                        }
                        long start = System.nanoTime();
                        List<Future<?>> done = new ArrayList<>();
                        for (List<String> b : batches) {
                            done.add(pool.submit(() -> e.embed(b)));
                        }
                        for (Future<?> f : done) {
                            f.get();
                        }
                        double seconds = (System.nanoTime() - start) / 1e9;
                        pool.shutdown();
                        System.out.printf(Locale.ROOT, "%-20s %4d words  %d callers  %7.1f texts/s%n", m.cliName(),
                                words, callers, calls * perCall / seconds);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "heap used after: %d MB%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
    }
}
