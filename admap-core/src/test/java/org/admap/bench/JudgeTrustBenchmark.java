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
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.store.RunStore;
import org.admap.score.Pricing;
import org.admap.score.ScoringFixtures;
import org.admap.score.ScoringOptions;
import org.admap.score.ScoringReport;
import org.admap.score.judge.JudgeScorer;
import org.admap.score.judge.Rubric;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judge's trust options against the stand-in (docs/scoring-cost.md): measured tokens and
 * price of every combination of {@code --per-call}, {@code --rationale} and {@code --logprobs}
 * on the example data (Batch API = half the live price for the same tokens), and the
 * throughput of {@code --samples 3} and {@code --logprobs} at 200 ms latency against the
 * ideal concurrency / latency. Prints tables; asserts nothing about time. Not part of the
 * test suite; run it with
 * {@code mvn -pl admap-core test -Dtest=JudgeTrustBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class JudgeTrustBenchmark {

    private static final String MODEL = "gpt-4o-2024-11-20";

    @TempDir
    Path dir;

    private int run;

    private static JudgeScorer judge(ApiClient client, boolean all, JudgeScorer.Rationale why,
                                     JudgeScorer.Logprobs logprobs, int samples) {
        return new JudgeScorer(client, new JudgeScorer.JudgeSettings(MODEL, all, false,
                Rubric.admap().withRationale(why),
                samples > 1 ? 1.0 : 0.0, 1234, why.defaultMaxTokens(), Pricing.forModel(MODEL), logprobs, why,
                samples, 1));
    }

    @Test
    void tokensPriceAndThroughput() throws Exception {
        tokens();
        throughput();
    }

    private void tokens() throws Exception {
        System.out.println("measured tokens against the stand-in on examples/demo.jsonl (200 responses; full"
                + " rationales padded to 600 characters, about 150 tokens, as on AlpacaEval)");
        System.out.printf(Locale.ROOT, "%-9s %-9s %-9s %10s %10s %10s %8s %10s %8s%n", "per-call", "rationale",
                "logprobs", "tokens in", "tokens out", "live $", "live %", "batch $", "batch %");
        double base = Double.NaN;
        for (boolean all : new boolean[] {false, true}) {
            for (JudgeScorer.Rationale why : JudgeScorer.Rationale.values()) {
                for (JudgeScorer.Logprobs lp : new JudgeScorer.Logprobs[] {JudgeScorer.Logprobs.OFF,
                        JudgeScorer.Logprobs.ON}) {
                    try (StandInServer server = StandInServer.start().rationaleChars(600);
                         RunStore store = RunStore.create(dir.resolve("tokens-" + run++ + ".duckdb"))) {
                        Ingest.run(List.of(org.admap.RealData.demo()), IngestOptions.defaults(), store,
                                Progress.Factory.NONE);
                        ApiClient client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(30));
                        ScoringReport r = new ScoringJob(store, judge(client, all, why, lp, 1), "judge",
                                new ScoringOptions(8, false, Double.NaN, false), Progress.Factory.NONE).run();
                        if (r.scored() != 200) {
                            throw new AssertionError("scored " + r.scored() + ": " + store.scoreErrors("judge", 3));
                        }
                        double cost = r.usage().costUsd();
                        if (Double.isNaN(base)) {
                            base = cost;
                        }
                        System.out.printf(Locale.ROOT, "%-9s %-9s %-9s %,10d %,10d %10.4f %7.1f%% %10.4f %7.1f%%%n",
                                all ? "all" : "one", why.cliName(), lp.name().toLowerCase(Locale.ROOT),
                                r.usage().tokensIn(), r.usage().tokensOut(), cost, 100 * cost / base, cost / 2,
                                50 * cost / base);
                    }
                }
            }
        }
    }

    private void throughput() throws Exception {
        System.out.println("throughput at 200 ms latency (generated instructions x 4 responses)");
        System.out.printf(Locale.ROOT, "%-22s %12s %10s %10s %12s %12s %8s%n", "judge", "concurrency", "judgments",
                "seconds", "judgments/s", "ideal N/lat", "of ideal");
        for (int concurrency : new int[] {16, 64}) {
            for (String mode : List.of("plain", "--samples 3", "--logprobs on", "--samples 3 --logprobs on")) {
                int samples = mode.contains("samples") ? 3 : 1;
                JudgeScorer.Logprobs lp = mode.contains("logprobs") ? JudgeScorer.Logprobs.ON
                        : JudgeScorer.Logprobs.OFF;
                int judgments = 20 * concurrency * 1000 / 200;
                int instructions = judgments / 4 / samples;
                double seconds = measure(concurrency, instructions, samples, lp);
                long n = (long) instructions * 4 * samples;
                double ideal = concurrency * 1000.0 / 200;
                System.out.printf(Locale.ROOT, "%-22s %12d %10d %10.2f %12.1f %12.1f %7.1f%%%n", mode, concurrency, n,
                        seconds, n / seconds, ideal, 100 * n / seconds / ideal);
            }
        }
    }

    private double measure(int concurrency, int instructions, int samples, JudgeScorer.Logprobs lp)
            throws Exception {
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
        try (StandInServer server = StandInServer.start().latency(200).noisy(true);
             RunStore store = RunStore.create(dir.resolve("run-" + run++ + ".duckdb"))) {
            Ingest.run(List.of(data), IngestOptions.defaults(), store, Progress.Factory.NONE);
            ApiClient client = ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(30));
            long start = System.nanoTime();
            ScoringReport r = new ScoringJob(store, judge(client, false, JudgeScorer.Rationale.FULL, lp, samples),
                    "judge", new ScoringOptions(concurrency, false, Double.NaN, false), Progress.Factory.NONE).run();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (r.scored() != (long) instructions * 4 * samples) {
                throw new AssertionError("scored " + r.scored() + " of " + instructions * 4 * samples + ": "
                        + store.scoreErrors("judge", 3));
            }
            return seconds;
        }
    }
}
