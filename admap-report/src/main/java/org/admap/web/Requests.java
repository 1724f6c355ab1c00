package org.admap.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a request says, strictly: its query (each parameter once, known to the
 * endpoint, numbers whole and in range) and its JSON body (an object with known fields, item
 * keys that fit an int). A typo or an overflow is a 400 with a message, never a default.
 */
final class Requests {

    private static final int MAX_BODY = 64 << 20;
    /** The query parameters each GET endpoint takes; the others take none. */
    private static final Map<String, List<String>> PARAMETERS = Map.of(
            "/", List.of(ViewerAccess.TOKEN_PARAMETER),
            "/api/item", List.of("key"),
            "/api/search", List.of("q"),
            "/api/flags", List.of("page", "size", "reason"));

    private Requests() {
    }

    static JsonNode readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new BadRequest(413, "request too large");
            }
            try {
                return Answer.JSON.readTree(body);
            } catch (IOException e) {
                throw new BadRequest(400, "the body is not JSON: " + e.getMessage());
            }
        }
    }

    static Map<String, String> query(URI uri) throws BadRequest {
        Map<String, String> q = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String part : raw.split("&", -1)) {
            int eq = part.indexOf('=');
            String k;
            String v;
            try {
                k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
                v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadRequest(400, "the query is not URL-encoded: " + e.getMessage());
            }
            if (q.put(k, v) != null) {
                throw new BadRequest(400, "parameter '" + k + "' is given twice");
            }
        }
        return q;
    }

    /** Refuses a parameter the endpoint does not take (a typo must not pass as the default). */
    static void checkParameters(String path, Map<String, String> query) throws BadRequest {
        List<String> known = PARAMETERS.getOrDefault(path, List.of());
        for (String name : query.keySet()) {
            if (!known.contains(name)) {
                throw new BadRequest(400, "unknown parameter '" + name + "' for " + path
                        + (known.isEmpty() ? " (it takes none)" : " (it takes " + String.join(", ", known) + ")"));
            }
        }
    }

    /** A whole-number parameter in {@code min..max}; {@code otherwise} when it is absent. */
    static int intParam(Map<String, String> query, String name, int otherwise, int min, int max)
            throws BadRequest {
        String text = query.get(name);
        if (text == null) {
            return otherwise;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "parameter '" + name + "' must be a whole number, got '" + abbreviate(text)
                    + "'");
        }
        if (value < min || value > max) {
            throw new BadRequest(400, "parameter '" + name + "' must be in " + min + ".." + max + ", got " + value);
        }
        return (int) value;
    }

    /** The {@code key} parameter: a whole number from 0. */
    static int keyParam(String text) throws BadRequest {
        if (text == null) {
            throw new BadRequest(400, "parameter 'key' is missing (/api/item?key=K)");
        }
        return intParam(Map.of("key", text), "key", 0, 0, Integer.MAX_VALUE);
    }

    /** An item key in a JSON body: a whole number from 0 that fits, never wrapped or rounded. */
    static int keyValue(JsonNode node, String field) throws BadRequest {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0) {
            throw new BadRequest(400, "'" + field + "' must hold item keys (whole numbers from 0), got "
                    + abbreviate(String.valueOf(node)));
        }
        return node.asInt();
    }

    /** Refuses a JSON body that is not an object or has a field the endpoint does not know. */
    static void checkFields(JsonNode body, String... fields) throws BadRequest {
        if (!body.isObject()) {
            throw new BadRequest(400, "the body must be a JSON object");
        }
        List<String> known = List.of(fields);
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new BadRequest(400, "unknown field '" + abbreviate(name) + "' (known: " + String.join(", ", known)
                        + ")");
            }
        }
    }

    static String textField(JsonNode body, String field, String otherwise) throws BadRequest {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return otherwise;
        }
        if (!node.isTextual()) {
            throw new BadRequest(400, "'" + field + "' must be a string, got " + abbreviate(node.toString()));
        }
        return node.asText();
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
