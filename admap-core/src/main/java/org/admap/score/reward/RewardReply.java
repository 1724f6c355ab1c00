package org.admap.score.reward;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.admap.score.ScoringAbortedException;

/**
 * Reads the reward out of a reward server's answer. Package-private: the scorer's business.
 */
final class RewardReply {

    private RewardReply() {
    }

    /** A reward, or why the answer holds none. */
    record Parsed(double value, String problem) {

        /** Rewards are logits: beyond this a value is a broken answer, and would wreck every variance. */
        static final double MAX_ABS = 1e6;

        static Parsed of(double value) {
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                return problem("the reward is not a finite number (" + value + ")");
            }
            if (Math.abs(value) > MAX_ABS) {
                return problem("the reward " + value + " is out of any reward model's scale (|reward| > 1e6)");
            }
            return new Parsed(value, null);
        }

        static Parsed problem(String problem) {
            return new Parsed(Double.NaN, problem);
        }

        boolean ok() {
            return problem == null;
        }
    }

    /**
     * vLLM's pooling answer: {@code data[0].data} is the reward head's output. It is a number,
     * a list of numbers (one per class, or one per token with a single class: the last is
     * taken), or a list of per-token lists (the last token's last value is taken: a reward
     * model's score sits on the final token).
     */
    static Parsed vllm(JsonNode answer) {
        JsonNode data = answer.path("data");
        if (!data.isArray() || data.isEmpty()) {
            return Parsed.problem("the pooling answer has no data[0]");
        }
        JsonNode value = data.get(0).path("data");
        while (value.isArray()) {
            if (value.isEmpty()) {
                return Parsed.problem("the pooling answer's data[0].data is an empty list");
            }
            value = value.get(value.size() - 1);
        }
        if (!value.isNumber()) {
            return Parsed.problem("the pooling answer's data[0].data holds no number");
        }
        return Parsed.of(value.asDouble());
    }

    /**
     * TEI's {@code /predict} answer for one input: a list of {@code {"score", "label"}}, sorted
     * by score, highest first (so "the first" names a different label from one response to the
     * next: the label is chosen by name). With one label, that one; with several, {@code label}
     * must name one.
     *
     * @throws ScoringAbortedException when the label cannot be chosen: every call would fail
     */
    static Parsed tei(JsonNode answer, String label) {
        JsonNode list = answer;
        if (list.isArray() && !list.isEmpty() && list.get(0).isArray()) {
            list = list.get(0); // a batch of one
        }
        if (!list.isArray() || list.isEmpty()) {
            return Parsed.problem("the /predict answer is not a list of {score, label}");
        }
        List<String> labels = new ArrayList<>();
        for (JsonNode p : list) {
            labels.add(p.path("label").asText());
        }
        JsonNode chosen = null;
        if (label != null) {
            for (JsonNode p : list) {
                if (label.equals(p.path("label").asText())) {
                    chosen = p;
                }
            }
            if (chosen == null) {
                throw new ScoringAbortedException("the reward model has no label '" + label + "' (its labels: "
                        + String.join(", ", labels) + "): fix --reward-label");
            }
        } else if (list.size() == 1) {
            chosen = list.get(0);
        } else {
            throw new ScoringAbortedException("the reward model answers with " + list.size() + " labels ("
                    + String.join(", ", labels) + "): name the one that is the reward with --reward-label");
        }
        JsonNode score = chosen.path("score");
        if (!score.isNumber()) {
            return Parsed.problem("the /predict answer's score is not a number");
        }
        return Parsed.of(score.asDouble());
    }
}
