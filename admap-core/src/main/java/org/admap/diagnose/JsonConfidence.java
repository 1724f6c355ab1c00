package org.admap.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.admap.internal.json.Json;

/** {@link ScoreConfidence#JSON_FIELD}: a top-level {@code "confidence"} in [0, 1] of a JSON answer. */
final class JsonConfidence {

    private static final ObjectMapper JSON = Json.MAPPER;

    private JsonConfidence() {
    }

    static double read(String raw) {
        if (raw == null) {
            return Double.NaN;
        }
        int open = raw.indexOf('{');
        int close = raw.lastIndexOf('}');
        if (open < 0 || close < open) {
            return Double.NaN;
        }
        try {
            JsonNode c = JSON.readTree(raw.substring(open, close + 1)).get("confidence");
            if (c == null || !c.isNumber()) {
                return Double.NaN;
            }
            double v = c.asDouble();
            return v >= 0 && v <= 1 ? v : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
