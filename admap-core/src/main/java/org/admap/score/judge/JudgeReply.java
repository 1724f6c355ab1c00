package org.admap.score.judge;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads scores out of a judge's answer, tolerantly: servers without structured outputs wrap
 * JSON in code fences, add prose around it, write single quotes or trailing commas. What
 * cannot be read as a score in [1, 10] is not guessed: the caller asks again, then records
 * a failure.
 */
final class JudgeReply {

    static final double MIN = 1;
    static final double MAX = 10;

    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();
    private static final Pattern SCORE_FIELD = Pattern.compile(
            "\"?score\"?\\s*[:=]\\s*\"?(-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)");

    private JudgeReply() {
    }

    /** The single score of an answer, if it has one in range. */
    static OptionalDouble score(String content) {
        JsonNode json = json(content);
        if (json != null && json.isObject()) {
            OptionalDouble written = plain(json.get("score"));
            if (written.isPresent()) {
                // The verdict is this number; one out of scale is refused, not replaced by a
                // "score: n" found in the answer's reasoning.
                return number(json.get("score"));
            }
        }
        Matcher m = SCORE_FIELD.matcher(content == null ? "" : content);
        if (m.find()) {
            double v = Double.parseDouble(m.group(1));
            if (v >= MIN && v <= MAX) {
                return OptionalDouble.of(v);
            }
        }
        return OptionalDouble.empty();
    }

    /** Aspect scores, all of them or none. */
    static Map<String, Double> aspects(String content, List<String> names) {
        JsonNode json = json(content);
        if (json == null || !json.isObject()) {
            return Map.of();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : names) {
            OptionalDouble v = number(json.get(name));
            if (v.isEmpty()) {
                return Map.of();
            }
            out.put(name, v.getAsDouble());
        }
        return out;
    }

    /** The scores of n responses in the order shown, or an empty list when not exactly n can be read. */
    static List<Double> scores(String content, int n) {
        JsonNode json = json(content);
        JsonNode list = json == null ? null : json.isArray() ? json : json.get("scores");
        if (list == null || !list.isArray() || list.size() != n) {
            return List.of();
        }
        Double[] byPosition = new Double[n];
        for (int i = 0; i < n; i++) {
            JsonNode e = list.get(i);
            OptionalDouble v = e.isObject() ? number(e.get("score")) : number(e);
            if (v.isEmpty()) {
                return List.of();
            }
            int shown = i;
            if (e.isObject() && e.has("response")) {
                OptionalDouble idx = plain(e.get("response"));
                if (idx.isPresent()) {
                    shown = (int) idx.getAsDouble() - 1;
                }
            }
            if (shown < 0 || shown >= n || byPosition[shown] != null) {
                return List.of();
            }
            byPosition[shown] = v.getAsDouble();
        }
        List<Double> out = new ArrayList<>(n);
        for (Double d : byPosition) {
            out.add(d);
        }
        return out;
    }

    /** The first JSON value in the text, after code fences and prose are stripped. */
    static JsonNode json(String content) {
        if (content == null) {
            return null;
        }
        String s = content.strip();
        int fence = s.indexOf("```");
        if (fence >= 0) {
            int start = s.indexOf('\n', fence);
            int end = s.indexOf("```", fence + 3);
            if (start > 0 && end > start) {
                s = s.substring(start + 1, end).strip();
            }
        }
        int open = firstOf(s, '{', '[');
        if (open < 0) {
            return null;
        }
        char close = s.charAt(open) == '{' ? '}' : ']';
        int last = s.lastIndexOf(close);
        if (last <= open) {
            return null;
        }
        try {
            return LENIENT.readTree(s.substring(open, last + 1));
        } catch (Exception e) {
            return null;
        }
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) {
            return j;
        }
        return j < 0 ? i : Math.min(i, j);
    }

    private static OptionalDouble number(JsonNode v) {
        OptionalDouble d = plain(v);
        return d.isPresent() && d.getAsDouble() >= MIN && d.getAsDouble() <= MAX ? d : OptionalDouble.empty();
    }

    private static OptionalDouble plain(JsonNode v) {
        if (v == null) {
            return OptionalDouble.empty();
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
        }
        if (v.isTextual()) {
            try {
                double d = Double.parseDouble(v.textValue().strip());
                return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
            } catch (NumberFormatException e) {
                return OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }
}
