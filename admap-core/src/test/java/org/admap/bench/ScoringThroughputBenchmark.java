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
import org.admap.score.ScoringFixtures;
import org.admap.score.ScoringOptions;
import org.admap.score.ScoringReport;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoring throughput against the local stand-in judge at several latencies and
 * concurrencies, and the prompt tokens per score of {@code --per-call one} against
 * {@code all}. Prints a table; asserts nothing about time. Not part of the test suite (the
 * name does not match surefire's patterns); run it with
 * {@code mvn -pl admap-core test -Dtest=ScoringThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ScoringThroughputBenchmark {

    @TempDir
    Path dir;

    @Test
    void throughputAndTokens() throws Exception {
        System.out.println("scoring throughput against the stand-in judge (generated instructions x 4 responses)");
        System.out.printf(Locale.ROOT, "%10s %12s %10s %10s %12s %14s%n", "latency", "concurrency", "responses",
                "seconds", "scores/s", "ideal N/lat");
        int run = 0;
        for (long latency : new long[] {50, 200, 500}) {
            for (int concurrency : new int[] {1, 16, 64}) {
                int responses = (int) Math.max(64, Math.min(4_000, 20 * concurrency * 1000 / latency));
                if (concurrency == 1) {
                    responses = (int) Math.min(responses, 8_000 / latency);
                }
                double seconds = measure(latency, concurrency, responses / 4, run++);
                double ideal = concurrency * 1000.0 / latency;
                System.out.printf(Locale.ROOT, "%8d ms %12d %10d %10.2f %12.1f %14.1f%n", latency, concurrency,
                        responses / 4 * 4, seconds, responses / 4 * 4 / seconds, ideal);
            }
        }
        tokens();
    }

    private double measure(long latency, int concurrency, int instructions, int run) throws Exception {
        Path data = dir.resolve("data-" + run + ".jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < instructions; i++) {
            StringBuilder sb = new StringBuilder("{\"id\": \"b" + i + "\", \"prompt\": \"Question " + i + " of run "
                    + run
                    + "?\", \"responses\": [");
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
            long start = System.nanoTime();
            ScoringReport r = new ScoringJob(store, ScoringFixtures.judge(
                    ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(30)), false, false), "judge",
                    new ScoringOptions(concurrency, false, Double.NaN, false), Progress.Factory.NONE).run();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (r.scored() != instructions * 4L) {
                throw new AssertionError("scored " + r.scored() + " of " + instructions * 4);
            }
            return seconds;
        }
    }

    private void tokens() throws Exception {
        Path demo = org.admap.RealData.demo();
        long[] tokens = new long[2];
        for (int mode = 0; mode < 2; mode++) {
            try (StandInServer server = StandInServer.start();
                 RunStore store = RunStore.create(dir.resolve("tokens-" + mode + ".duckdb"))) {
                Ingest.run(List.of(demo), IngestOptions.defaults(), store, Progress.Factory.NONE);
                ScoringReport r = new ScoringJob(store, ScoringFixtures.judge(
                        ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(30)), mode == 1, false),
                        "judge", new ScoringOptions(8, false, Double.NaN, false), Progress.Factory.NONE).run();
                tokens[mode] = r.usage().tokensIn();
            }
        }
        System.out.printf(Locale.ROOT, "prompt tokens per score on examples/demo.jsonl (200 responses): per-call one"
                + " %.0f, per-call all %.0f (%.0f%% fewer)%n", tokens[0] / 200.0, tokens[1] / 200.0,
                100.0 * (tokens[0] - tokens[1]) / tokens[0]);
    }
}
