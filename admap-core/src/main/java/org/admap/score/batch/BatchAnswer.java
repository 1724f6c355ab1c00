package org.admap.score.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Set;

/**
 * One line of a batch's output or error file: the request it answers, and either the body
 * of its answer or why there is none.
 *
 * @param id     the request's custom id
 * @param body   the answer's body (status 200); null when it failed
 * @param error  why it failed ("code: message", or "HTTP status: message"); null when answered
 * @param notRun whether the batch ended before the request ran: pending again, not failed
 * @param raw    the line itself, kept with a failed score
 */
record BatchAnswer(CustomId id, JsonNode body, String error, boolean notRun, String raw) {

    /** Error codes of requests a batch did not run before it ended. */
    private static final Set<String> NOT_RUN = Set.of("batch_expired", "batch_cancelled");

    /** The answer a line holds; null for a line that is not JSON or has no admap custom id. */
    static BatchAnswer parse(String line) {
        JsonNode n;
        try {
            n = BatchApi.JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
        CustomId id = CustomId.parse(n.path("custom_id").asText(null));
        if (id == null) {
            return null;
        }
        JsonNode error = n.path("error");
        JsonNode response = n.path("response");
        int status = response.path("status_code").asInt(-1);
        if (status == 200 && response.path("body").isObject()) {
            return new BatchAnswer(id, response.path("body"), null, false, line);
        }
        if (error.isObject()) {
            String code = error.path("code").asText("");
            return new BatchAnswer(id, null, (code.isEmpty() ? "" : code + ": ") + error.path("message").asText(""),
                    NOT_RUN.contains(code), line);
        }
        JsonNode message = response.path("body").path("error").path("message");
        return new BatchAnswer(id, null, "HTTP " + status + (message.isTextual() ? ": " + message.asText() : ""),
                false, line);
    }
}
