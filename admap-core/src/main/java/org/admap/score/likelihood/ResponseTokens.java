package org.admap.score.likelihood;

import java.util.List;

/**
 * Finds the response's tokens among the echoed tokens of {@code prefix + response} and averages
 * their log-probabilities: the offset arithmetic of the likelihood scorer, kept apart so that it
 * can be tested as the math it is.
 *
 * <p>The echo's text offsets are not always offsets into the text sent: vLLM counts them as the
 * running length of the decoded tokens, so a BOS token ({@code <s>}, {@code <|begin_of_text|>})
 * shifts every offset by its own length. The response is the end of the text sent, though, so it
 * is found from the end: the echoed prompt ends at {@code E} (the offset of the first generated
 * token, or the last prompt token's offset plus its length when nothing was generated), and the
 * response covers {@code [E - responseChars, E)} in the echo's own offsets, whatever came before.
 *
 * <p>A token is the response's when it covers at least one of the response's characters: its span
 * {@code [offset_i, offset_{i+1})} ends after the boundary {@code B = E - responseChars}. A token
 * that straddles the boundary (the server tokenises prompt and response together, and
 * {@code "A:" + "Paris"} may become one token) therefore counts: it carries response text, and
 * dropping it would drop the response's first word. The first token of a text has no
 * log-probability (null): it is left out of the mean, as the paper's code never predicts its
 * first token either; any other token without one makes the answer unusable.
 */
public final class ResponseTokens {

    private ResponseTokens() {
    }

    /**
     * A text's length as the echo's offsets count it: in Unicode code points, as Python's
     * {@code len} (vLLM's offsets are running sums of its tokens' {@code len}), so that an emoji
     * (two UTF-16 units in Java) is one character.
     */
    public static int length(String text) {
        return text == null ? 0 : text.codePointCount(0, text.length());
    }

    /**
     * The response's tokens and their mean log-probability, or why they cannot be found.
     *
     * @param first       index of the first response token
     * @param count       response tokens with a log-probability (the mean's denominator)
     * @param meanLogprob their mean log-probability, NaN when failed
     * @param straddles   whether the first response token also covers prompt text
     * @param problem     why the answer is unusable, or null
     */
    public record Span(int first, int count, double meanLogprob, boolean straddles, String problem) {

        static Span failed(String problem) {
            return new Span(-1, 0, Double.NaN, false, problem);
        }

        public boolean ok() {
            return problem == null;
        }

        /** The score: exp of the mean log-probability, in (0, 1]. */
        public double probability() {
            return Math.exp(meanLogprob);
        }
    }

    /**
     * Selects the response's tokens.
     *
     * @param tokens        the echoed tokens (prompt tokens first, then any generated ones)
     * @param logprobs      their log-probabilities (null where there is none)
     * @param offsets       their text offsets
     * @param promptTokens  how many of the tokens are the prompt's (the rest were generated)
     * @param responseChars the response's length in the offsets' unit, characters as Python counts them (Unicode
     *                      code points: {@link #length}), at least 1
     */
    public static Span select(List<String> tokens, List<Double> logprobs, List<Integer> offsets, int promptTokens,
                              int responseChars) {
        int size = tokens.size();
        if (logprobs.size() != size || offsets.size() != size) {
            return Span.failed("the echo's tokens, token_logprobs and text_offset have different lengths ("
                    + size + ", " + logprobs.size() + ", " + offsets.size() + ")");
        }
        if (responseChars < 1) {
            throw new IllegalArgumentException("an empty response has no tokens to score");
        }
        if (promptTokens < 1 || promptTokens > size) {
            return Span.failed("the echo holds " + size + " tokens but the prompt has " + promptTokens
                    + ": the server did not echo the prompt (does it serve echo with logprobs?)");
        }
        for (int i = 0; i < size; i++) {
            if (offsets.get(i) == null || offsets.get(i) < 0 || (i > 0 && offsets.get(i) < offsets.get(i - 1))) {
                return Span.failed("the echo's text_offset is not a non-decreasing list of positions (at token "
                        + i + ")");
            }
        }
        int last = promptTokens - 1;
        long end = promptTokens < size ? offsets.get(promptTokens)
                : (long) offsets.get(last) + length(tokens.get(last));
        long boundary = end - responseChars;
        if (boundary < 0) {
            return Span.failed("the echoed prompt is " + end + " characters long, shorter than the response ("
                    + responseChars + "): the echo is not the text sent");
        }
        int first = -1;
        int count = 0;
        double sum = 0;
        for (int i = 0; i < promptTokens; i++) {
            long spanEnd = i + 1 < size ? offsets.get(i + 1) : end;
            if (spanEnd <= boundary) {
                continue; // all prompt
            }
            if (first < 0) {
                first = i;
            }
            Double lp = logprobs.get(i);
            if (lp == null) {
                if (i == 0) {
                    continue; // the text's first token is never predicted
                }
                return Span.failed("response token " + i + " ('" + tokens.get(i) + "') has no log-probability");
            }
            if (lp.isNaN() || lp > 1e-6) {
                return Span.failed("response token " + i + " has the log-probability " + lp + ", not a number <= 0");
            }
            sum += Math.min(0, lp);
            count++;
        }
        if (first < 0 || count == 0) {
            return Span.failed("no response token has a log-probability (the response is the first token of a"
                    + " text with no BOS: give the template text before {response})");
        }
        boolean straddles = offsets.get(first) < boundary;
        return new Span(first, count, sum / count, straddles, null);
    }
}
