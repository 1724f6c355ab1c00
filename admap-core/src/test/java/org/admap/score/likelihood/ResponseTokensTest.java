package org.admap.score.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Worked examples of {@link ResponseTokens}, each computed by hand. */
class ResponseTokensTest {

    private static List<Double> lps(Double... values) {
        return Arrays.asList(values);
    }

    @Test
    void vllmsEchoWithABosAndAGeneratedTokenScoresOnlyTheResponse() {
        // "<s>" + "Q: hi" + " A:" + " Paris" + " is" | generated " the"; offsets count "<s>" (3 characters)
        List<String> tokens = List.of("<s>", "Q:", " hi", " A:", " Paris", " is", " the");
        List<Integer> offsets = List.of(0, 3, 5, 8, 11, 17, 20);
        List<Double> logprobs = lps(null, -3.0, -2.0, -1.0, -0.5, -1.5, -9.0);
        ResponseTokens.Span span = ResponseTokens.select(tokens, logprobs, offsets, 6, " Paris is".length());
        assertThat(span.first()).isEqualTo(4);
        assertThat(span.count()).isEqualTo(2);
        assertThat(span.meanLogprob()).isCloseTo(-1.0, within(1e-12));
        assertThat(span.probability()).isCloseTo(Math.exp(-1.0), within(1e-12));
        assertThat(span.straddles()).isFalse();
    }

    @Test
    void withoutAGeneratedTokenTheLastTokensLengthEndsTheEcho() {
        List<String> tokens = List.of("Q:", " A:", " yes");
        ResponseTokens.Span span = ResponseTokens.select(tokens, lps(null, -1.0, -2.0), List.of(0, 2, 5), 3, 4);
        assertThat(span.first()).isEqualTo(2);
        assertThat(span.meanLogprob()).isEqualTo(-2.0);
    }

    @Test
    void aStraddlingTokenCountsWithItsWholeLogprob() {
        // prompt "A:" + response "Paris." tokenised together as "A:Paris" + "."
        ResponseTokens.Span span = ResponseTokens.select(List.of("Q", "A:Paris", "."), lps(null, -4.0, -2.0),
                List.of(0, 1, 8), 3, "Paris.".length());
        assertThat(span.first()).isEqualTo(1);
        assertThat(span.count()).isEqualTo(2);
        assertThat(span.meanLogprob()).isEqualTo(-3.0);
        assertThat(span.straddles()).isTrue();
    }

    @Test
    void theTextsFirstTokenHasNoLogprobAndIsLeftOutAsThePapersCodeNeverPredictsIt() {
        ResponseTokens.Span span = ResponseTokens.select(List.of("Hello", " world"), lps(null, -2.0),
                List.of(0, 5), 2, 11);
        assertThat(span.first()).isZero();
        assertThat(span.count()).isEqualTo(1);
        assertThat(span.meanLogprob()).isEqualTo(-2.0);

        ResponseTokens.Span alone = ResponseTokens.select(List.of("Hello"), lps((Double) null), List.of(0), 1, 5);
        assertThat(alone.problem()).contains("no response token has a log-probability");
    }

    @Test
    void offsetsCountCodePointsAsPythonDoesSoAnEmojiIsOneCharacter() {
        // "Q:" + " \uD83D\uDC4D ok": the emoji is two UTF-16 units but one character in vLLM's offsets
        String response = " \uD83D\uDC4D ok";
        assertThat(ResponseTokens.length(response)).isEqualTo(5); // 7 UTF-16 units
        ResponseTokens.Span span = ResponseTokens.select(List.of("Q:", " \uD83D\uDC4D", " ok"),
                lps(null, -1.0, -3.0), List.of(0, 2, 4), 3, ResponseTokens.length(response));
        assertThat(span.first()).isEqualTo(1);
        assertThat(span.count()).isEqualTo(2);
        assertThat(span.straddles()).isFalse();
    }

    @Test
    void brokenEchoesAreNamedNotScored() {
        assertThat(ResponseTokens.select(List.of("a", " b"), lps(null, -1.0, -1.0), List.of(0, 1), 2, 2).problem())
                .contains("different lengths");
        assertThat(ResponseTokens.select(List.of("a", " b"), lps(null, null), List.of(0, 1), 2, 2).problem())
                .contains("token 1").contains("no log-probability");
        assertThat(ResponseTokens.select(List.of("a", " b"), lps(null, -1.0), List.of(0, 1), 2, 9).problem())
                .contains("shorter than the response");
        assertThat(ResponseTokens.select(List.of("a", " b"), lps(null, -1.0), List.of(3, 1), 2, 2).problem())
                .contains("non-decreasing");
        assertThat(ResponseTokens.select(List.of(" the"), lps(-1.0), List.of(0), 40, 2).problem())
                .contains("did not echo");
        assertThat(ResponseTokens.select(List.of("a", " b"), lps(null, 2.5), List.of(0, 1), 2, 2).problem())
                .contains("not a number <= 0");
        assertThatThrownBy(() -> ResponseTokens.select(List.of("a"), lps((Double) null), List.of(0), 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
