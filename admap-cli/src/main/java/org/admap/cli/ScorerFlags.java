package org.admap.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.admap.embed.LocalEmbedder;
import org.admap.embed.LocalModel;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.score.http.RateLimiter;
import org.admap.internal.score.http.RetryPolicy;
import org.admap.internal.store.ReferenceAnswers;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreCalibration;
import org.admap.score.CalibratedScorer;
import org.admap.score.Pricing;
import org.admap.score.Scorer;
import org.admap.score.ScoringOptions;
import org.admap.score.judge.JudgeScorer;
import org.admap.score.judge.Rubric;
import org.admap.score.likelihood.LikelihoodScorer;
import org.admap.score.likelihood.LikelihoodTemplate;
import org.admap.score.reference.Embedder;
import org.admap.score.reference.OpenAiEmbedder;
import org.admap.score.reference.ReferencePrompt;
import org.admap.score.reference.ReferenceScorer;
import org.admap.score.reward.RewardScorer;
import picocli.CommandLine.Option;

/** The options that choose and configure a scorer, shared by {@code score} and {@code run}. */
final class ScorerFlags {

    static final String OPENAI = "https://api.openai.com/v1";

    @Option(names = "--scorer", paramLabel = "KIND", required = true,
            description = "judge (LLM-as-a-judge), reward (a served reward model), reference"
                    + " (similarity to a reference answer) or likelihood (exp of the mean token log-probability of"
                    + " the response under a served language model: the paper's sft/dpo scores).")
    String kind;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The score source to write (default: the scorer kind). Each name keeps one"
                    + " configuration; score again with other options under another name.")
    String name;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "The server: an OpenAI-compatible base URL (default " + OPENAI + " for judge and"
                    + " reference; e.g. http://localhost:8000/v1 for vLLM, http://localhost:11434/v1 for Ollama),"
                    + " or the reward server's root.")
    String baseUrl;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "The judge, reward or language model (judge default: " + JudgeScorer.DEFAULT_MODEL
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

    @Option(names = "--max-retry-wait", paramLabel = "SECONDS", defaultValue = "600",
            description = "The longest wait a rate-limited server may ask for (Retry-After, retry-after-ms,"
                    + " x-ratelimit-reset-*; default ${DEFAULT-VALUE} s). The progress line shows the wait; a"
                    + " server asking for more fails the request at once instead of holding the run for hours.")
    double maxRetryWait;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Per attempt of a request, a deadline on the whole exchange: sending, the answer's"
                    + " headers and its whole body (default ${DEFAULT-VALUE} s).")
    double timeout;

    @Option(names = "--max-response-mb", paramLabel = "MB", defaultValue = "64",
            description = "The largest answer read from a server (default ${DEFAULT-VALUE} MB); a longer one is a"
                    + " failed score, read no further, so a broken or hostile server cannot fill the memory.")
    double maxResponseMb;

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

    @Option(names = "--temperature", paramLabel = "T",
            description = "judge: sampling temperature (default 0, or 1.0 with --samples above 1, so that the"
                    + " samples differ).")
    Double temperature;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1234",
            description = "judge: the seed sent where the server supports one (default ${DEFAULT-VALUE}).")
    int seed;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "judge: answer length limit per response (default 300 with --rationale full, 60 short,"
                    + " 16 none).")
    Integer maxTokens;

    @Option(names = "--logprobs", paramLabel = "MODE", defaultValue = "off", arity = "0..1", fallbackValue = "on",
            description = "judge: on: the score is the expected value over the judge's log-probabilities of the"
                    + " score token (asks logprobs: true, top_logprobs: 20), and its spread is stored as the score's"
                    + " uncertainty; a server that returns none stops the run at its first answer. auto: the same,"
                    + " falling back to the written score where there are none (recorded per score). off: the"
                    + " written score (default). See docs/scoring-trust.md.")
    String logprobs;

    @Option(names = "--rationale", paramLabel = "LENGTH", defaultValue = "full",
            description = "judge: what the judge writes before its score: full (one or two sentences; default),"
                    + " short (a few words) or none (the score alone: the cheapest; see --dry-run).")
    String rationale;

    @Option(names = "--samples", paramLabel = "K", defaultValue = "1",
            description = "judge: judgments per response (default ${DEFAULT-VALUE}); each has its own seed and row,"
                    + " the score is their mean and its standard error is kept. Temperature 1.0 unless --temperature"
                    + " says otherwise.")
    int samples;

    @Option(names = "--calibrate", paramLabel = "F",
            description = "judge: judge every response once and all responses of a seeded share F of the instructions"
                    + " (0 < F <= 1; chosen by --seed) a second time, so that the map of one judgment per response"
                    + " can estimate its regions' stability (region_p) from the pairs' noise at a fraction F of the"
                    + " cost of --samples 2. Temperature 1.0 unless --temperature says otherwise. See docs/trust.md.")
    Double calibrate;

    @Option(names = "--orders", paramLabel = "N", defaultValue = "1",
            description = "judge, --per-call all: 2 judges every instruction's responses in two opposite orders and"
                    + " averages them, so that the position they are shown in cancels out (twice the calls).")
    int orders;

    @Option(names = "--reward-api", paramLabel = "API", defaultValue = "vllm",
            description = "reward: vllm (vLLM's pooling API, POST /pooling; default) or tei (Hugging Face Text"
                    + " Embeddings Inference, POST /predict). Both are served at the server's root, so give"
                    + " --base-url as the root; a trailing /v1 is dropped.")
    String rewardApi;

    @Option(names = "--reward-label", paramLabel = "LABEL",
            description = "reward, tei: the label whose score is the reward, for a model with several labels.")
    String rewardLabel;

    @Option(names = "--likelihood-template", paramLabel = "NAME|FILE", defaultValue = "plain",
            description = "likelihood: how instruction and response become the text the model reads: plain"
                    + " (joined as they are, as the paper's code does; default), chatml, llama3 (the server adds the"
                    + " BOS token), or a file with {prompt} and then {response} at its end. Only the response's"
                    + " tokens are scored. See docs/scoring.md.")
    String likelihoodTemplate;

    @Option(names = "--likelihood-max-tokens", paramLabel = "N", defaultValue = "1",
            description = "likelihood: max_tokens of each completions request, 1 (default; some servers refuse 0) or 0."
                    + " A generated token is never scored.")
    int likelihoodMaxTokens;

    @Option(names = "--reference-model", paramLabel = "MODEL",
            description = "reference: the model that writes a reference answer for each instruction the data has"
                    + " none for, once, through chat completions at --base-url (default "
                    + ReferenceScorer.DEFAULT_WRITER + ", the paper's). Instructions with a 'reference' field use it"
                    + " and call nothing.")
    String referenceModel;

    @Option(names = "--reference-prompt", paramLabel = "PRESET", defaultValue = "admap",
            description = "reference: how missing references are written. admap (default): admap's own system"
                    + " prompt at temperature 0. paper: the authors' gpt-inference.py exactly: their system prompt,"
                    + " max_tokens 1024, model " + ReferencePrompt.PAPER_MODEL
                    + " (unless --reference-model says otherwise) and no temperature. Each preset's references are"
                    + " stored apart.")
    String referencePrompt;

    @Option(names = "--references", paramLabel = "FILE",
            description = "reference: take the reference answers from this file (JSON lines, JSON, CSV or"
                    + " Parquet; rows with 'reference' and the instruction's 'id' or 'prompt'), stored in the run"
                    + " before scoring. Instructions it does not cover keep the data's reference, or get one"
                    + " written by --reference-model.")
    java.nio.file.Path references;

    @Option(names = "--similarity", paramLabel = "KIND", defaultValue = "cosine",
            description = "reference: cosine (of sentence embeddings; default) or rouge-l (ROUGE-L F1 over words,"
                    + " computed here: no embedding server).")
    String similarity;

    @Option(names = "--embedding", paramLabel = "WHERE",
            description = "reference: local (the default: all-MiniLM-L6-v2 run in this process, no key, no"
                    + " server), local:NAME (all-minilm-l6-v2 or bge-small-en-v15-q), or api (an OpenAI-compatible"
                    + " /embeddings endpoint: --embedding-url, else --base-url; the default when --embedding-url"
                    + " is given). Each text is embedded once and kept in the run store.")
    String embedding;

    @Option(names = "--embedding-model", paramLabel = "MODEL", defaultValue = ReferenceScorer.DEFAULT_EMBEDDING_MODEL,
            description = "reference, --embedding api: the embedding model (default ${DEFAULT-VALUE}).")
    String embeddingModel;

    @Option(names = "--embedding-url", paramLabel = "URL",
            description = "reference: the base URL of a separate OpenAI-compatible /embeddings server (TEI,"
                    + " Ollama, vLLM, llama.cpp...); implies --embedding api. It gets the same API key.")
    String embeddingUrl;

    @Option(names = "--embedding-price", paramLabel = "USD",
            description = "reference: USD per million embedding tokens (default: known OpenAI prices, else 0).")
    Double embeddingPrice;

    @Option(names = "--price-in", paramLabel = "USD", description = "USD per million prompt tokens (default: known"
            + " OpenAI prices, else 0).")
    Double priceIn;

    @Option(names = "--price-out", paramLabel = "USD", description = "USD per million completion tokens.")
    Double priceOut;

    @Option(names = "--max-cost", paramLabel = "USD", description = "Stop cleanly before spending more than this in"
            + " this run; with --adaptive, on the source in all (what its stored scores cost counts, earlier runs"
            + " included).")
    Double maxCost;

    @Option(names = "--dry-run", description = "Count calls, tokens and cost; call nothing.")
    boolean dryRun;

    @Option(names = "--retry-failed", description = "Score again the responses whose earlier score failed.")
    boolean retryFailed;

    @Option(names = "--reuse-across-endpoints",
            description = "Copy a stored score of the same model and options made at another server (another"
                    + " --base-url) instead of calling again, and let a source go on at another server: for one"
                    + " model behind OpenAI, Azure or a proxy. Without it, only scores made at the same server are"
                    + " reused, since two servers naming one model may serve different weights.")
    boolean reuseAcrossEndpoints;

    /** The endpoints the last scorer built calls, one line each ({@code judge: MODEL at URL}), for printing. */
    private final java.util.List<String> endpoints = new java.util.ArrayList<>();

    String source() {
        return name != null ? name : kind.toLowerCase(Locale.ROOT);
    }

    ScoringOptions scoringOptions() {
        return new ScoringOptions(concurrency, retryFailed, maxCost == null ? Double.NaN : maxCost, dryRun,
                reuseAcrossEndpoints);
    }

    /** --base-url, or OpenAI's when none is given. */
    String baseUrl() {
        return baseUrl != null ? baseUrl : OPENAI;
    }

    /**
     * What the scorer built last calls, one line each ({@code judge: gpt-4o at https://...}),
     * so that a user sees every server before the first call. A URL is shown as its
     * {@linkplain org.admap.score.Endpoint#key key}: never a user name or password it carries.
     */
    java.util.List<String> endpoints() {
        return java.util.List.copyOf(endpoints);
    }

    private void endpoint(String role, String model, String url) {
        endpoints.add(role + ": " + model + " at " + org.admap.score.Endpoint.key(url));
    }

    /**
     * Builds the scorer the flags describe, for a run store (the reference scorer keeps its
     * references and embeddings there). --price-in and --price-out price the judge, the reward
     * model, or the reference writer.
     */
    Scorer scorer(RunStore store) throws Exception {
        String k = kind.toLowerCase(Locale.ROOT);
        endpoints.clear();
        checkCalibrate();
        return switch (k) {
            case "judge" -> calibrated(judge());
            case "reward" -> reward();
            case "reference" -> reference(store);
            case "likelihood" -> likelihood();
            default -> throw new UserException("unknown --scorer '" + kind + "': expected judge, reward, reference or"
                    + " likelihood");
        };
    }

    /** The judge, judging a share twice where --calibrate asks for it. */
    Scorer calibrated(JudgeScorer judge) {
        return calibrate == null ? judge : new CalibratedScorer(judge, new ScoreCalibration(calibrate, seed));
    }

    private void checkCalibrate() {
        if (calibrate == null) {
            return;
        }
        if (!kind.equalsIgnoreCase("judge")) {
            throw new UserException("--calibrate works with --scorer judge only: it measures the noise of a"
                    + " sampled judgment, and the other scorers give the same score every time");
        }
        if (!(calibrate > 0 && calibrate <= 1)) {
            throw new UserException("--calibrate F is the share of the instructions judged twice, more than 0 and"
                    + " at most 1; got " + calibrate);
        }
        if (samples > 1) {
            throw new UserException("--calibrate with --samples " + samples + ": --samples already judges every"
                    + " response " + samples + " times, which gives each response its own standard error;"
                    + " --calibrate is for a map of one judgment per response (drop one of them)");
        }
        if (orders > 1) {
            throw new UserException("--calibrate with --orders 2: the two orders are stored as the two samples of"
                    + " every response, so there is no single judgment to calibrate (drop one of them)");
        }
    }

    private RewardScorer reward() {
        if (model == null || model.isBlank()) {
            throw new UserException("--scorer reward needs --model: the reward model's name as its server knows it");
        }
        URI root = RewardScorer.serverRoot(uri("--base-url", baseUrl()));
        if (ApiClient.isOpenAi(root)) {
            throw new UserException("--scorer reward needs --base-url: the root of your vLLM or TEI server, e.g."
                    + " http://localhost:8000");
        }
        RewardScorer.Api api = RewardScorer.Api.parse(rewardApi);
        endpoint("reward model", model, root.toString());
        return new RewardScorer(client(root.toString()), new RewardScorer.RewardSettings(model, api, rewardLabel,
                Pricing.of(model, priceIn, priceOut)));
    }

    private LikelihoodScorer likelihood() {
        if (model == null || model.isBlank()) {
            throw new UserException("--scorer likelihood needs --model: the language model's name as its server knows"
                    + " it (the paper's: 01choco/LLaMA-UltraFeedback-SFT-3-Full)");
        }
        if (baseUrl == null) {
            throw new UserException("--scorer likelihood needs --base-url: a server of legacy completions with echo"
                    + " and logprobs, such as vLLM (http://localhost:8000/v1); OpenAI's current models serve none");
        }
        try {
            LikelihoodScorer.LikelihoodSettings settings = new LikelihoodScorer.LikelihoodSettings(model,
                    LikelihoodTemplate.parse(likelihoodTemplate), likelihoodMaxTokens, Pricing.of(model, priceIn,
                    priceOut));
            endpoint("language model", model, baseUrl());
            return new LikelihoodScorer(client(baseUrl()), settings);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }

    private ReferenceScorer reference(RunStore store) {
        ReferenceScorer.Similarity sim = ReferenceScorer.Similarity.parse(similarity);
        ReferencePrompt preset;
        try {
            preset = ReferencePrompt.parse(referencePrompt);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        String writerModel = referenceModel != null ? referenceModel : preset.defaultWriter();
        int maxTokens = preset.maxTokens();
        ReferenceScorer.ReferenceSettings settings = new ReferenceScorer.ReferenceSettings(sim, writerModel,
                Pricing.of(writerModel, priceIn, priceOut), maxTokens, 0, true, preset);
        // The writer is needed only for instructions that came without a reference.
        long missing = ReferenceAnswers.itemsWithoutReference(store);
        ApiClient writer = null;
        if (missing > 0) {
            if (baseUrl == null && referenceModel == null && embeddingUrl != null) {
                // The user pointed the embeddings at a server: never send prompts (and the key) to OpenAI unasked.
                throw new UserException(String.format(Locale.ROOT, "%,d instructions have no reference answer and"
                        + " --embedding-url points at %s, but no server to write them was given: add --base-url URL"
                        + " (the chat server that writes them), or --reference-model MODEL to have them written at"
                        + " %s", missing, org.admap.score.Endpoint.key(embeddingUrl), OPENAI));
            }
            if (!dryRun && ApiClient.keyFromEnvironment(apiKeyEnv) == null
                    && ApiClient.isOpenAi(uri("--base-url", baseUrl()))) {
                throw new UserException(String.format(Locale.ROOT, "%,d instructions have no reference answer in the"
                        + " data: set %s (or name another variable with --api-key-env) so that %s can write them,"
                        + " or give --base-url a server that serves it", missing, apiKeyEnv, writerModel));
            }
            writer = client(baseUrl());
            endpoint("reference writer", writerModel, baseUrl());
        }
        Embedder embedder = null;
        String where = embedding != null ? embedding.trim().toLowerCase(Locale.ROOT)
                : embeddingUrl != null ? "api" : "local";
        if (sim == ReferenceScorer.Similarity.COSINE && where.startsWith("local")) {
            LocalModel m = where.equals("local") ? LocalModel.DEFAULT
                    : LocalModel.parse(where.substring(where.indexOf(':') + 1));
            embedder = new LocalEmbedder(m, Runtime.getRuntime().availableProcessors());
            endpoints.add("embedding: " + embedder.model() + " in this process");
        } else if (sim == ReferenceScorer.Similarity.COSINE && !where.equals("api")) {
            throw new UserException("--embedding must be local, local:NAME or api, got '" + embedding + "'");
        } else if (sim == ReferenceScorer.Similarity.COSINE) {
            String url = embeddingUrl != null ? embeddingUrl : baseUrl();
            Pricing price = embeddingPrice != null ? new Pricing(embeddingPrice, 0, true)
                    : Pricing.forModel(embeddingModel);
            embedder = new OpenAiEmbedder(client(embeddingUrl != null ? "--embedding-url" : "--base-url", url),
                    embeddingModel, price);
            endpoint("embedding", embeddingModel, url);
        }
        return new ReferenceScorer(settings, writer, embedder, store);
    }

    /** With {@code --adaptive}: the most samples a response may get, so that the default temperature is 1.0. */
    int samplesPlanned;

    /**
     * The scorer the flags describe, but giving each response {@code k} judgments (a round of
     * {@code --adaptive}); the temperature and the configuration stay those of the whole run.
     */
    Scorer scorerWithSamples(RunStore store, int k) throws Exception {
        int given = samples;
        try {
            samples = k;
            return scorer(store);
        } finally {
            samples = given;
        }
    }

    /** Whether the flags describe the LLM judge. */
    boolean isJudge() {
        return kind.equalsIgnoreCase("judge");
    }

    /**
     * The judge these flags describe, but writing {@code why} before its score, for pricing
     * each choice in a dry run ({@code --max-tokens} left to each choice's default unless given).
     */
    JudgeScorer judgeWith(JudgeScorer.Rationale why) throws Exception {
        String given = rationale;
        try {
            rationale = why.cliName();
            return judge();
        } finally {
            rationale = given;
        }
    }

    /** The judge's cost-relevant choices, for the summary: {@code --rationale full, --logprobs off}. */
    String judgeChoices() {
        return "--per-call " + perCall + ", --rationale " + rationale + ", --logprobs " + logprobs
                + (samples > 1 ? ", --samples " + samples : "") + (orders > 1 ? ", --orders " + orders : "")
                + (calibrate != null ? ", --calibrate " + calibrate : "");
    }

    private JudgeScorer judge() throws Exception {
        String m = model != null ? model : JudgeScorer.DEFAULT_MODEL;
        boolean all = switch (perCall.toLowerCase(Locale.ROOT)) {
            case "one" -> false;
            case "all" -> true;
            default -> throw new UserException("--per-call must be one or all, got '" + perCall + "'");
        };
        try {
            JudgeScorer.Rationale why = JudgeScorer.Rationale.parse(rationale);
            JudgeScorer.Logprobs weighted = JudgeScorer.Logprobs.parse(logprobs);
            Rubric r = (rubric != null ? Rubric.fromFile(rubric) : Rubric.admap()).withRationale(why);
            double t = temperature != null ? temperature
                    : Math.max(samples, samplesPlanned) > 1 || calibrate != null ? 1.0 : 0.0;
            int limit = maxTokens != null ? maxTokens : why.defaultMaxTokens();
            if (limit < 1) {
                throw new UserException("--max-tokens must be 1 or more, got " + limit);
            }
            endpoint("judge", m, baseUrl());
            return new JudgeScorer(client(baseUrl()), new JudgeScorer.JudgeSettings(m, all, aspects, r, t, seed, limit,
                    Pricing.of(m, priceIn, priceOut), weighted, why, samples, orders));
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }

    private static URI uri(String option, String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UserException(option + " '" + url + "' is not a URL such as http://localhost:8000/v1");
        }
    }

    /** A client for the base URL of --base-url, with the key from the environment. */
    ApiClient client(String url) {
        return client("--base-url", url);
    }

    /** A client for a base URL given by {@code option}, with the key from the environment. */
    ApiClient client(String option, String url) {
        URI uri = uri(option, url);
        String key = ApiClient.keyFromEnvironment(apiKeyEnv);
        if (key == null && ApiClient.isOpenAi(uri) && !dryRun) {
            throw new UserException("no API key: set " + apiKeyEnv + " (or name another variable with"
                    + " --api-key-env) to call " + uri.getHost());
        }
        if (!(maxRetryWait >= 0) || maxRetryWait > 86_400 * 365) {
            throw new UserException("--max-retry-wait must be from 0 to a year of seconds, got " + maxRetryWait);
        }
        RetryPolicy retry = new RetryPolicy(maxRetries, Duration.ofMillis((long) (retryDelay * 1000)),
                Duration.ofSeconds(60), Duration.ofMillis((long) (maxRetryWait * 1000)));
        if (!(maxResponseMb > 0) || maxResponseMb * (1 << 20) > ApiClient.MAX_BODY_LIMIT) {
            throw new UserException("--max-response-mb must be more than 0 and at most "
                    + (ApiClient.MAX_BODY_LIMIT >> 20) + ", got " + maxResponseMb);
        }
        return new ApiClient(new ApiClient.ApiSettings(uri, key, Duration.ofMillis((long) (timeout * 1000)), retry,
                new RateLimiter(rpm, tpm), null, (long) (maxResponseMb * (1 << 20))));
    }
}
