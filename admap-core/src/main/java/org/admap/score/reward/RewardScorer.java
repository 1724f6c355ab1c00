package org.admap.score.reward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.admap.internal.json.Json;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.score.http.ApiException;
import org.admap.internal.score.http.ApiResponse;
import org.admap.score.ChatMessages;
import org.admap.score.Pricing;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.Scorer;
import org.admap.score.ScorerConfig;
import org.admap.score.ScoringAbortedException;
import org.admap.score.Usage;

/**
 * An explicit reward model served over HTTP (the paper's second kind of alignment score):
 * each response's score is the reward model's logit for (instruction, response). One
 * response per call.
 *
 * <p>Two server APIs:
 * <ul>
 *   <li>{@link Api#VLLM vLLM}'s pooling API, {@code POST /pooling} with the conversation as
 *       chat messages (the server applies the model's chat template), as served by
 *       {@code vllm serve MODEL --runner pooling}. The reward is read from
 *       {@code data[0].data}: a number, the last of a list, or the last token's last value.</li>
 *   <li>{@link Api#TEI Hugging Face Text Embeddings Inference}'s {@code POST /predict} for
 *       sequence-classification models, with the pair {@code [instruction, response]} and
 *       {@code raw_scores} (logits, not probabilities). A model with several labels needs the
 *       reward's label named.</li>
 * </ul>
 * Both live at the server's root, not under {@code /v1}: see {@link #serverRoot}.
 *
 * <p>Example, against a vLLM server on port 8000:
 * <pre>{@code
 * ApiClient client = new ApiClient(new ApiClient.ApiSettings(
 *         RewardScorer.serverRoot(URI.create("http://localhost:8000/v1")), null, Duration.ofSeconds(60),
 *         RetryPolicy.defaults(), RateLimiter.unlimited(), null));
 * Scorer reward = new RewardScorer(client, new RewardScorer.RewardSettings(
 *         "Skywork/Skywork-Reward-Llama-3.1-8B-v0.2", RewardScorer.Api.VLLM, null, Pricing.UNKNOWN));
 * new ScoringJob(store, reward, "reward", ScoringOptions.defaults(), Progress.Factory.NONE).run();
 * }</pre>
 *
 * <p>Costs are 0 unless prices are given (self-hosted servers charge no tokens). vLLM reports
 * the tokens it read; TEI does not in its answer, so for TEI admap counts about four
 * characters a token.
 */
public final class RewardScorer implements Scorer {

    /** The server API a reward model is served with. */
    public enum Api {
        /** vLLM's pooling API: {@code POST /pooling} with chat messages. */
        VLLM("vllm", "/pooling"),
        /** Hugging Face TEI: {@code POST /predict} with an [instruction, response] pair. */
        TEI("tei", "/predict");

        private final String cliName;
        private final String path;

        Api(String cliName, String path) {
            this.cliName = cliName;
            this.path = path;
        }

        /** The name on the command line and in provenance. */
        public String cliName() {
            return cliName;
        }

        /** The request path under the server's root. */
        public String path() {
            return path;
        }

        /** The API named {@code vllm} or {@code tei}. */
        public static Api parse(String name) {
            for (Api a : values()) {
                if (a.cliName.equalsIgnoreCase(name.strip())) {
                    return a;
                }
            }
            throw new IllegalArgumentException("--reward-api must be vllm or tei, got '" + name + "'");
        }
    }

    /**
     * What the reward scorer does.
     *
     * @param model   the reward model, as the server names it (sent to vLLM; provenance for both)
     * @param api     the server API
     * @param label   TEI: the label whose score is the reward, or null when the model has one label
     * @param pricing prices per million tokens ({@link Pricing#UNKNOWN}: free)
     */
    public record RewardSettings(String model, Api api, String label, Pricing pricing) {

        public RewardSettings {
            Objects.requireNonNull(api, "api");
            Objects.requireNonNull(pricing, "pricing");
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("the reward scorer needs --model: the reward model's name");
            }
            if (label != null && api != Api.TEI) {
                throw new IllegalArgumentException("--reward-label is for --reward-api tei (vLLM's pooling answer"
                        + " has no labels)");
            }
        }
    }

    /** Answers longer than this are stored as an excerpt (per-token outputs can be long). */
    static final int RAW_LIMIT = 4_000;

    private static final ObjectMapper JSON = Json.MAPPER;

    private final ApiClient client;
    private final RewardSettings settings;

    public RewardScorer(ApiClient client, RewardSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /**
     * The server's root for a base URL: vLLM's {@code /pooling} and TEI's {@code /predict} are
     * not under {@code /v1}, so a base URL that ends in {@code /v1} (OpenAI style, as given for
     * the other scorers) loses it; a trailing slash goes too.
     */
    public static URI serverRoot(URI baseUrl) {
        String url = baseUrl.toString();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (url.toLowerCase(Locale.ROOT).endsWith("/v1")) {
            url = url.substring(0, url.length() - 3);
        }
        return URI.create(url);
    }

    @Override
    public ScorerConfig config() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("api", settings.api().cliName());
        if (settings.api() == Api.VLLM) {
            p.put("input", "chat messages (user: instruction, assistant: response)");
        } else {
            p.put("input", "pair [instruction, response]");
            p.put("raw_scores", "true");
            p.put("label", settings.label() == null ? "the only one" : settings.label());
        }
        return ScorerConfig.of("reward", settings.model(), null, p, client.settings().baseUrl().toString());
    }

    @Override
    public java.util.Optional<String> waiting() {
        return client.waiting();
    }

    @Override
    public boolean wholeItems() {
        return false;
    }

    /** vLLM applies the model's chat template to the dialogue's turns; TEI takes a text pair. */
    @Override
    public boolean usesTurns() {
        return settings.api() == Api.VLLM;
    }

    @Override
    public Usage estimate(ScoreTask task) {
        long in = tokens(task.prompt(), task.responses().get(0).text());
        return new Usage(in, 0, settings.pricing().cost(in, 0));
    }

    private static long tokens(String prompt, String response) {
        return (prompt.length() + response.length()) / 4 + 10;
    }

    @Override
    public List<ScoreOutcome> score(ScoreTask task) throws InterruptedException {
        ScoreTask.Target target = task.responses().get(0);
        long estimated = tokens(task.prompt(), target.text());
        ApiResponse r;
        try {
            r = client.postJson(settings.api().path(), request(task, target.text()), estimated);
        } catch (ApiException e) {
            return List.of(ScoreOutcome.failed(target.position(), e.getMessage(), e.body(), Usage.NONE, 0,
                    e.attempts()));
        } catch (ScoringAbortedException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("HTTP 404")) {
                throw new ScoringAbortedException("HTTP 404 from " + client.url(settings.api().path()) + ": is this a "
                        + settings.api().cliName() + " server (--reward-api), and is --base-url its root?", e);
            }
            throw e;
        }
        long in;
        try {
            in = settings.api() == Api.VLLM ? Usage.reportedTokens(r.json().path("usage"), "prompt_tokens", estimated)
                    : estimated;
        } catch (ApiException absurd) {
            return List.of(ScoreOutcome.failed(target.position(), absurd.getMessage(), r.body(),
                    new Usage(estimated, 0, settings.pricing().cost(estimated, 0)), r.latencyMs(), r.attempts()));
        }
        Usage usage = new Usage(in, 0, settings.pricing().cost(in, 0));
        RewardReply.Parsed parsed = settings.api() == Api.VLLM ? RewardReply.vllm(r.json())
                : RewardReply.tei(r.json(), settings.label());
        String raw = r.body().length() <= RAW_LIMIT ? r.body()
                : r.body().substring(0, RAW_LIMIT) + "... (" + r.body().length() + " characters)";
        if (!parsed.ok()) {
            return List.of(ScoreOutcome.failed(target.position(), parsed.problem(), raw, usage, r.latencyMs(),
                    r.attempts()));
        }
        return List.of(ScoreOutcome.ok(target.position(), parsed.value(), raw, usage, r.latencyMs(), r.attempts()));
    }

    private JsonNode request(ScoreTask task, String response) {
        ObjectNode body = JSON.createObjectNode();
        if (settings.api() == Api.VLLM) {
            body.put("model", settings.model());
            ArrayNode messages = body.putArray("messages");
            if (task.isConversation()) {
                ChatMessages.append(messages, null, task.turns()); // the dialogue the response continues
            } else {
                messages.addObject().put("role", "user").put("content", task.prompt());
            }
            messages.addObject().put("role", "assistant").put("content", response);
        } else {
            body.putArray("inputs").add(task.prompt()).add(response);
            body.put("raw_scores", true);
        }
        return body;
    }
}
