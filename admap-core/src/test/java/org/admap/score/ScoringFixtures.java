package org.admap.score;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.admap.Progress;
import org.admap.RealData;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.score.http.RateLimiter;
import org.admap.internal.score.http.RetryPolicy;
import org.admap.internal.store.RunStore;
import org.admap.score.judge.JudgeScorer;
import org.admap.score.judge.Rubric;

/** Builds run stores and scorers against the stand-in server for the scoring tests. */
public final class ScoringFixtures {

    private ScoringFixtures() {
    }

    /** A run store holding the example data (50 instructions x 4 responses). */
    public static RunStore demoStore(Path dir) throws IOException {
        RunStore store = RunStore.create(dir.resolve("run.duckdb"));
        Ingest.run(List.of(RealData.demo()), IngestOptions.defaults(), store, Progress.Factory.NONE);
        return store;
    }

    /** A client with quick retries, for tests. */
    public static ApiClient client(String baseUrl, String key, Duration timeout) {
        return new ApiClient(new ApiClient.ApiSettings(URI.create(baseUrl), key, timeout,
                new RetryPolicy(8, Duration.ofMillis(10), Duration.ofMillis(200)), RateLimiter.unlimited(), null));
    }

    public static JudgeScorer judge(ApiClient client, boolean allPerCall, boolean aspects) {
        return new JudgeScorer(client, new JudgeScorer.JudgeSettings("gpt-4o-2024-11-20", allPerCall, aspects,
                Rubric.admap(), 0.0, 1234, 300, Pricing.forModel("gpt-4o-2024-11-20")));
    }

    public static ScoringOptions options(int concurrency) {
        return new ScoringOptions(concurrency, false, Double.NaN, false);
    }
}
