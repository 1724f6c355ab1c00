package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.admap.model.Response;
import org.admap.model.SourceLocation;

/**
 * Typed access to the fields of one row, turning every problem into an
 * {@link IngestException} that names the file, line and field path.
 *
 * <p>Numbers are accepted as JSON numbers or as numeric strings (CSV cells, and JSON
 * written by tools that quote everything). NaN and infinities are rejected: a score that
 * is not a number would silently poison a mean.
 */
final class RowFields {

    private final SourceLocation location;

    RowFields(SourceLocation location) {
        this.location = location;
    }

    SourceLocation location() {
        return location;
    }

    IngestException error(String path, String problem) {
        return new IngestException(location, path, problem);
    }

    /** Follows a dotted path ({@code annotations.helpfulness.Rating}); missing parts give null. */
    static JsonNode at(JsonNode node, String dottedPath) {
        JsonNode current = node;
        if (current != null && current.has(dottedPath)) {
            return current.get(dottedPath); // a field whose name itself contains dots
        }
        for (String part : dottedPath.split("\\.")) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(part);
        }
        return current;
    }

    static boolean isAbsent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }

    /**
     * The largest score or label magnitude read: the map squares scores (variance), and
     * beyond this a square overflows to Infinity in map.csv.
     */
    static final double MAX_MAGNITUDE = 1e150;

    /**
     * A required string field: a prompt or a response. A number or a boolean is refused (a
     * typed column, Parquet's integers, would otherwise become text silently).
     */
    String requireText(JsonNode parent, String name, String path) {
        JsonNode value = at(parent, name);
        if (isAbsent(value)) {
            throw error(path, "missing");
        }
        if (value.isNumber() || value.isBoolean()) {
            throw error(path, "expected a text, got " + describe(value));
        }
        return text(value, path);
    }

    /** A required id: a string, or a number turned into its text. */
    String requireId(JsonNode parent, String name, String path) {
        JsonNode value = at(parent, name);
        if (isAbsent(value)) {
            throw error(path, "missing");
        }
        return text(value, path);
    }

    /** An optional string field: null when absent. Numbers are turned into their text. */
    String optionalText(JsonNode parent, String name, String path) {
        JsonNode value = at(parent, name);
        return isAbsent(value) ? null : text(value, path);
    }

    /**
     * An optional id: null when absent or blank, so that the caller derives one. A CSV
     * cannot leave a cell out, and an empty id cell means "no id", not the id "".
     */
    String optionalId(JsonNode parent, String name, String path) {
        String id = optionalText(parent, name, path);
        return id == null || id.isBlank() ? null : id;
    }

    String text(JsonNode value, String path) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        throw error(path, "expected a string, got " + describe(value));
    }

    /**
     * A reference answer from a field: a string, or the first non-empty string of a list
     * (UltraFeedback's {@code correct_answers}); null when absent or empty.
     */
    String optionalReference(JsonNode parent, String name) {
        JsonNode value = at(parent, name);
        if (isAbsent(value)) {
            return null;
        }
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                JsonNode e = value.get(i);
                if (e.isTextual() && !e.textValue().isBlank()) {
                    return e.textValue();
                }
            }
            return null;
        }
        String text = text(value, name);
        return text.isBlank() ? null : text;
    }

    /** An optional number: {@link Response#ABSENT} when the field is missing or null. */
    double optionalNumber(JsonNode parent, String name, String path) {
        JsonNode value = at(parent, name);
        return isAbsent(value) ? Response.ABSENT : number(value, path);
    }

    /** A required number. */
    double requireNumber(JsonNode parent, String name, String path) {
        JsonNode value = at(parent, name);
        if (isAbsent(value)) {
            throw error(path, "missing");
        }
        return number(value, path);
    }

    /**
     * Reads a number, from a JSON number or a numeric string. {@code "N/A"} and the empty
     * string, common in rating columns, read as absent.
     */
    double number(JsonNode value, String path) {
        double d;
        if (value.isNumber()) {
            d = value.doubleValue();
        } else if (value.isTextual()) {
            String s = value.textValue().trim();
            if (s.isEmpty() || s.equalsIgnoreCase("N/A") || s.equalsIgnoreCase("NA")) {
                return Response.ABSENT;
            }
            try {
                d = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw error(path, "expected a number, got " + describe(value));
            }
        } else if (value.isBoolean()) {
            throw error(path, "expected a number, got a boolean (" + value.asText() + ")");
        } else {
            throw error(path, "expected a number, got " + describe(value));
        }
        if (Double.isNaN(d)) {
            throw error(path, "is NaN; a score must be a number (leave the field out or null when there is none)");
        }
        if (Double.isInfinite(d)) {
            throw error(path, "is infinite; a score must be finite");
        }
        if (Math.abs(d) > MAX_MAGNITUDE) {
            throw error(path, "is " + d + ": beyond +-1e150, whose square (the map's variance) overflows");
        }
        return d;
    }

    /** A required array field; a JSON string holding an array (a CSV cell) is parsed. */
    JsonNode requireArray(JsonNode parent, String name, String path) {
        JsonNode value = at(parent, name);
        if (isAbsent(value)) {
            throw error(path, "missing");
        }
        if (value.isTextual() && value.textValue().trim().startsWith("[")) {
            try {
                value = JsonSupport.MAPPER.readTree(value.textValue());
            } catch (IOException e) {
                throw error(path, "holds malformed JSON: " + JsonSupport.shortMessage(e));
            }
        }
        if (!value.isArray()) {
            throw error(path, "expected a list, got " + describe(value));
        }
        return value;
    }

    /** A short description of a JSON value for error messages, never the whole of a long text. */
    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        if (value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            String s = value.textValue();
            // Cut at 40 code points, never inside a surrogate pair, and keep the message on one line.
            String shown = s.length() > 40 && s.codePointCount(0, s.length()) > 40
                    ? s.substring(0, s.offsetByCodePoints(0, 40)) + "..." : s;
            return "\"" + shown.replace("\r", "\\r").replace("\n", "\\n") + "\"";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isObject()) {
            return "an object";
        }
        return value.asText();
    }
}
