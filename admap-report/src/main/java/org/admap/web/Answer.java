package org.admap.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.admap.internal.json.Json;

/**
 * One answer of the viewer: status, content type, body and extra headers, built by a
 * handler and sent by {@link AnswerSender}.
 */
record Answer(int status, String type, byte[] body, Map<String, String> headers) {

    /** The viewer's JSON mapper (thread-safe once configured; it is never reconfigured). */
    static final ObjectMapper JSON = Json.MAPPER;
    static final String JSON_TYPE = "application/json; charset=utf-8";

    static Answer json(int status, Object value) throws IOException {
        return new Answer(status, JSON_TYPE, JSON.writeValueAsBytes(value), Map.of());
    }

    /** JSON bytes written already (a cached map, an item). */
    static Answer jsonBytes(byte[] body, Map<String, String> headers) {
        return new Answer(200, JSON_TYPE, body, headers);
    }

    static Answer error(int status, String message) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", message);
        return json(status, o);
    }

    /** A page asset: revalidated on every load, so a new build is never served stale. */
    static Answer asset(String type, String text) {
        return new Answer(200, type, text.getBytes(StandardCharsets.UTF_8), Map.of("Cache-Control", "no-cache"));
    }
}
