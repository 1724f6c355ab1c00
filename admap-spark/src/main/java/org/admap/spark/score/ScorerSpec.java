package org.admap.spark.score;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.score.http.RateLimiter;
import org.admap.internal.score.http.RetryPolicy;
import org.admap.score.Pricing;
import org.admap.score.Scorer;
import org.admap.score.judge.JudgeScorer;
import org.admap.score.judge.Rubric;
import org.admap.score.reward.RewardScorer;

/**
 * A scorer as a recipe that travels to the executors, where each task builds the core's
 * {@link JudgeScorer} or {@link RewardScorer} from it, with its own HTTP client and the
 * executor's share of the global rate limit. The API key never travels: each executor reads
 * it from its environment ({@code spark.executorEnv.NAME}), as the single machine does.
 *
 * <p>Only scorers that score one response per call are distributed: the judge with admap's
 * rubric ({@code --per-call one}) and the reward model. Whole-instruction scorers (the judge's
 * {@code --per-call all}, reference scoring, which writes and caches references) are not.
 *
 * @param kind              {@code judge} or {@code reward}
 * @param name              the score source's name (the single machine's {@code --name})
 * @param baseUrl           the server ({@code https://api.openai.com/v1}, {@code http://vllm:8000/v1})
 * @param model             the model; null for the judge's default ({@value JudgeScorer#DEFAULT_MODEL})
 * @param rewardApi         {@code vllm} or {@code tei} (reward only)
 * @param apiKeyEnv         the environment variable holding the key, e.g. {@code OPENAI_API_KEY}
 * @param requestsPerMinute the global request limit over all executors, 0 for none
 * @param tokensPerMinute   the global token limit over all executors, 0 for none
 * @param concurrency       calls in flight per task
 * @param maxRetries        retries of a failed call (429, 5xx, timeouts)
 * @param timeoutSeconds    per attempt
 */
public record ScorerSpec(String kind, String name, String baseUrl, String model, String rewardApi, String apiKeyEnv,
                         double requestsPerMinute, double tokensPerMinute, int concurrency, int maxRetries,
                         double timeoutSeconds) implements Serializable {

    public ScorerSpec {
        kind = Objects.requireNonNull(kind, "kind").toLowerCase(Locale.ROOT);
        if (!kind.equals("judge") && !kind.equals("reward")) {
            throw new IllegalArgumentException("a Spark job scores with 'judge' or 'reward', got '" + kind + "'");
        }
        name = name == null ? kind : name;
        if (name.equals("input") || name.equals("labels") || name.equals("auto")) {
            throw new IllegalArgumentException("'" + name + "' names the data's own numbers: choose another --name");
        }
        if (baseUrl == null || URI.create(baseUrl).getHost() == null) {
            throw new IllegalArgumentException("--base-url '" + baseUrl + "' is not a URL such as http://localhost:8000/v1");
        }
        if (kind.equals("reward") && (model == null || model.isBlank())) {
            throw new IllegalArgumentException("the reward scorer needs --model: the reward model's name");
        }
        rewardApi = rewardApi == null ? "vllm" : rewardApi;
        RewardScorer.Api.parse(rewardApi);
        if (requestsPerMinute < 0 || tokensPerMinute < 0) {
            throw new IllegalArgumentException("rate limits must not be negative");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1, got " + concurrency);
        }
        if (maxRetries < 0 || !(timeoutSeconds > 0)) {
            throw new IllegalArgumentException("--max-retries must be >= 0 and --timeout > 0");
        }
    }

    /**
     * The per-executor share of the global limits: every executor paces its calls to
     * {@code 1/executors} of them, so together they stay under the limit however the tasks
     * are spread. A server's 429 still pauses the executor that got it.
     */
    public RateLimiter executorLimiter(int executors) {
        if (executors < 1) {
            throw new IllegalArgumentException("executors must be at least 1, got " + executors);
        }
        return new RateLimiter(requestsPerMinute / executors, tokensPerMinute / executors);
    }

    /** Builds the core scorer with a client of its own that paces through {@code limiter}. */
    public Scorer create(RateLimiter limiter) {
        String key = apiKeyEnv == null ? null : ApiClient.keyFromEnvironment(apiKeyEnv);
        URI uri = URI.create(baseUrl);
        RetryPolicy retry = new RetryPolicy(maxRetries, RetryPolicy.defaults().initialDelay(),
                RetryPolicy.defaults().maxDelay());
        Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
        if (kind.equals("reward")) {
            ApiClient client = new ApiClient(new ApiClient.ApiSettings(RewardScorer.serverRoot(uri), key, timeout,
                    retry, limiter, null));
            return new RewardScorer(client, new RewardScorer.RewardSettings(model, RewardScorer.Api.parse(rewardApi),
                    null, Pricing.of(model, null, null)));
        }
        String m = model == null ? JudgeScorer.DEFAULT_MODEL : model;
        ApiClient client = new ApiClient(new ApiClient.ApiSettings(uri, key, timeout, retry, limiter, null));
        return new JudgeScorer(client, new JudgeScorer.JudgeSettings(m, false, false, Rubric.admap(), 0, 1234, 300,
                Pricing.of(m, null, null)));
    }
}
