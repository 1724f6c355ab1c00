package org.admap.score.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * The offset arithmetic of {@link ResponseTokens} as math: for prompt and response tokenised
 * apart (no token straddles the boundary, the paper's tokenisation), the selection is exactly the
 * response's tokens, whatever BOS shifts the offsets and whether a token was generated after them.
 */
class ResponseTokensProperties {

    /** An echo of prompt then response tokens, with a BOS of {@code bos} characters and {@code gen} generated. */
    private record Echo(List<String> tokens, List<Double> logprobs, List<Integer> offsets, int promptTokens,
                        int responseChars, int firstResponse, double mean) {
    }

    private static Echo echo(List<String> prompt, List<String> response, List<Double> lps, int bos, int gen) {
        List<String> tokens = new ArrayList<>();
        if (bos > 0) {
            tokens.add("<".repeat(bos));
        }
        tokens.addAll(prompt);
        int firstResponse = tokens.size();
        tokens.addAll(response);
        int promptTokens = tokens.size();
        for (int g = 0; g < gen; g++) {
            tokens.add(" gen");
        }
        List<Double> logprobs = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        int offset = 0;
        double sum = 0;
        int counted = 0;
        for (int i = 0; i < tokens.size(); i++) {
            double lp = -lps.get(i % lps.size());
            logprobs.add(i == 0 ? null : lp);
            offsets.add(offset);
            offset += tokens.get(i).length();
            if (i >= firstResponse && i < promptTokens && i > 0) {
                sum += lp;
                counted++;
            }
        }
        int chars = response.stream().mapToInt(String::length).sum();
        return new Echo(tokens, logprobs, offsets, promptTokens, chars, firstResponse, sum / counted);
    }

    @Property
    void theSelectionIsExactlyTheResponsesTokensAndTheirMean(
            @ForAll @Size(max = 12) List<@StringLength(min = 1, max = 6) String> prompt,
            @ForAll @Size(min = 1, max = 12) List<@StringLength(min = 1, max = 6) String> response,
            @ForAll @Size(min = 1, max = 5) List<@DoubleRange(min = 0, max = 20) Double> lps,
            @ForAll @IntRange(min = 0, max = 17) int bos, @ForAll @IntRange(min = 0, max = 1) int gen) {
        Echo e = echo(prompt, response, lps, bos, gen);
        if (e.firstResponse() == 0 && response.size() == 1) {
            return; // the response is the text's only token: nothing predicts it (a case of its own, below)
        }
        ResponseTokens.Span span = ResponseTokens.select(e.tokens(), e.logprobs(), e.offsets(), e.promptTokens(),
                e.responseChars());

        assertThat(span.problem()).isNull();
        assertThat(span.first()).isEqualTo(e.firstResponse());
        assertThat(span.count()).isEqualTo(response.size() - (e.firstResponse() == 0 ? 1 : 0));
        assertThat(span.meanLogprob()).isCloseTo(e.mean(), within(1e-9));
        assertThat(span.straddles()).isFalse();
        assertThat(span.probability()).isBetween(0.0, 1.0);
    }

    @Property
    void shiftingEveryOffsetByABosOfAnyLengthChangesNothing(
            @ForAll @Size(min = 1, max = 8) List<@StringLength(min = 1, max = 5) String> prompt,
            @ForAll @Size(min = 1, max = 8) List<@StringLength(min = 1, max = 5) String> response,
            @ForAll @Size(min = 1, max = 4) List<@DoubleRange(min = 0, max = 9) Double> lps,
            @ForAll @IntRange(min = 1, max = 30) int shift) {
        Echo e = echo(prompt, response, lps, 0, 1);
        List<Integer> shifted = e.offsets().stream().map(o -> o + shift).toList();
        ResponseTokens.Span plain = ResponseTokens.select(e.tokens(), e.logprobs(), e.offsets(), e.promptTokens(),
                e.responseChars());
        ResponseTokens.Span moved = ResponseTokens.select(e.tokens(), e.logprobs(), shifted, e.promptTokens(),
                e.responseChars());
        assertThat(moved).isEqualTo(plain);
    }

    @Property
    void aTokenStraddlingTheBoundaryCountsAndIsFlagged(
            @ForAll @StringLength(min = 1, max = 6) String promptTail,
            @ForAll @StringLength(min = 1, max = 6) String responseHead,
            @ForAll @Size(max = 6) List<@StringLength(min = 1, max = 5) String> rest) {
        // "Q:" then a token joining the prompt's tail and the response's head, then the response's other tokens
        List<String> tokens = new ArrayList<>(List.of("Q:", promptTail + responseHead));
        tokens.addAll(rest);
        List<Double> logprobs = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < tokens.size(); i++) {
            logprobs.add(i == 0 ? null : -0.5 * i);
            offsets.add(offset);
            offset += tokens.get(i).length();
        }
        int chars = responseHead.length() + rest.stream().mapToInt(String::length).sum();
        ResponseTokens.Span span = ResponseTokens.select(tokens, logprobs, offsets, tokens.size(), chars);
        assertThat(span.first()).isEqualTo(1);
        assertThat(span.count()).isEqualTo(1 + rest.size());
        assertThat(span.straddles()).isTrue();
    }
}
