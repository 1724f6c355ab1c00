package org.admap.internal.score.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A successful (2xx) answer.
 *
 * @param status    the HTTP status
 * @param json      the body parsed as JSON, or null for non-JSON bodies (file downloads)
 * @param body      the body as text (redacted), for raw-output provenance
 * @param attempts  attempts it took, retries included
 * @param latencyMs wall time from the first attempt to the answer
 */
public record ApiResponse(int status, JsonNode json, String body, int attempts, long latencyMs) {
}
