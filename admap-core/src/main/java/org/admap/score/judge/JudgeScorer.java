package org.admap.score.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.admap.score.Pricing;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.Scorer;
import org.admap.score.ScorerConfig;
import org.admap.score.Usage;
import org.admap.score.http.ApiClient;
import org.admap.score.http.ApiException;
import org.admap.score.http.ApiResponse;

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
 */
public final class JudgeScorer implements Scorer {

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
     */
    public record Settings(String model, boolean allPerCall, boolean aspects, Rubric rubric, double temperature,
                           Integer seed, int maxTokens, Pricing pricing) {

        public Settings {
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

    /** How answers are asked to be JSON; downgraded when a server refuses. */
    enum Format {
        JSON_SCHEMA, JSON_OBJECT, PLAIN
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STRICTER = "Your answer could not be read. Reply again with only the JSON object"
            + " described above: no prose, no code fences, and scores as numbers from 1 to 10.";

    private final ApiClient client;
    private final Settings settings;
    private final AtomicReference<Format> format = new AtomicReference<>(Format.JSON_SCHEMA);

    public JudgeScorer(ApiClient client, Settings settings) {
        this.client = client;
        this.settings = settings;
    }

    @Override
    public ScorerConfig config() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("temperature", Double.toString(settings.temperature()));
        p.put("seed", settings.seed() == null ? "none" : settings.seed().toString());
        p.put("max_tokens", Integer.toString(settings.maxTokens()));
        p.put("per_call", settings.allPerCall() ? "all" : "one");
        p.put("aspects", Boolean.toString(settings.aspects()));
        return ScorerConfig.of("judge", settings.model(), settings.rubric().version(), p,
                client.settings().baseUrl().toString());
    }

    @Override
    public List<String> aspectNames() {
        return settings.aspects() ? Rubric.ASPECTS : List.of();
    }

    @Override
    public boolean wholeItems() {
        return settings.allPerCall();
    }

    @Override
    public Usage estimate(ScoreTask task) {
        long chars = settings.rubric().system().length() + task.prompt().length()
                + (settings.allPerCall() ? settings.rubric().all() : settings.rubric().one()).length();
        for (ScoreTask.Target t : task.responses()) {
            chars += t.text().length() + 20;
        }
        long in = chars / 4 + 10;
        long out = (long) settings.maxTokens() * task.responses().size() / 2; // rationales rarely fill the limit
        return new Usage(in, out, settings.pricing().cost(in, out));
    }

    @Override
    public List<ScoreOutcome> score(ScoreTask task) throws InterruptedException {
        return settings.allPerCall() ? scoreAll(task) : scoreOne(task);
    }

    // ---- one response per call ------------------------------------------------------------

    private List<ScoreOutcome> scoreOne(ScoreTask task) throws InterruptedException {
        ScoreTask.Target target = task.responses().get(0);
        String template = settings.aspects() ? settings.rubric().aspects() : settings.rubric().one();
        String user = Rubric.fill(template, task.prompt(), target.text());
        Call call = new Call(user, settings.maxTokens(), estimate(task).tokensIn());
        try {
            String content = call.ask(schema(1));
            OptionalDouble score = OptionalDouble.empty();
            Map<String, Double> aspects = Map.of();
            for (int round = 0; round < 2; round++) {
                if (settings.aspects()) {
                    aspects = JudgeReply.aspects(content, Rubric.ASPECTS);
                    if (!aspects.isEmpty()) {
                        score = OptionalDouble.of(aspects.values().stream().mapToDouble(Double::doubleValue)
                                .average().orElseThrow());
                    }
                } else {
                    score = JudgeReply.score(content);
                }
                if (score.isPresent() || round == 1) {
                    break;
                }
                content = call.askAgain(content, schema(1));
            }
            if (score.isEmpty()) {
                return List.of(ScoreOutcome.failed(target.position(), "the judge's answer has no score from 1 to 10",
                        content, call.usage(), call.latencyMs(), call.attempts()));
            }
            return List.of(ScoreOutcome.ok(target.position(), score.getAsDouble(), content, call.usage(),
                    call.latencyMs(), call.attempts()).withAspects(aspects));
        } catch (ApiException e) {
            return List.of(ScoreOutcome.failed(target.position(), e.getMessage(), e.body(), call.usage(),
                    call.latencyMs(), call.attempts() + e.attempts()));
        }
    }

    // ---- all responses of an instruction per call --------------------------------------------

    private List<ScoreOutcome> scoreAll(ScoreTask task) throws InterruptedException {
        List<ScoreTask.Target> shown = new ArrayList<>(task.responses());
        // Seeded by the instruction: the same order on every rerun, unrelated to the data's order.
        Collections.shuffle(shown, new Random(task.promptHash().hashCode()));
        StringBuilder listing = new StringBuilder();
        for (int i = 0; i < shown.size(); i++) {
            listing.append("[Response ").append(i + 1).append("]\n").append(shown.get(i).text()).append("\n\n");
        }
        String order = shown.stream().map(t -> Integer.toString(t.position())).collect(Collectors.joining(","));
        String user = Rubric.fill(settings.rubric().all(), task.prompt(), listing.toString().strip());
        int n = shown.size();
        Call call = new Call(user, settings.maxTokens() * n, estimate(task).tokensIn());
        List<ScoreOutcome> out = new ArrayList<>(n);
        try {
            String content = call.ask(schema(n));
            List<Double> scores = JudgeReply.scores(content, n);
            if (scores.isEmpty()) {
                content = call.askAgain(content, schema(n));
                scores = JudgeReply.scores(content, n);
            }
            for (int i = 0; i < n; i++) {
                ScoreTask.Target t = shown.get(i);
                Usage share = call.usage().share(n, i);
                ScoreOutcome o = scores.isEmpty()
                        ? ScoreOutcome.failed(t.position(), "the judge's answer does not hold " + n
                                + " scores from 1 to 10", content, share, call.latencyMs(), call.attempts())
                        : ScoreOutcome.ok(t.position(), scores.get(i), content, share, call.latencyMs(), call.attempts());
                out.add(o.withCallOrder(order));
            }
        } catch (ApiException e) {
            for (int i = 0; i < n; i++) {
                out.add(ScoreOutcome.failed(shown.get(i).position(), e.getMessage(), e.body(), call.usage().share(n, i),
                        call.latencyMs(), call.attempts() + e.attempts()).withCallOrder(order));
            }
        }
        return out;
    }

    // ---- the request ---------------------------------------------------------------------------

    /** The JSON schema of the answer for n responses (one: an object with a score). */
    private JsonNode schema(int n) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "object");
        ObjectNode props = root.putObject("properties");
        ArrayNode required = root.putArray("required");
        root.put("additionalProperties", false);
        if (settings.allPerCall()) {
            ObjectNode scores = props.putObject("scores");
            scores.put("type", "array");
            ObjectNode item = scores.putObject("items");
            item.put("type", "object");
            ObjectNode ip = item.putObject("properties");
            ip.putObject("response").put("type", "integer");
            ip.putObject("rationale").put("type", "string");
            ip.putObject("score").put("type", "integer");
            item.putArray("required").add("response").add("rationale").add("score");
            item.put("additionalProperties", false);
            required.add("scores");
        } else {
            props.putObject("rationale").put("type", "string");
            required.add("rationale");
            if (settings.aspects()) {
                for (String a : Rubric.ASPECTS) {
                    props.putObject(a).put("type", "integer");
                    required.add(a);
                }
            } else {
                props.putObject("score").put("type", "integer");
                required.add("score");
            }
        }
        return root;
    }

    /** One scoring conversation: the first request and, if needed, the stricter second one. */
    private final class Call {
        private final List<ObjectNode> messages = new ArrayList<>();
        private final int maxTokens;
        private final long estimatedTokens;
        private Usage usage = Usage.NONE;
        private long latencyMs;
        private int attempts;

        Call(String user, int maxTokens, long estimatedTokens) {
            this.maxTokens = maxTokens;
            this.estimatedTokens = estimatedTokens;
            messages.add(message("system", settings.rubric().system()));
            messages.add(message("user", user));
        }

        String ask(JsonNode schema) throws ApiException, InterruptedException {
            while (true) {
                Format f = format.get();
                ObjectNode body = JSON.createObjectNode();
                body.put("model", settings.model());
                ArrayNode list = body.putArray("messages");
                messages.forEach(list::add);
                body.put("temperature", settings.temperature());
                body.put("max_tokens", maxTokens);
                if (settings.seed() != null) {
                    body.put("seed", settings.seed());
                }
                if (f == Format.JSON_SCHEMA) {
                    ObjectNode rf = body.putObject("response_format");
                    rf.put("type", "json_schema");
                    ObjectNode js = rf.putObject("json_schema");
                    js.put("name", "alignment_score");
                    js.put("strict", true);
                    js.set("schema", schema);
                } else if (f == Format.JSON_OBJECT) {
                    body.putObject("response_format").put("type", "json_object");
                }
                try {
                    ApiResponse r = client.postJson("/chat/completions", body, estimatedTokens + maxTokens);
                    attempts += r.attempts();
                    latencyMs += r.latencyMs();
                    JsonNode u = r.json().path("usage");
                    long in = u.path("prompt_tokens").asLong(0);
                    long out = u.path("completion_tokens").asLong(0);
                    usage = usage.plus(new Usage(in, out, settings.pricing().cost(in, out)));
                    JsonNode content = r.json().path("choices").path(0).path("message").path("content");
                    return content.isTextual() ? content.asText() : r.body();
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

        String askAgain(String previous, JsonNode schema) throws ApiException, InterruptedException {
            messages.add(message("assistant", previous == null ? "" : previous));
            messages.add(message("user", STRICTER));
            return ask(schema);
        }

        Usage usage() {
            return usage;
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

    private static ObjectNode message(String role, String content) {
        ObjectNode m = JSON.createObjectNode();
        m.put("role", role);
        m.put("content", content);
        return m;
    }
}
