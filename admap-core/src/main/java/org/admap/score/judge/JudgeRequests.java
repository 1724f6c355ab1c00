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
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.Usage;
import org.admap.score.http.ApiException;

/**
 * The judge's chat requests and the reading of its answers, shared by live calls and Batch
 * API lines so that both send the same body for the same task and turn the same answer
 * into the same scores.
 */
final class JudgeRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What one call asks.
     *
     * @param user      the user message
     * @param shown     the responses in the order the judge sees them
     * @param callOrder that order as response positions ("2,0,3,1") when one call rates several, else null
     * @param maxTokens the answer's token limit
     * @param schema    the JSON schema of the answer
     */
    record Prompt(String user, List<ScoreTask.Target> shown, String callOrder, int maxTokens, JsonNode schema) {
    }

    /** Scores read from an answer, in the order shown; empty when the answer cannot be read. */
    record Reading(List<Double> scores, Map<String, Double> aspects) {
        static final Reading NONE = new Reading(List.of(), Map.of());

        boolean ok() {
            return !scores.isEmpty();
        }
    }

    private final JudgeScorer.Settings settings;

    JudgeRequests(JudgeScorer.Settings settings) {
        this.settings = settings;
    }

    /** The prompt of a task: one response, or all of them shuffled (seeded by the instruction). */
    Prompt prompt(ScoreTask task) {
        if (!settings.allPerCall()) {
            ScoreTask.Target target = task.responses().get(0);
            String template = settings.aspects() ? settings.rubric().aspects() : settings.rubric().one();
            return new Prompt(Rubric.fill(template, task.prompt(), target.text()), List.of(target), null,
                    settings.maxTokens(), schema());
        }
        List<ScoreTask.Target> shown = new ArrayList<>(task.responses());
        // Seeded by the instruction: the same order on every rerun, unrelated to the data's order.
        Collections.shuffle(shown, new Random(task.promptHash().hashCode()));
        StringBuilder listing = new StringBuilder();
        for (int i = 0; i < shown.size(); i++) {
            listing.append("[Response ").append(i + 1).append("]\n").append(shown.get(i).text()).append("\n\n");
        }
        String order = shown.stream().map(t -> Integer.toString(t.position())).collect(Collectors.joining(","));
        String user = Rubric.fill(settings.rubric().all(), task.prompt(), listing.toString().strip());
        return new Prompt(user, List.copyOf(shown), order, settings.maxTokens() * shown.size(), schema());
    }

    /** The first messages of a call: the rubric's system message and the prompt. */
    List<ObjectNode> messages(Prompt prompt) {
        List<ObjectNode> messages = new ArrayList<>();
        messages.add(message("system", settings.rubric().system()));
        messages.add(message("user", prompt.user()));
        return messages;
    }

    /** The chat-completions request body for these messages, asking for JSON in the given way. */
    ObjectNode body(List<ObjectNode> messages, int maxTokens, JsonNode schema, JudgeScorer.Format format) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", settings.model());
        ArrayNode list = body.putArray("messages");
        messages.forEach(list::add);
        body.put("temperature", settings.temperature());
        body.put("max_tokens", maxTokens);
        if (settings.seed() != null) {
            body.put("seed", settings.seed());
        }
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
     * One outcome per response shown: the scores read, or failures with the raw answer.
     *
     * @param note added to the failure reason (empty for live calls)
     */
    List<ScoreOutcome> outcomes(Prompt prompt, Reading reading, String content, Usage usage, long latencyMs,
                                int attempts, String note) {
        int n = prompt.shown().size();
        String reason = settings.allPerCall() ? "the judge's answer does not hold " + n + " scores from 1 to 10"
                : "the judge's answer has no score from 1 to 10";
        List<ScoreOutcome> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ScoreTask.Target t = prompt.shown().get(i);
            Usage share = usage.share(n, i);
            ScoreOutcome o = reading.ok()
                    ? ScoreOutcome.ok(t.position(), reading.scores().get(i), content, share, latencyMs, attempts)
                            .withAspects(reading.aspects())
                    : ScoreOutcome.failed(t.position(), reason + note, content, share, latencyMs, attempts);
            out.add(o.withCallOrder(prompt.callOrder()));
        }
        return out;
    }

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

    static ObjectNode message(String role, String content) {
        ObjectNode m = JSON.createObjectNode();
        m.put("role", role);
        m.put("content", content);
        return m;
    }
}
