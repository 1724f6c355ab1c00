package org.admap.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.admap.score.Pricing;
import org.admap.score.Scorer;
import org.admap.score.ScoringOptions;
import org.admap.score.http.ApiClient;
import org.admap.score.http.RateLimiter;
import org.admap.score.http.RetryPolicy;
import org.admap.score.judge.JudgeScorer;
import org.admap.score.judge.Rubric;
import picocli.CommandLine.Option;

/** The options that choose and configure a scorer, shared by {@code score} and {@code run}. */
final class ScorerFlags {

    static final String OPENAI = "https://api.openai.com/v1";

    @Option(names = "--scorer", paramLabel = "KIND", required = true,
            description = "judge (LLM-as-a-judge), reward (a served reward model) or reference"
                    + " (similarity to a reference answer).")
    String kind;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The score source to write (default: the scorer kind). Each name keeps one"
                    + " configuration; score again with other options under another name.")
    String name;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "The server: an OpenAI-compatible base URL (default ${DEFAULT-VALUE} for judge and"
                    + " reference; e.g. http://localhost:8000/v1 for vLLM, http://localhost:11434/v1 for Ollama),"
                    + " or the reward server's root.", defaultValue = OPENAI)
    String baseUrl;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "The judge or reward model (judge default: " + JudgeScorer.DEFAULT_MODEL
                    + ", the paper's judge).")
    String model;

    @Option(names = "--api-key-env", paramLabel = "VAR", defaultValue = "OPENAI_API_KEY",
            description = "The environment variable holding the API key (default ${DEFAULT-VALUE}). The key is"
                    + " never printed, logged or stored.")
    String apiKeyEnv;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16",
            description = "Requests in flight at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--rpm", paramLabel = "N", defaultValue = "0", description = "Requests per minute limit (0: none).")
    double rpm;

    @Option(names = "--tpm", paramLabel = "N", defaultValue = "0", description = "Tokens per minute limit (0: none).")
    double tpm;

    @Option(names = "--max-retries", paramLabel = "N", defaultValue = "6",
            description = "Retries of a request after 429, 5xx or a timeout (default ${DEFAULT-VALUE}).")
    int maxRetries;

    @Option(names = "--retry-delay", paramLabel = "SECONDS", defaultValue = "1",
            description = "The first backoff delay, doubled at each retry (default ${DEFAULT-VALUE} s).")
    double retryDelay;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Per request (default ${DEFAULT-VALUE} s).")
    double timeout;

    @Option(names = "--per-call", paramLabel = "MODE", defaultValue = "one",
            description = "judge: one response per call (default), or all responses of an instruction in one"
                    + " call (fewer tokens; order shuffled and recorded).")
    String perCall;

    @Option(names = "--aspects", description = "judge: rate helpfulness, honesty, instruction following and"
            + " truthfulness separately (stored as NAME.helpfulness ...); the score is their mean.")
    boolean aspects;

    @Option(names = "--rubric", paramLabel = "FILE",
            description = "judge: your own prompt template with {instruction} and {response} (or {responses}).")
    Path rubric;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0", description = "judge: sampling temperature.")
    double temperature;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1234",
            description = "judge: the seed sent where the server supports one (default ${DEFAULT-VALUE}).")
    int seed;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "300",
            description = "judge: answer length limit per response (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--price-in", paramLabel = "USD", description = "USD per million prompt tokens (default: known"
            + " OpenAI prices, else 0).")
    Double priceIn;

    @Option(names = "--price-out", paramLabel = "USD", description = "USD per million completion tokens.")
    Double priceOut;

    @Option(names = "--max-cost", paramLabel = "USD", description = "Stop cleanly before spending more than this.")
    Double maxCost;

    @Option(names = "--dry-run", description = "Count calls, tokens and cost; call nothing.")
    boolean dryRun;

    @Option(names = "--retry-failed", description = "Score again the responses whose earlier score failed.")
    boolean retryFailed;

    String source() {
        return name != null ? name : kind.toLowerCase(Locale.ROOT);
    }

    ScoringOptions scoringOptions() {
        return new ScoringOptions(concurrency, retryFailed, maxCost == null ? Double.NaN : maxCost, dryRun);
    }

    /** Builds the scorer the flags describe. */
    Scorer scorer() throws Exception {
        String k = kind.toLowerCase(Locale.ROOT);
        return switch (k) {
            case "judge" -> judge();
            case "reward", "reference" -> throw new UserException("the " + k + " scorer is not built yet"
                    + " (see the README's status section)");
            default -> throw new UserException("unknown --scorer '" + kind + "': expected judge, reward or reference");
        };
    }

    private JudgeScorer judge() throws Exception {
        String m = model != null ? model : JudgeScorer.DEFAULT_MODEL;
        boolean all = switch (perCall.toLowerCase(Locale.ROOT)) {
            case "one" -> false;
            case "all" -> true;
            default -> throw new UserException("--per-call must be one or all, got '" + perCall + "'");
        };
        Rubric r = rubric != null ? Rubric.fromFile(rubric) : Rubric.admap();
        return new JudgeScorer(client(baseUrl), new JudgeScorer.Settings(m, all, aspects, r, temperature, seed,
                maxTokens, Pricing.of(m, priceIn, priceOut)));
    }

    /** A client for a base URL, with the key from the environment. */
    ApiClient client(String url) {
        URI uri;
        try {
            uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new UserException("--base-url '" + url + "' is not a URL such as http://localhost:8000/v1");
        }
        String key = ApiClient.keyFromEnvironment(apiKeyEnv);
        if (key == null && ApiClient.isOpenAi(uri) && !dryRun) {
            throw new UserException("no API key: set " + apiKeyEnv + " (or name another variable with"
                    + " --api-key-env) to call " + uri.getHost());
        }
        RetryPolicy retry = new RetryPolicy(maxRetries, Duration.ofMillis((long) (retryDelay * 1000)),
                Duration.ofSeconds(60));
        return new ApiClient(new ApiClient.Settings(uri, key, Duration.ofMillis((long) (timeout * 1000)), retry,
                new RateLimiter(rpm, tpm), null));
    }
}
