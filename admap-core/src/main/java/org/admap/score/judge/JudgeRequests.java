package org.admap.score.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.Collectors;
import org.admap.internal.image.ImageParts;
import org.admap.internal.json.Json;
import org.admap.internal.score.http.ApiException;
import org.admap.model.ImageRef;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.Usage;

/**
 * The judge's chat requests and the reading of its answers, shared by live calls and Batch
 * API lines so that both send the same body for the same task and turn the same answer
 * into the same scores.
 */
final class JudgeRequests {

    private static final ObjectMapper JSON = Json.MAPPER;

    /** The most alternatives OpenAI returns per token position. */
    static final int TOP_LOGPROBS = 20;

    /**
     * What one call asks.
     *
     * @param user      the user message
     * @param shown     the responses in the order the judge sees them
     * @param callOrder that order as response positions ("2,0,3,1") when one call rates several, else null
     * @param maxTokens the answer's token limit
     * @param schema    the JSON schema of the answer
     * @param seed      the seed to send (distinct per sample), or null
     * @param images    the prompt's images, sent after the text as {@code image_url} parts
     */
    record Prompt(String user, List<ScoreTask.Target> shown, String callOrder, int maxTokens, JsonNode schema,
                  Integer seed, List<ImageRef> images) {
    }

    /** Scores read from an answer, in the order shown; empty when the answer cannot be read. */
    record Reading(List<Double> scores, Map<String, Double> aspects) {
        static final Reading NONE = new Reading(List.of(), Map.of());

        boolean ok() {
            return !scores.isEmpty();
        }
    }

    private final JudgeScorer.JudgeSettings settings;

    JudgeRequests(JudgeScorer.JudgeSettings settings) {
        this.settings = settings;
    }

    /**
     * The prompt of a task: one response, or all of them shuffled (seeded by the instruction;
     * with {@code --orders 2} the odd samples show them in the opposite order).
     */
    Prompt prompt(ScoreTask task) {
        Integer seed = settings.seed() == null ? null : settings.seed() + task.sample();
        // A conversation is shown as its role-tagged turns where a plain prompt's text goes.
        String instruction = task.isConversation() ? Rubric.transcript(task.turns()) : task.prompt();
        if (!settings.allPerCall()) {
            ScoreTask.Target target = task.responses().get(0);
            String template = template(settings.aspects() ? settings.rubric().aspects() : settings.rubric().one(),
                    task);
            return new Prompt(Rubric.fill(template, instruction, target.text()), List.of(target), null,
                    settings.maxTokens(), schema(), seed, task.images());
        }
        List<ScoreTask.Target> shown = new ArrayList<>(task.responses());
        // Seeded by the instruction: the same order on every rerun, unrelated to the data's order.
        Collections.shuffle(shown, new Random(task.promptHash().hashCode()));
        if (task.sample() % settings.orders() == 1) {
            Collections.reverse(shown); // the opposite order, so that position bias averages out
        }
        StringBuilder listing = new StringBuilder();
        for (int i = 0; i < shown.size(); i++) {
            listing.append("[Response ").append(i + 1).append("]\n").append(shown.get(i).text()).append("\n\n");
        }
        String order = shown.stream().map(t -> Integer.toString(t.position())).collect(Collectors.joining(","));
        String user = Rubric.fill(template(settings.rubric().all(), task), instruction, listing.toString().strip());
        return new Prompt(user, List.copyOf(shown), order, settings.maxTokens() * shown.size(), schema(), seed,
                task.images());
    }

    private static String template(String template, ScoreTask task) {
        return task.isConversation() ? Rubric.forConversation(template) : template;
    }

    /**
     * The first messages of a call: the rubric's system message and the prompt, whose images
     * follow its text as OpenAI vision {@code image_url} parts (see {@link ImageParts}).
     */
    List<ObjectNode> messages(Prompt prompt) {
        List<ObjectNode> messages = new ArrayList<>();
        messages.add(message("system", settings.rubric().system()));
        messages.add(prompt.images().isEmpty() ? message("user", prompt.user())
                : ImageParts.userMessage(prompt.user(), prompt.images()));
        return messages;
    }

    /** The chat-completions request body for these messages, asking for JSON in the given way. */
    ObjectNode body(List<ObjectNode> messages, Prompt prompt, JudgeScorer.Format format) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", settings.model());
        ArrayNode list = body.putArray("messages");
        messages.forEach(list::add);
        body.put("temperature", settings.temperature());
        body.put("max_tokens", prompt.maxTokens());
        if (prompt.seed() != null) {
            body.put("seed", prompt.seed());
        }
        if (settings.logprobs() != JudgeScorer.Logprobs.OFF) {
            body.put("logprobs", true);
            body.put("top_logprobs", TOP_LOGPROBS);
        }
        JsonNode schema = prompt.schema();
        if (format == JudgeScorer.Format.JSON_SCHEMA) {
            ObjectNode rf = body.putObject("response_format");
            rf.put("type", "json_schema");
            ObjectNode js = rf.putObject("json_schema");
            js.put("name", "alignment_score");
            js.put("strict", true);
            js.set("schema", schema);
        } else if (format == JudgeScorer.Format.JSON_OBJECT) {
            body.putObject("response_format").put("type", "json_object");
        }
        return body;
    }

    /** Reads the scores of an answer to a prompt. */
    Reading read(Prompt prompt, String content) {
        if (settings.allPerCall()) {
            List<Double> scores = JudgeReply.scores(content, prompt.shown().size());
            return scores.isEmpty() ? Reading.NONE : new Reading(scores, Map.of());
        }
        if (settings.aspects()) {
            Map<String, Double> aspects = JudgeReply.aspects(content, Rubric.ASPECTS);
            if (aspects.isEmpty()) {
                return Reading.NONE;
            }
            double mean = aspects.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            return new Reading(List.of(mean), aspects);
        }
        OptionalDouble score = JudgeReply.score(content);
        return score.isEmpty() ? Reading.NONE : new Reading(List.of(score.getAsDouble()), Map.of());
    }

    /**
     * One outcome per response shown: the scores read, or failures with the raw answer. With
     * {@code --logprobs}, a score read is replaced by the expected score over the judge's
     * log-probabilities at the score's token, with its spread; where those cannot be read, the
     * score fails ({@code on}) or keeps its plain value marked {@code logprobs-fallback}
     * ({@code auto}).
     *
     * @param answer the whole chat answer (for its log-probabilities), or null
     * @param note   added to the failure reason (empty for live calls)
     */
    List<ScoreOutcome> outcomes(Prompt prompt, Reading reading, String content, JsonNode answer, Usage usage,
                                long latencyMs, int attempts, String note) {
        int n = prompt.shown().size();
        String reason = settings.allPerCall() ? "the judge's answer does not hold " + n + " scores from 1 to 10"
                : "the judge's answer has no score from 1 to 10";
        List<LogprobScores.ParsedDistribution> weighted = null;
        JudgeScorer.Logprobs mode = settings.logprobs();
        if (reading.ok() && mode != JudgeScorer.Logprobs.OFF) {
            weighted = LogprobScores.present(answer) ? LogprobScores.read(answer, content, n)
                    : java.util.Collections.nCopies(n, LogprobScores.ParsedDistribution.problem(NO_LOGPROBS));
        }
        List<ScoreOutcome> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ScoreTask.Target t = prompt.shown().get(i);
            Usage share = usage.share(n, i);
            ScoreOutcome o = reading.ok()
                    ? ScoreOutcome.ok(t.position(), reading.scores().get(i), content, share, latencyMs, attempts)
                            .withAspects(reading.aspects())
                    : ScoreOutcome.failed(t.position(), reason + note, content, share, latencyMs, attempts);
            if (weighted != null) {
                LogprobScores.ParsedDistribution w = weighted.get(i);
                if (w != null && w.ok()) {
                    o = o.withMethod(w.distribution().mean(), w.distribution().spread(), ScoreOutcome.LOGPROBS);
                } else if (mode == JudgeScorer.Logprobs.AUTO) {
                    o = o.withMethod(o.value(), Double.NaN, ScoreOutcome.LOGPROBS_FALLBACK);
                } else {
                    String why = w == null ? "the log-probabilities do not cover this response's score" : w.problem();
                    o = ScoreOutcome.failed(t.position(), "--logprobs on: " + why + note, content, share, latencyMs,
                            attempts);
                }
            }
            out.add(o.withCallOrder(prompt.callOrder()));
        }
        return out;
    }

    /** Why a score has no distribution when the server sent no log-probabilities. */
    static final String NO_LOGPROBS = "the server returned no log-probabilities (choices[0].logprobs.content is"
            + " missing or empty) although the request asked for them (logprobs: true)";

    /** Tokens of an answer, costed at the given price; a count out of range fails the call. */
    static Usage usage(JsonNode answer, org.admap.score.Pricing pricing) throws ApiException {
        JsonNode u = answer.path("usage");
        long in = Usage.reportedTokens(u, "prompt_tokens", 0);
        long out = Usage.reportedTokens(u, "completion_tokens", 0);
        return new Usage(in, out, pricing.cost(in, out));
    }

    /** The text of an answer's first choice, or null when it has none. */
    static String content(JsonNode answer) {
        JsonNode content = answer.path("choices").path(0).path("message").path("content");
        return content.isTextual() ? content.asText() : null;
    }

    /** The JSON schema of the answer (one response: an object with a score; all: a list of them). */
    private JsonNode schema() {
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
            ArrayNode itemRequired = item.putArray("required").add("response");
            if (settings.rationale() != JudgeScorer.Rationale.NONE) {
                ip.putObject("rationale").put("type", "string");
                itemRequired.add("rationale");
            }
            ip.putObject("score").put("type", "integer");
            itemRequired.add("score");
            item.put("additionalProperties", false);
            required.add("scores");
        } else {
            if (settings.rationale() != JudgeScorer.Rationale.NONE) {
                props.putObject("rationale").put("type", "string");
                required.add("rationale");
            }
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

    static ObjectNode message(String role, String content) {
        ObjectNode m = JSON.createObjectNode();
        m.put("role", role);
        m.put("content", content);
        return m;
    }
}
