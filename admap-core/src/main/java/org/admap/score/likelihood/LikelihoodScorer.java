package org.admap.score.likelihood;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.admap.internal.json.Json;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.score.http.ApiException;
import org.admap.internal.score.http.ApiResponse;
import org.admap.score.Pricing;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.Scorer;
import org.admap.score.ScorerConfig;
import org.admap.score.ScoringAbortedException;
import org.admap.score.Usage;

/**
 * The model-likelihood scorer, the paper's {@code sft} and {@code dpo} score methods: a
 * response's score is {@code exp(mean log p(token | everything before it))} over the response's
 * tokens, given the instruction, under a served causal language model (the paper's
 * {@code compute_response_probability}: {@code exp(-loss)} with the prompt's labels masked).
 * The paper's {@code dpo} is the same computation under a DPO-tuned model; it is not a ratio
 * against a reference model, so this scorer has no reference model either.
 *
 * <p>One response per call: {@code POST /completions} with the template's text as
 * {@code prompt}, {@code echo: true}, {@code logprobs: 1}, {@code temperature: 0} and
 * {@code max_tokens} (1 by default: some servers, vLLM at some versions, refuse 0; the generated token
 * is not counted). The
 * answer's {@code choices[0].logprobs} ({@code tokens}, {@code token_logprobs},
 * {@code text_offset}) holds the prompt's tokens, which {@link ResponseTokens} picks the
 * response's from. vLLM serves this; OpenAI's current models, llama.cpp's server and TGI's
 * OpenAI-compatible route do not (see docs/scoring.md).
 *
 * <p>An empty response scores 0 without a call, as in the paper's code. A server that does not
 * echo (its tokens are only the generated one, or its text does not start with the text sent)
 * stops the run at its first answer: every call would fail the same way.
 *
 * <p>Example:
 * <pre>{@code
 * ApiClient client = new ApiClient(new ApiClient.ApiSettings(URI.create("http://localhost:8000/v1"), null,
 *         Duration.ofSeconds(120), RetryPolicy.defaults(), RateLimiter.unlimited(), null));
 * Scorer sft = new LikelihoodScorer(client, new LikelihoodScorer.LikelihoodSettings(
 *         "01choco/LLaMA-UltraFeedback-SFT-3-Full", LikelihoodTemplate.PLAIN, 1, Pricing.UNKNOWN));
 * new ScoringJob(store, sft, "likelihood", ScoringOptions.defaults(), Progress.Factory.NONE).run();
 * }</pre>
 */
public final class LikelihoodScorer implements Scorer {

    /** The request path under the base URL. */
    public static final String PATH = "/completions";
    /** What the score is, for provenance. */
    static final String DEFINITION = "exp(mean log-probability of the response's tokens given the prompt)";

    /**
     * What the likelihood scorer does.
     *
     * @param model     the model, as the server names it
     * @param template  how instruction and response become the text sent
     * @param maxTokens {@code max_tokens} of each request: 0 or 1 (a server that refuses 0 needs 1)
     * @param pricing   prices per million tokens ({@link Pricing#UNKNOWN}: free)
     */
    public record LikelihoodSettings(String model, LikelihoodTemplate template, int maxTokens, Pricing pricing) {

        public LikelihoodSettings {
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(pricing, "pricing");
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("the likelihood scorer needs --model: the language model's name"
                        + " as its server knows it");
            }
            if (maxTokens < 0 || maxTokens > 1) {
                throw new IllegalArgumentException("--likelihood-max-tokens must be 0 or 1, got " + maxTokens);
            }
        }
    }

    private static final ObjectMapper JSON = Json.MAPPER;

    private final ApiClient client;
    private final LikelihoodSettings settings;

    public LikelihoodScorer(ApiClient client, LikelihoodSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    @Override
    public ScorerConfig config() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("api", "completions echo+logprobs");
        p.put("score", DEFINITION);
        p.put("template", settings.template().name());
        p.put("template_hash", settings.template().hash());
        p.put("boundary", "tokens covering any response character");
        p.put("max_tokens", Integer.toString(settings.maxTokens()));
        return ScorerConfig.of("likelihood", settings.model(), settings.template().name(), p,
                client.settings().baseUrl().toString());
    }

    @Override
    public Optional<String> waiting() {
        return client.waiting();
    }

    @Override
    public boolean wholeItems() {
        return false;
    }

    @Override
    public Usage estimate(ScoreTask task) {
        String response = task.responses().get(0).text();
        if (response.isEmpty()) {
            return Usage.NONE;
        }
        long in = tokens(settings.template().render(task.prompt(), response));
        return new Usage(in, settings.maxTokens(), settings.pricing().cost(in, settings.maxTokens()));
    }

    private static long tokens(String text) {
        return text.length() / 4 + 2;
    }

    @Override
    public List<ScoreOutcome> score(ScoreTask task) throws InterruptedException {
        ScoreTask.Target target = task.responses().get(0);
        if (target.text().isEmpty()) {
            return List.of(ScoreOutcome.ok(target.position(), 0.0, "empty response: 0, as in the paper's code",
                    Usage.NONE, 0, 0));
        }
        String text = settings.template().render(task.prompt(), target.text());
        long estimated = tokens(text);
        ApiResponse r;
        try {
            r = client.postJson(PATH, request(text), estimated);
        } catch (ApiException e) {
            if (e.status() == 400 && refusesEcho(e.body())) {
                throw new ScoringAbortedException("the server at " + client.url(PATH) + " refuses the likelihood"
                        + " request (HTTP 400: " + excerpt(e.body(), 200) + "): it needs a completions endpoint"
                        + " that serves echo with logprobs (vLLM does)" + (settings.maxTokens() == 0
                        ? "; if it refuses max_tokens 0, use --likelihood-max-tokens 1" : ""));
            }
            return List.of(ScoreOutcome.failed(target.position(), e.getMessage(), e.body(), Usage.NONE, 0,
                    e.attempts()));
        } catch (ScoringAbortedException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("HTTP 404")) {
                throw new ScoringAbortedException(e.getMessage() + " (the likelihood scorer calls the legacy "
                        + PATH + " endpoint, which chat-only servers lack)", e);
            }
            throw e;
        }
        Usage usage;
        long promptTokens;
        try {
            JsonNode u = r.json().path("usage");
            promptTokens = Usage.reportedTokens(u, "prompt_tokens", -1);
            long in = promptTokens >= 0 ? promptTokens : estimated;
            long out = Usage.reportedTokens(u, "completion_tokens", settings.maxTokens());
            usage = new Usage(in, out, settings.pricing().cost(in, out));
        } catch (ApiException absurd) {
            return List.of(ScoreOutcome.failed(target.position(), absurd.getMessage(), excerpt(r.body(), 4000),
                    new Usage(estimated, 0, settings.pricing().cost(estimated, 0)), r.latencyMs(), r.attempts()));
        }
        Echo echo = Echo.read(r.json(), text, settings.maxTokens(), promptTokens);
        if (echo.notEchoed() != null) {
            throw new ScoringAbortedException("the server at " + client.url(PATH) + " did not echo the prompt's"
                    + " tokens with their log-probabilities (" + echo.notEchoed() + "): the likelihood scorer needs"
                    + " echo with logprobs on legacy completions, which vLLM serves; OpenAI's current models,"
                    + " llama.cpp's server and TGI's OpenAI route do not (docs/scoring.md)");
        }
        if (echo.problem() != null) {
            return List.of(ScoreOutcome.failed(target.position(), echo.problem(), excerpt(r.body(), 4000), usage,
                    r.latencyMs(), r.attempts()));
        }
        ResponseTokens.Span span = ResponseTokens.select(echo.tokens(), echo.logprobs(), echo.offsets(),
                echo.promptTokens(), ResponseTokens.length(target.text()));
        if (!span.ok()) {
            return List.of(ScoreOutcome.failed(target.position(), span.problem(), excerpt(r.body(), 4000), usage,
                    r.latencyMs(), r.attempts()));
        }
        String raw = String.format(Locale.ROOT, "{\"mean_logprob\": %s, \"response_tokens\": %d, \"first_token\": %d,"
                + " \"straddles_boundary\": %b, \"echoed_tokens\": %d}", Double.toString(span.meanLogprob()),
                span.count(), span.first(), span.straddles(), echo.tokens().size());
        return List.of(ScoreOutcome.ok(target.position(), span.probability(), raw, usage, r.latencyMs(),
                r.attempts()));
    }

    private JsonNode request(String text) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", settings.model());
        body.put("prompt", text);
        body.put("max_tokens", settings.maxTokens());
        body.put("echo", true);
        body.put("logprobs", 1);
        body.put("temperature", 0);
        return body;
    }

    private static boolean refusesEcho(String body) {
        String b = body == null ? "" : body.toLowerCase(Locale.ROOT);
        return b.contains("echo") || b.contains("logprobs") || b.contains("max_tokens");
    }

    private static String excerpt(String body, int limit) {
        if (body == null) {
            return null;
        }
        return body.length() <= limit ? body : body.substring(0, limit) + "... (" + body.length() + " characters)";
    }

    /**
     * The echo of one answer, read from {@code choices[0]}.
     *
     * @param notEchoed    why the answer is no echo at all (the server ignores echo), or null
     * @param problem      why this answer is unusable, or null
     * @param promptTokens how many of the tokens are the prompt's
     */
    record Echo(List<String> tokens, List<Double> logprobs, List<Integer> offsets, int promptTokens,
                String notEchoed, String problem) {

        static Echo failed(String notEchoed, String problem) {
            return new Echo(List.of(), List.of(), List.of(), 0, notEchoed, problem);
        }

        /**
         * @param reportedPromptTokens {@code usage.prompt_tokens}, or -1 when not reported: without it the
         *                             generated tokens are taken to be the last {@code maxTokens}
         */
        static Echo read(JsonNode answer, String sent, int maxTokens, long reportedPromptTokens) {
            JsonNode choice = answer.path("choices").path(0);
            if (choice.isMissingNode()) {
                return failed(null, "the answer has no choices[0]");
            }
            JsonNode text = choice.get("text");
            if (text != null && text.isTextual() && !text.asText().startsWith(sent)) {
                return failed("its choices[0].text does not start with the text sent", null);
            }
            JsonNode lp = choice.path("logprobs");
            if (!lp.isObject()) {
                return failed("choices[0].logprobs is " + (lp.isMissingNode() ? "missing" : lp.toString()), null);
            }
            JsonNode t = lp.path("tokens");
            JsonNode l = lp.path("token_logprobs");
            JsonNode o = lp.path("text_offset");
            if (!t.isArray() || !l.isArray() || !o.isArray()) {
                return failed(null, "choices[0].logprobs lacks tokens, token_logprobs or text_offset");
            }
            List<String> tokens = new ArrayList<>();
            List<Double> logprobs = new ArrayList<>();
            List<Integer> offsets = new ArrayList<>();
            for (JsonNode n : t) {
                tokens.add(n.isNull() ? null : n.asText());
            }
            for (JsonNode n : l) {
                if (n.isNull()) {
                    logprobs.add(null);
                } else if (n.isNumber()) {
                    logprobs.add(n.asDouble());
                } else {
                    return failed(null, "a token_logprobs entry is not a number: " + excerpt(n.toString(), 40));
                }
            }
            for (JsonNode n : o) {
                if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                    return failed(null, "a text_offset entry is not a whole number: " + excerpt(n.toString(), 40));
                }
                offsets.add(n.asInt());
            }
            long generated = Math.min(maxTokens, tokens.size());
            long prompt = reportedPromptTokens >= 0 ? reportedPromptTokens : tokens.size() - generated;
            if (prompt > tokens.size() || (tokens.size() <= maxTokens && reportedPromptTokens < 0)) {
                return failed("it holds " + tokens.size() + " tokens for a prompt of " + (reportedPromptTokens >= 0
                        ? reportedPromptTokens + " tokens" : sent.length() + " characters"), null);
            }
            if (prompt > 1 && logprobs.subList(0, (int) prompt).stream().allMatch(java.util.Objects::isNull)) {
                return failed("its " + prompt + " prompt tokens all have null log-probabilities", null);
            }
            return new Echo(tokens, logprobs, offsets, (int) prompt, null, null);
        }
    }
}
