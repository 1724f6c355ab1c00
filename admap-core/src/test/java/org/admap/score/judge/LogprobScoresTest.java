package org.admap.score.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Finding the score token by its position in the JSON answer and reading the judge's
 * distribution there, in OpenAI's log-probability shape ({@code choices[0].logprobs.content[]}
 * of {@code token}, {@code logprob}, {@code bytes}, {@code top_logprobs[]}).
 */
class LogprobScoresTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A generated token with its alternatives (text, probability pairs); the token itself comes first. */
    private static ObjectNode tok(String text, double p, Object... alternatives) {
        return tok(text.getBytes(StandardCharsets.UTF_8), text, p, alternatives);
    }

    private static ObjectNode tok(byte[] bytes, String text, double p, Object... alternatives) {
        ObjectNode t = JSON.createObjectNode();
        t.put("token", text);
        t.put("logprob", Math.log(p));
        ArrayNode b = t.putArray("bytes");
        for (byte x : bytes) {
            b.add(x & 0xFF);
        }
        ArrayNode top = t.putArray("top_logprobs");
        ObjectNode self = top.addObject().put("token", text).put("logprob", Math.log(p));
        self.set("bytes", b.deepCopy());
        for (int i = 0; i < alternatives.length; i += 2) {
            String alt = (String) alternatives[i];
            ObjectNode a = top.addObject().put("token", alt).put("logprob", Math.log((Double) alternatives[i + 1]));
            ArrayNode ab = a.putArray("bytes");
            for (byte x : alt.getBytes(StandardCharsets.UTF_8)) {
                ab.add(x & 0xFF);
            }
        }
        return t;
    }

    /** Certain tokens, one per piece. */
    private static List<ObjectNode> text(String... pieces) {
        List<ObjectNode> out = new ArrayList<>();
        for (String p : pieces) {
            out.add(tok(p, 0.9999));
        }
        return out;
    }

    @SafeVarargs
    private static JsonNode answer(List<ObjectNode>... parts) {
        ObjectNode a = JSON.createObjectNode();
        ObjectNode choice = a.putArray("choices").addObject();
        ArrayNode content = choice.putObject("logprobs").putArray("content");
        StringBuilder sb = new StringBuilder();
        for (List<ObjectNode> part : parts) {
            for (ObjectNode t : part) {
                content.add(t);
                sb.append(t.get("token").asText());
            }
        }
        choice.putObject("message").put("content", sb.toString());
        return a;
    }

    private static String content(JsonNode answer) {
        return answer.path("choices").path(0).path("message").path("content").asText();
    }

    private static LogprobScores.ParsedDistribution one(JsonNode answer) {
        List<LogprobScores.ParsedDistribution> r = LogprobScores.read(answer, content(answer), 1);
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    @Test
    void theScoreTokensAlternativesAreTheDistribution() {
        JsonNode a = answer(text("{\"", "rationale", "\":", " \"", "Good", ".\",", " \"", "score", "\":"),
                List.of(tok(" 7", 0.5, " 8", 0.25, " 6", 0.15, " \"", 0.1)), text("}"));

        LogprobScores.ParsedDistribution r = one(a);

        assertThat(r.ok()).as(String.valueOf(r.problem())).isTrue();
        double mean = (7 * 0.5 + 8 * 0.25 + 6 * 0.15) / 0.9;
        assertThat(r.distribution().mean()).isCloseTo(mean, within(1e-12));
        double var = (0.5 * (7 - mean) * (7 - mean) + 0.25 * (8 - mean) * (8 - mean)
                + 0.15 * (6 - mean) * (6 - mean)) / 0.9;
        assertThat(r.distribution().spread()).isCloseTo(Math.sqrt(var), within(1e-12));
    }

    @Test
    void digitsInTheRationaleAreNotTheScore() {
        // A reader looking for the first digit would weigh " 3" (3 or 4) and get 3.5.
        JsonNode a = answer(text("{\"", "rationale", "\":", " \"", "Rated"), List.of(tok(" 3", 0.5, " 4", 0.5)),
                text(" of"), List.of(tok(" 10", 0.5, " 9", 0.5)), text(" in", " 2024", ".\",", " \"", "score", "\":"),
                List.of(tok(" 9", 0.8, " 10", 0.2)), text("}"));

        LogprobScores.ParsedDistribution r = one(a);

        assertThat(r.distribution().mean()).isCloseTo(9.2, within(1e-12));
    }

    @Test
    void tenWrittenAsOneTokenIsTen() {
        JsonNode a = answer(text("{\"", "score", "\":"), List.of(tok(" 10", 0.7, " 9", 0.3)), text("}"));

        assertThat(one(a).distribution().mean()).isCloseTo(9.7, within(1e-12));
    }

    @Test
    void tenSplitIntoOneAndZeroIsWeighedOverBothPositions() {
        // "1" then "0" (a tokenizer that writes digits one by one): P(10) = 0.6 * 0.9, P(1) = 0.6 * 0.1, P(9) = 0.3
        JsonNode a = answer(text("{\"", "score", "\":", " "), List.of(tok("1", 0.6, "9", 0.3)),
                List.of(tok("0", 0.9, "}", 0.1)), text("}"));

        LogprobScores.ParsedDistribution r = one(a);

        assertThat(r.ok()).as(String.valueOf(r.problem())).isTrue();
        double mean = (10 * 0.54 + 1 * 0.06 + 9 * 0.3) / 0.9;
        assertThat(r.distribution().mean()).isCloseTo(mean, within(1e-12));
        assertThat(r.distribution().probabilities()).containsOnlyKeys(1, 9, 10);
    }

    @Test
    void aOneThatCouldHaveGoneOnTakesTheNextPositionsWord() {
        // "1" then "}": mostly 1, a little 10
        JsonNode a = answer(text("{\"", "score", "\":"), List.of(tok(" 1", 0.8, " 2", 0.2)),
                List.of(tok("}", 0.75, "0", 0.25)));

        LogprobScores.ParsedDistribution r = one(a);

        double mean = (1 * 0.6 + 10 * 0.2 + 2 * 0.2) / 1.0;
        assertThat(r.distribution().mean()).isCloseTo(mean, within(1e-12));
    }

    @Test
    void aScoreInsideAnotherTokenIsReadWithTheSameTextBeforeIt() {
        // OpenAI-like merges: the token is ":5" and the alternatives keep the colon
        JsonNode a = answer(text("{\"", "score", "\""), List.of(tok(":5", 0.5, ":6", 0.5, ": 6", 0.0)), text("}"));

        assertThat(one(a).distribution().mean()).isCloseTo(5.5, within(1e-9));
    }

    @Test
    void aCharacterSplitOverTwoTokensStillPutsTheScoreWhereItIs() {
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        List<ObjectNode> split = List.of(tok(Arrays.copyOfRange(e, 0, 1), "\\xc3", 0.99),
                tok(Arrays.copyOfRange(e, 1, 2), "\\xa9", 0.99));
        JsonNode a = answer(text("{\"", "rationale", "\":", " \"", "caf"), split, text("\",", " \"", "score", "\":"),
                List.of(tok(" 4", 0.5, " 5", 0.5)), text("}"));
        ((ObjectNode) a.path("choices").path(0).path("message")).put("content",
                "{\"rationale\": \"café\", \"score\": 4}");

        LogprobScores.ParsedDistribution r = one(a);

        assertThat(r.ok()).as(String.valueOf(r.problem())).isTrue();
        assertThat(r.distribution().mean()).isCloseTo(4.5, within(1e-12));
    }

    @Test
    void severalResponsesAreMatchedByTheirNumber() {
        JsonNode a = answer(text("{\"", "scores", "\":", " [{\"", "response", "\":"), List.of(tok(" 2", 0.99)),
                text(",", " \"", "score", "\":"), List.of(tok(" 3", 0.5, " 4", 0.5)),
                text("},", " {\"", "response", "\":"), List.of(tok(" 1", 0.99)),
                text(",", " \"", "score", "\":"), List.of(tok(" 8", 1.0)), text("}]}"));

        List<LogprobScores.ParsedDistribution> r = LogprobScores.read(a, content(a), 2);

        assertThat(r.get(0).distribution().mean()).as("response 1").isEqualTo(8);
        assertThat(r.get(1).distribution().mean()).as("response 2").isCloseTo(3.5, within(1e-12));
    }

    @Test
    void aQuotedScoreIsReadInsideItsQuotes() {
        JsonNode a = answer(text("{\"", "score", "\":", " \""), List.of(tok("6", 0.5, "7", 0.5)), text("\"}"));

        assertThat(one(a).distribution().mean()).isCloseTo(6.5, within(1e-12));
    }

    @Test
    void absentOrNullLogprobsAreNotPresent() throws Exception {
        assertThat(LogprobScores.present(JSON.readTree("{\"choices\": [{\"message\": {\"content\": \"x\"}}]}")))
                .isFalse();
        assertThat(LogprobScores.present(JSON.readTree("{\"choices\": [{\"logprobs\": null}]}"))).isFalse();
        assertThat(LogprobScores.present(JSON.readTree("{\"choices\": [{\"logprobs\": {\"content\": []}}]}")))
                .isFalse();
        assertThat(LogprobScores.present(answer(text("{}")))).isTrue();
    }

    @Test
    void truncatedLogprobsSaySo() {
        JsonNode a = answer(text("{\"", "score", "\":"));
        ((ObjectNode) a.path("choices").path(0).path("message")).put("content", "{\"score\": 7}");

        assertThat(one(a).problem()).contains("truncated");
    }

    @Test
    void tokensThatDoNotSpellTheAnswerAreMalformed() {
        JsonNode a = answer(text("{\"", "score", "\":"), List.of(tok(" 7", 0.9)), text("}"));
        ((ObjectNode) a.path("choices").path(0).path("message")).put("content", "{\"score\": 8}");

        assertThat(one(a).problem()).contains("malformed").contains("do not spell");
    }

    @Test
    void aLogprobThatIsNotANumberIsMalformed() {
        ObjectNode bad = tok(" 7", 0.9);
        bad.put("logprob", "high");
        JsonNode a = answer(text("{\"", "score", "\":"), List.of(bad), text("}"));

        assertThat(one(a).problem()).contains("malformed").contains("logprob");
    }

    @Test
    void noAlternativesLeaveTheChosenScoreCertain() {
        ObjectNode only = tok(" 7", 0.9);
        only.remove("top_logprobs");
        JsonNode a = answer(text("{\"", "score", "\":"), List.of(only), text("}"));

        LogprobScores.ParsedDistribution r = one(a);

        assertThat(r.distribution().mean()).isEqualTo(7);
        assertThat(r.distribution().spread()).isZero();
    }

    @Test
    void anAnswerWithoutAScoreFieldCannotBeWeighed() {
        JsonNode a = answer(text("{\"", "rating", "\":"), List.of(tok(" 7", 0.9)), text("}"));

        assertThat(one(a).ok()).isFalse();
    }

    @Test
    void aDecimalScoreIsNotWeighed() {
        JsonNode a = answer(text("{\"", "score", "\":"), List.of(tok(" 7", 0.9, " 8", 0.1)), text(".5}"));

        LogprobScores.ParsedDistribution r = one(a);

        assertThat(r.ok()).isFalse();
    }
}
