package org.admap.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.admap.Progress;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.store.RunStore;
import org.admap.score.Pricing;
import org.admap.score.ScoringFixtures;
import org.admap.score.ScoringOptions;
import org.admap.score.ScoringReport;
import org.admap.score.likelihood.LikelihoodScorer;
import org.admap.score.likelihood.LikelihoodTemplate;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The likelihood scorer's throughput against the stand-in's language model at a fixed latency,
 * against the ideal N/latency of N calls in flight. Prints a table; asserts nothing about time.
 * Not part of the test suite (the name does not match surefire's patterns); run it with
 * {@code mvn -o -pl admap-core test -Dtest=LikelihoodThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class LikelihoodThroughputBenchmark {

    @TempDir
    Path dir;

    @Test
    void throughput() throws Exception {
        System.out.println("likelihood scoring against the stand-in's /v1/completions (echo + logprobs)");
        System.out.printf(Locale.ROOT, "%10s %12s %10s %10s %12s %14s %8s%n", "latency", "concurrency", "responses",
                "seconds", "scores/s", "ideal N/lat", "ratio");
        int run = 0;
        long latency = 200;
        measure(latency, 16, 16, run++); // warm-up: the JIT, DuckDB and the HTTP client, not reported
        for (int concurrency : new int[] {1, 16, 64}) {
            int instructions = concurrency == 1 ? 15 : concurrency * 25; // about 12 s and 20 s of calls
            double seconds = measure(latency, concurrency, instructions, run++);
            double rate = instructions * 4 / seconds;
            double ideal = concurrency * 1000.0 / latency;
            System.out.printf(Locale.ROOT, "%8d ms %12d %10d %10.2f %12.1f %14.1f %7.1f%%%n", latency, concurrency,
                    instructions * 4, seconds, rate, ideal, 100 * rate / ideal);
        }
    }

    private double measure(long latency, int concurrency, int instructions, int run) throws Exception {
        Path data = dir.resolve("data-" + run + ".jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < instructions; i++) {
            StringBuilder sb = new StringBuilder("{\"id\": \"b" + i + "\", \"prompt\": \"Question " + i + " of run "
                    + run + "?\", \"responses\": [");
            for (int r = 0; r < 4; r++) {
                sb.append(r == 0 ? "" : ", ").append("{\"text\": \"Answer ").append(r).append(" to ").append(i)
                        .append(" with some words of explanation.\"}");
            }
            lines.add(sb.append("]}").toString());
        }
        Files.write(data, lines);
        try (StandInServer server = StandInServer.start().latency(latency);
             RunStore store = RunStore.create(dir.resolve("run-" + run + ".duckdb"))) {
            Ingest.run(List.of(data), IngestOptions.defaults(), store, Progress.Factory.NONE);
            LikelihoodScorer scorer = new LikelihoodScorer(ScoringFixtures.client(server.baseUrl(), null,
                    Duration.ofSeconds(30)), new LikelihoodScorer.LikelihoodSettings("lm", LikelihoodTemplate.CHATML, 1,
                    Pricing.UNKNOWN));
            long start = System.nanoTime();
            ScoringReport r = new ScoringJob(store, scorer, "likelihood",
                    new ScoringOptions(concurrency, false, Double.NaN, false), Progress.Factory.NONE).run();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (r.scored() != instructions * 4L) {
                throw new AssertionError("scored " + r.scored() + " of " + instructions * 4);
            }
            return seconds;
        }
    }
}
