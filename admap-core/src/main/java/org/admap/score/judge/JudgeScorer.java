package org.admap.score.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.score.http.ApiException;
import org.admap.internal.score.http.ApiResponse;
import org.admap.score.Pricing;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.ScorerConfig;
import org.admap.score.ScoringAbortedException;
import org.admap.score.Usage;
import org.admap.score.batch.BatchableScorer;

/**
 * LLM-as-a-judge over any OpenAI-compatible chat-completions endpoint.
 *
 * <p>One response per call, or all responses of an instruction in one call (the
 * UltraFeedback way: the instruction is sent once; the responses are shuffled, seeded by
 * the instruction, so position bias cannot line up with the data's order, and the order
 * shown is recorded with each score). Answers are requested as JSON through structured
 * outputs ({@code json_schema}); a server that refuses it gets {@code json_object}, then a
 * plain request with tolerant parsing. An answer that still does not parse is asked again
 * once, more strictly, and then recorded as a failed score with the raw text.
 *
 * <p>Through the Batch API ({@link BatchableScorer}) the judge sends the same request bodies
 * and reads the answers the same way, but cannot ask again: an answer that does not parse
 * is recorded as failed at once, and says so.
 */
public final class JudgeScorer implements BatchableScorer {

    /** Judge defaults: the paper's judge, deterministic decoding. */
    public static final String DEFAULT_MODEL = "gpt-4o-2024-11-20";

    /**
     * What the judge does.
     *
     * @param model       the judge model
     * @param allPerCall  whether one call rates all responses of an instruction
     * @param aspects     whether each aspect is rated separately (the score is their mean)
     * @param rubric      the prompt
     * @param temperature sampling temperature (0: deterministic as far as the server allows)
     * @param seed        the seed sent where supported, or null
     * @param maxTokens   the answer's token limit, per response
     * @param pricing     prices for cost accounting
     * @param logprobs    whether the score is the expected value over the judge's log-probabilities
     * @param rationale   how much the judge writes before its score (the rubric must already ask for it:
     *                    see {@link Rubric#withRationale})
     * @param samples     judgments per response ({@code --samples K})
     * @param orders      with {@code allPerCall}: 2 shows every instruction's responses in two opposite
     *                    orders (each its own sample) and averages them; 1 otherwise
     */
    public record JudgeSettings(String model, boolean allPerCall, boolean aspects, Rubric rubric, double temperature,
                           Integer seed, int maxTokens, Pricing pricing, Logprobs logprobs, Rationale rationale,
                           int samples, int orders) {

        /** One plain judgment per response (per order) with a full rationale: admap's judge before --logprobs. */
        public JudgeSettings(String model, boolean allPerCall, boolean aspects, Rubric rubric, double temperature,
                        Integer seed, int maxTokens, Pricing pricing) {
            this(model, allPerCall, aspects, rubric, temperature, seed, maxTokens, pricing, Logprobs.OFF,
                    Rationale.FULL, 1, 1);
        }

        public JudgeSettings {
            if (samples < 1) {
                throw new IllegalArgumentException("--samples must be 1 or more, got " + samples);
            }
            if (orders != 1 && orders != 2) {
                throw new IllegalArgumentException("--orders must be 1 or 2, got " + orders);
            }
            if (orders == 2 && !allPerCall) {
                throw new IllegalArgumentException("--orders 2 works with --per-call all only (one response per"
                        + " call has no order to reverse)");
            }
            if (logprobs != Logprobs.OFF && aspects) {
                throw new IllegalArgumentException("--logprobs weighs one score per response; it does not work with"
                        + " --aspects (four scores per answer)");
            }
            if (rationale != Rationale.FULL && aspects) {
                throw new IllegalArgumentException("--rationale " + rationale.cliName() + " works with one score"
                        + " per response, not with --aspects");
            }
            if (allPerCall && aspects) {
                throw new IllegalArgumentException("--aspects works with --per-call one only");
            }
            if (allPerCall && rubric.all() == null) {
                throw new IllegalArgumentException("the rubric has no {responses} template for --per-call all");
            }
            if (!allPerCall && rubric.one() == null) {
                throw new IllegalArgumentException("the rubric has no {response} template for --per-call one");
            }
            if (aspects && rubric.aspects() == null) {
                throw new IllegalArgumentException("--aspects needs admap's own rubric");
            }
        }
    }

    /** Whether scores are weighted by the judge's log-probabilities ({@code --logprobs}). */
    public enum Logprobs {
        /** The score the judge wrote. */
        OFF,
        /** The expected score; a server without log-probabilities stops the run at its first answer. */
        ON,
        /** The expected score where log-probabilities come back, else the written score (logprobs-fallback). */
        AUTO;

        public static Logprobs parse(String text) {
            return switch (text.toLowerCase(java.util.Locale.ROOT)) {
                case "on", "true", "yes" -> ON;
                case "auto" -> AUTO;
                case "off", "false", "no" -> OFF;
                default -> throw new IllegalArgumentException("--logprobs must be on, auto or off, got '" + text + "'");
            };
        }
    }

    /** How much the judge writes before its score ({@code --rationale}). */
    public enum Rationale {
        /** One or two sentences (admap's rubric as it always was). */
        FULL(300),
        /** A few words. */
        SHORT(60),
        /** The score alone. */
        NONE(16);

        private final int maxTokens;

        Rationale(int maxTokens) {
            this.maxTokens = maxTokens;
        }

        /** The answer's token limit per response when the user gives none. */
        public int defaultMaxTokens() {
            return maxTokens;
        }

        /**
         * The answer tokens expected per response, for estimates: half the limit with a full
         * rationale (they rarely fill it; about 150 on AlpacaEval), about 25 for a few words, and
         * the JSON around the score alone.
         */
        long expectedTokens(int maxTokensPerResponse, boolean allPerCall) {
            return switch (this) {
                case FULL -> maxTokensPerResponse / 2;
                case SHORT -> Math.min(maxTokensPerResponse, 25);
                case NONE -> Math.min(maxTokensPerResponse, allPerCall ? 9 : 7);
            };
        }

        public String cliName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Rationale parse(String text) {
            for (Rationale r : values()) {
                if (r.cliName().equalsIgnoreCase(text)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("--rationale must be full, short or none, got '" + text + "'");
        }
    }

    /** How answers are asked to be JSON; downgraded when a server refuses. */
    enum Format {
        JSON_SCHEMA, JSON_OBJECT, PLAIN
    }

    private static final String STRICTER = "Your answer could not be read. Reply again with only the JSON object"
            + " described above: no prose, no code fences, and scores as numbers from 1 to 10.";

    /** Added to the reason of a batch answer that does not parse: a batch line cannot be asked again. */
    static final String BATCH_NOTE = " (Batch API: not asked again; --retry-failed sends it again)";

    private final ApiClient client;
    private final JudgeSettings settings;
    private final JudgeRequests requests;
    private final AtomicReference<Format> format = new AtomicReference<>(Format.JSON_SCHEMA);
    private final Object firstAnswer = new Object();
    private volatile boolean logprobsSeen;
    private volatile String noLogprobs;

    public JudgeScorer(ApiClient client, JudgeSettings settings) {
        this.client = client;
        this.settings = settings;
        this.requests = new JudgeRequests(settings);
    }

    @Override
    public ScorerConfig config() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("temperature", Double.toString(settings.temperature()));
        p.put("seed", settings.seed() == null ? "none" : settings.seed().toString());
        p.put("max_tokens", Integer.toString(settings.maxTokens()));
        p.put("per_call", settings.allPerCall() ? "all" : "one");
        p.put("aspects", Boolean.toString(settings.aspects()));
        // Only where they differ from admap's judge before them, so that earlier scores keep their fingerprint.
        if (settings.logprobs() != Logprobs.OFF) {
            p.put("logprobs", "expected-value");
        }
        if (settings.orders() > 1) {
            p.put("orders", Integer.toString(settings.orders()));
        }
        return ScorerConfig.of("judge", settings.model(), settings.rubric().version(), p,
                client.settings().baseUrl().toString());
    }

    @Override
    public java.util.Optional<String> waiting() {
        return client.waiting();
    }

    @Override
    public List<String> aspectNames() {
        return settings.aspects() ? Rubric.ASPECTS : List.of();
    }

    @Override
    public boolean wholeItems() {
        return settings.allPerCall();
    }

    /** The prompt's images go to the judge as {@code image_url} parts after the text. */
    @Override
    public boolean usesImages() {
        return true;
    }

    /** A conversation is shown to the judge as its turns, with their roles ({@link Rubric#transcript}). */
    @Override
    public boolean usesTurns() {
        return true;
    }

    @Override
    public int samples() {
        return settings.samples() * settings.orders();
    }

    @Override
    public Usage estimate(ScoreTask task) {
        long chars = settings.rubric().system().length() + task.prompt().length()
                + (settings.allPerCall() ? settings.rubric().all() : settings.rubric().one()).length();
        for (ScoreTask.Target t : task.responses()) {
            chars += t.text().length() + 20;
        }
        long in = chars / 4 + 10;
        int n = task.responses().size();
        long out = settings.rationale() == Rationale.FULL ? (long) settings.maxTokens() * n / 2
                : settings.rationale().expectedTokens(settings.maxTokens(), settings.allPerCall()) * n;
        return new Usage(in, out, settings.pricing().cost(in, out));
    }

    @Override
    public List<ScoreOutcome> score(ScoreTask task) throws InterruptedException {
        return call(task);
    }

    // ---- live calls ----------------------------------------------------------------------------

    /**
     * With {@code --logprobs on}, calls wait until one answer has shown that the server returns
     * log-probabilities, so that a server without them stops the run at its first answer
     * rather than after {@code concurrency} paid calls.
     */
    private List<ScoreOutcome> call(ScoreTask task) throws InterruptedException {
        if (settings.logprobs() == Logprobs.ON && !logprobsSeen) {
            synchronized (firstAnswer) {
                if (noLogprobs != null) {
                    throw new ScoringAbortedException(noLogprobs);
                }
                if (!logprobsSeen) {
                    return callOnce(task);
                }
            }
        }
        return callOnce(task);
    }

    private List<ScoreOutcome> callOnce(ScoreTask task) throws InterruptedException {
        JudgeRequests.Prompt prompt = requests.prompt(task);
        Call call = new Call(prompt, estimate(task).tokensIn());
        try {
            String content = call.ask();
            JudgeRequests.Reading reading = requests.read(prompt, content);
            if (!reading.ok()) {
                content = call.askAgain(content);
                reading = requests.read(prompt, content);
            }
            if (settings.logprobs() == Logprobs.ON) {
                if (!LogprobScores.present(call.answer())) {
                    noLogprobs = "--logprobs on: " + JudgeRequests.NO_LOGPROBS + " by " + client.settings().baseUrl()
                            + " for model " + settings.model() + "; use --logprobs auto to fall back to the score"
                            + " the judge wrote, or --logprobs off";
                    throw new ScoringAbortedException(noLogprobs);
                }
                logprobsSeen = true;
            }
            return requests.outcomes(prompt, reading, content, call.answer(), call.usage(), call.latencyMs(),
                    call.attempts(), "");
        } catch (ApiException e) {
            int n = prompt.shown().size();
            List<ScoreOutcome> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(ScoreOutcome.failed(prompt.shown().get(i).position(), e.getMessage(), e.body(),
                        call.usage().share(n, i), call.latencyMs(), call.attempts() + e.attempts())
                        .withCallOrder(prompt.callOrder()));
            }
            return out;
        }
    }

    // ---- Batch API ---------------------------------------------------------------------------

    @Override
    public String batchEndpoint() {
        return "/v1/chat/completions";
    }

    @Override
    public JsonNode batchRequest(ScoreTask task) {
        JudgeRequests.Prompt prompt = requests.prompt(task);
        return requests.body(requests.messages(prompt), prompt, format.get());
    }

    @Override
    public List<ScoreOutcome> batchOutcomes(ScoreTask task, JsonNode answer) {
        JudgeRequests.Prompt prompt = requests.prompt(task);
        String content = JudgeRequests.content(answer);
        if (content == null) {
            content = answer.toString();
        }
        Usage usage;
        try {
            usage = JudgeRequests.usage(answer, settings.pricing().halved());
        } catch (ApiException absurd) {
            long in = estimate(task).tokensIn();
            Usage most = new Usage(in, prompt.maxTokens(), settings.pricing().halved().cost(in, prompt.maxTokens()));
            int n = prompt.shown().size();
            List<ScoreOutcome> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(ScoreOutcome.failed(prompt.shown().get(i).position(), absurd.getMessage(), content,
                        most.share(n, i), 0, 1).withCallOrder(prompt.callOrder()));
            }
            return out;
        }
        return requests.outcomes(prompt, requests.read(prompt, content), content, answer, usage, 0, 1, BATCH_NOTE);
    }

    /** One scoring conversation: the first request and, if needed, the stricter second one. */
    private final class Call {
        private final List<ObjectNode> messages;
        private final JudgeRequests.Prompt prompt;
        private final long estimatedTokens;
        private Usage usage = Usage.NONE;
        private JsonNode answer;
        private long latencyMs;
        private int attempts;

        Call(JudgeRequests.Prompt prompt, long estimatedTokens) {
            this.prompt = prompt;
            this.estimatedTokens = estimatedTokens;
            this.messages = requests.messages(prompt);
        }

        String ask() throws ApiException, InterruptedException {
            while (true) {
                Format f = format.get();
                ObjectNode body = requests.body(messages, prompt, f);
                try {
                    ApiResponse r = client.postJson("/chat/completions", body, estimatedTokens + prompt.maxTokens());
                    attempts += r.attempts();
                    latencyMs += r.latencyMs();
                    try {
                        usage = usage.plus(JudgeRequests.usage(r.json(), settings.pricing()));
                    } catch (ApiException absurd) {
                        // Paid for, at an unknown price: counted at the most it could cost.
                        long most = prompt.maxTokens();
                        usage = usage.plus(new Usage(estimatedTokens, most,
                                settings.pricing().cost(estimatedTokens, most)));
                        throw absurd;
                    }
                    answer = r.json();
                    String content = JudgeRequests.content(r.json());
                    return content != null ? content : r.body();
                } catch (ApiException e) {
                    if (e.status() == 400 && f != Format.PLAIN && refusesFormat(e)) {
                        format.compareAndSet(f, f == Format.JSON_SCHEMA ? Format.JSON_OBJECT : Format.PLAIN);
                        attempts += e.attempts();
                        continue;
                    }
                    throw e;
                }
            }
        }

        String askAgain(String previous) throws ApiException, InterruptedException {
            messages.add(JudgeRequests.message("assistant", previous == null ? "" : previous));
            messages.add(JudgeRequests.message("user", STRICTER));
            return ask();
        }

        Usage usage() {
            return usage;
        }

        /** The last answer, whole. */
        JsonNode answer() {
            return answer;
        }

        long latencyMs() {
            return latencyMs;
        }

        int attempts() {
            return attempts;
        }
    }

    private static boolean refusesFormat(ApiException e) {
        String text = (e.getMessage() + " " + e.body()).toLowerCase(Locale.ROOT);
        return text.contains("response_format") || text.contains("json_schema") || text.contains("json_object")
                || text.contains("structured");
    }
}
