package org.admap.score.judge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the judge's score distributions out of a chat answer's log-probabilities
 * ({@code choices[0].logprobs.content[]}: one entry per generated token with its
 * {@code token}, {@code bytes}, {@code logprob} and {@code top_logprobs[]}).
 *
 * <p>The score token is found by its <b>position in the structured answer</b>, never by
 * searching the text for a digit (a rationale full of digits must not be read): the answer
 * is parsed as JSON, the value of the {@code score} field (or of each
 * {@code scores[i].score} for several responses per call) is located by its character
 * offset, and the generated token covering that offset is found by adding up the tokens'
 * UTF-8 bytes. The alternatives at that position ({@code top_logprobs}) that read as a
 * score, with the same text before the number as the chosen token, are the distribution.
 *
 * <p>The scale's two-digit score, 10 (docs/scoring-trust.md): a tokenizer that writes numbers
 * as whole tokens (OpenAI's, Llama 3's, Qwen's) has a token "10" among the alternatives, read
 * as 10. A tokenizer that writes digits one by one (Llama 2, Mistral) writes 10 as "1" then
 * "0": when the chosen token ends in the digit 1 right where the number could go on, the next
 * position's alternatives split its probability between 1 (a token that does not start with
 * a digit) and 10 (a token starting with "0"); 11 to 19 are outside the scale and dropped.
 * An alternative "1" that was not chosen cannot be split (its continuation was never
 * generated) and counts as 1.
 */
final class LogprobScores {

    private static final JsonFactory LENIENT = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();

    /**
     * The distribution of one score, or why there is none.
     *
     * @param distribution null when it could not be read
     * @param problem      why not (null when read)
     */
    record ParsedDistribution(ScoreDistribution distribution, String problem) {
        boolean ok() {
            return distribution != null;
        }

        static ParsedDistribution problem(String why) {
            return new ParsedDistribution(null, why);
        }
    }

    /** One generated token. */
    private record Token(byte[] bytes, double logprob, List<Alternative> top, int start) {
        int end() {
            return start + bytes.length;
        }
    }

    private record Alternative(String text, double logprob) {
    }

    /** Where a score's value sits in the answer text, and the response it belongs to (or -1). */
    private record Located(int charStart, String text, int response) {
    }

    private LogprobScores() {
    }

    /** Whether an answer carries log-probabilities of its content at all. */
    static boolean present(JsonNode answer) {
        JsonNode content = answer == null ? null : answer.path("choices").path(0).path("logprobs").path("content");
        return content != null && content.isArray() && !content.isEmpty();
    }

    /**
     * The distributions of the scores of an answer, in the order shown.
     *
     * @param answer  the chat-completions answer (with {@link #present log-probabilities})
     * @param content its message content
     * @param n       the number of responses shown (1 for one response per call)
     * @return n results, or n copies of the one problem that concerns them all
     */
    static List<ParsedDistribution> read(JsonNode answer, String content, int n) {
        List<Token> tokens;
        try {
            tokens = tokens(answer.path("choices").path(0).path("logprobs").path("content"));
        } catch (IllegalArgumentException e) {
            return all(n, "malformed log-probabilities: " + e.getMessage());
        }
        byte[] text = content.getBytes(StandardCharsets.UTF_8);
        byte[] spelled = spelled(tokens);
        int common = 0;
        while (common < spelled.length && common < text.length && spelled[common] == text[common]) {
            common++;
        }
        if (common < spelled.length) {
            return all(n, "malformed log-probabilities: their tokens do not spell the answer (they differ at byte "
                    + common + ")");
        }
        List<Located> located = locate(content, n);
        if (located == null) {
            return all(n, "the answer's score field" + (n > 1 ? "s" : "") + " could not be located in its JSON");
        }
        List<ParsedDistribution> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(null);
        }
        for (int i = 0; i < located.size(); i++) {
            Located l = located.get(i);
            int shown = l.response() >= 0 ? l.response() : i;
            int byteStart = content.substring(0, l.charStart()).getBytes(StandardCharsets.UTF_8).length;
            out.set(shown, distribution(tokens, byteStart, l.text(), spelled.length));
        }
        return out;
    }

    private static List<ParsedDistribution> all(int n, String problem) {
        List<ParsedDistribution> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(ParsedDistribution.problem(problem));
        }
        return out;
    }

    private static List<Token> tokens(JsonNode content) {
        List<Token> tokens = new ArrayList<>();
        int offset = 0;
        for (JsonNode t : content) {
            byte[] bytes = bytes(t);
            JsonNode lp = t.get("logprob");
            if (lp == null || !lp.isNumber()) {
                throw new IllegalArgumentException("token " + tokens.size() + " has no numeric logprob");
            }
            List<Alternative> top = new ArrayList<>();
            JsonNode list = t.path("top_logprobs");
            if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
                throw new IllegalArgumentException("token " + tokens.size() + ": top_logprobs is not a list");
            }
            for (JsonNode a : list) {
                JsonNode alp = a.get("logprob");
                if (alp == null || !alp.isNumber()) {
                    throw new IllegalArgumentException("token " + tokens.size() + ": an alternative has no logprob");
                }
                top.add(new Alternative(new String(bytes(a), StandardCharsets.UTF_8), alp.doubleValue()));
            }
            tokens.add(new Token(bytes, lp.doubleValue(), top, offset));
            offset += bytes.length;
        }
        return tokens;
    }

    /** A token's UTF-8 bytes: its {@code bytes} when given (a character may be split over tokens), else its text. */
    private static byte[] bytes(JsonNode t) {
        JsonNode b = t.get("bytes");
        if (b != null && b.isArray()) {
            byte[] out = new byte[b.size()];
            for (int i = 0; i < b.size(); i++) {
                int v = b.get(i).asInt(-1);
                if (!b.get(i).isInt() || v < 0 || v > 255) {
                    throw new IllegalArgumentException("a token's bytes are not bytes: " + b);
                }
                out[i] = (byte) v;
            }
            return out;
        }
        JsonNode token = t.get("token");
        if (token == null || !token.isTextual()) {
            throw new IllegalArgumentException("a token has neither text nor bytes");
        }
        return token.asText().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] spelled(List<Token> tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Token t : tokens) {
            out.writeBytes(t.bytes());
        }
        return out.toByteArray();
    }

    /**
     * The score values of the answer's JSON by character offset: {@code score} of the top-level
     * object for one response; each {@code scores[i].score} (with its {@code response} number)
     * for several. Null when the answer is not that JSON or holds another number of scores.
     */
    private static List<Located> locate(String content, int n) {
        int from = 0;
        int fence = content.indexOf("```");
        if (fence >= 0) {
            int nl = content.indexOf('\n', fence);
            if (nl > 0 && content.indexOf("```", fence + 3) > nl) {
                from = nl + 1;
            }
        }
        int open = -1;
        for (int i = from; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '{' || c == '[') {
                open = i;
                break;
            }
        }
        if (open < 0) {
            return null;
        }
        List<Located> found = new ArrayList<>();
        try (JsonParser p = LENIENT.createParser(content.substring(open))) {
            // depth 1: the top-level object; for several responses the entries sit at depth 2 (a
            // top-level list) or 3 (inside "scores").
            int depth = 0;
            String field = null;
            List<String> path = new ArrayList<>();
            Map<Integer, Integer> responseAt = new HashMap<>();
            Located pending = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        path.add(field);
                        depth++;
                        field = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        if (t == JsonToken.END_OBJECT && pending != null && entryDepth(path, n) == depth) {
                            Integer r = responseAt.remove(depth);
                            found.add(new Located(pending.charStart(), pending.text(), r == null ? -1 : r));
                            pending = null;
                        }
                        depth--;
                        path.remove(path.size() - 1);
                        field = null;
                        if (depth == 0) {
                            return found.size() == n ? checked(found, n) : null;
                        }
                    }
                    case FIELD_NAME -> field = p.currentName();
                    default -> {
                        if ("score".equals(field) && entryDepth(path, n) == depth) {
                            int start = (int) p.currentTokenLocation().getCharOffset() + open;
                            String text = p.getText();
                            if (t == JsonToken.VALUE_STRING) {
                                start++; // past the opening quote
                                text = text.strip().equals(text) ? text : null;
                            } else if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                                text = null;
                            }
                            if (text == null) {
                                return null;
                            }
                            pending = new Located(start, text, -1);
                            if (n == 1) {
                                found.add(pending);
                                pending = null;
                            }
                        } else if ("response".equals(field) && n > 1 && entryDepth(path, n) == depth
                                && t == JsonToken.VALUE_NUMBER_INT) {
                            responseAt.put(depth, p.getIntValue() - 1);
                        }
                        field = null;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The depth at which score fields are read: 1 for one response, that of a list's entries for several. */
    private static int entryDepth(List<String> path, int n) {
        if (n == 1) {
            return 1;
        }
        // [ {..} ] -> entries at depth 2; { "scores": [ {..} ] } -> at depth 3
        return path.size() >= 2 && "scores".equals(path.get(1)) ? 3 : 2;
    }

    private static List<Located> checked(List<Located> found, int n) {
        boolean[] seen = new boolean[n];
        for (Located l : found) {
            if (l.response() >= n || (l.response() >= 0 && seen[l.response()])) {
                return null;
            }
            if (l.response() >= 0) {
                seen[l.response()] = true;
            }
        }
        boolean numbered = found.stream().allMatch(l -> l.response() >= 0);
        boolean unnumbered = found.stream().allMatch(l -> l.response() < 0);
        return numbered || unnumbered ? found : null;
    }

    /** The distribution at the token where a score's value starts ({@code byteStart}). */
    private static ParsedDistribution distribution(List<Token> tokens, int byteStart, String value, int spelledLength) {
        int byteEnd = byteStart + value.getBytes(StandardCharsets.UTF_8).length;
        if (byteEnd > spelledLength) {
            return ParsedDistribution.problem("truncated log-probabilities: they end before the score");
        }
        int at = -1;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).start() <= byteStart && byteStart < tokens.get(i).end()) {
                at = i;
                break;
            }
        }
        Token first = tokens.get(at);
        String prefix = new String(first.bytes(), 0, byteStart - first.start(), StandardCharsets.UTF_8);
        Token next = at + 1 < tokens.size() ? tokens.get(at + 1) : null;
        if (byteEnd > first.end() && !(value.equals("10") && byteStart + 1 == first.end())) {
            return ParsedDistribution.problem("the score " + value
                    + " is split over tokens in a way admap cannot weigh");
        }
        String chosen = new String(first.bytes(), StandardCharsets.UTF_8);
        Map<String, Double> alternatives = new LinkedHashMap<>();
        alternatives.put(chosen, first.logprob());
        for (Alternative a : first.top()) {
            alternatives.putIfAbsent(a.text(), a.logprob());
        }
        Map<Integer, List<Double>> byScore = new HashMap<>();
        for (Map.Entry<String, Double> a : alternatives.entrySet()) {
            Reading r = reading(a.getKey(), prefix);
            if (r == null) {
                continue;
            }
            boolean splittable = a.getKey().equals(chosen) && r.open() && r.digits().equals("1")
                    && next != null && next.start() == first.end();
            if (splittable) {
                // "1" where the number may go on: the next position says whether it is 1 or 10.
                Map<String, Double> cont = new LinkedHashMap<>();
                cont.put(new String(next.bytes(), StandardCharsets.UTF_8), next.logprob());
                for (Alternative c : next.top()) {
                    cont.putIfAbsent(c.text(), c.logprob());
                }
                for (Map.Entry<String, Double> c : cont.entrySet()) {
                    String s = c.getKey();
                    char c0 = s.isEmpty() ? ' ' : s.charAt(0);
                    int score = !Character.isDigit(c0) ? 1
                            : c0 == '0' && (s.length() == 1 || !Character.isDigit(s.charAt(1))) ? 10 : -1;
                    if (score > 0) {
                        byScore.computeIfAbsent(score, k -> new ArrayList<>()).add(a.getValue() + c.getValue());
                    }
                }
                continue;
            }
            int score;
            try {
                score = Integer.parseInt(r.digits());
            } catch (NumberFormatException e) {
                continue;
            }
            if (score >= JudgeReply.MIN && score <= JudgeReply.MAX && !r.digits().startsWith("0")) {
                byScore.computeIfAbsent(score, k -> new ArrayList<>()).add(a.getValue());
            }
        }
        if (byScore.isEmpty()) {
            return ParsedDistribution.problem("no alternative at the score's token reads as a score");
        }
        Map<Integer, double[]> logprobs = new HashMap<>();
        byScore.forEach((s, ls) -> logprobs.put(s, ls.stream().mapToDouble(Double::doubleValue).toArray()));
        try {
            return new ParsedDistribution(ScoreDistribution.fromLogprobs(logprobs), null);
        } catch (IllegalArgumentException e) {
            return ParsedDistribution.problem("malformed log-probabilities: " + e.getMessage());
        }
    }

    /**
     * A token read as a number: its leading digits after the chosen token's text before the
     * number (whitespace around it allowed), and whether the number may go on in the next
     * token (the digits end the token). Null when it is not a number there.
     */
    private record Reading(String digits, boolean open) {
    }

    private static Reading reading(String token, String prefix) {
        String rest;
        if (token.startsWith(prefix)) {
            rest = token.substring(prefix.length());
        } else if (prefix.isBlank()) {
            rest = token;
        } else {
            return null;
        }
        rest = rest.stripLeading();
        int i = 0;
        while (i < rest.length() && rest.charAt(i) >= '0' && rest.charAt(i) <= '9') {
            i++;
        }
        if (i == 0 || i > 2) {
            return null;
        }
        if (i < rest.length() && (rest.charAt(i) == '.' || rest.charAt(i) == 'e' || rest.charAt(i) == 'E')) {
            return null; // a decimal: not one of the rubric's integer scores
        }
        return new Reading(rest.substring(0, i), i == rest.length());
    }
}
