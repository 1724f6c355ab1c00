package org.admap.score;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.admap.internal.score.http.ApiException;

/**
 * Tokens and money spent by calls.
 *
 * @param tokensIn  prompt tokens
 * @param tokensOut completion tokens
 * @param costUsd   US dollars
 */
public record Usage(long tokensIn, long tokensOut, double costUsd) {

    public static final Usage NONE = new Usage(0, 0, 0);

    /**
     * The most tokens one call may report: a hundred times the longest context windows, and
     * far below what would wrap a 32-bit column or a sum of many calls.
     */
    public static final long MAX_TOKENS_PER_CALL = 100_000_000L;

    /**
     * A token count from a server's {@code usage} object, range-checked. A count that is not
     * a whole number from 0 to {@link #MAX_TOKENS_PER_CALL} ({@code 1e30}, {@code -5},
     * {@code 2.5}, a string) fails the call: taken as it is it would wrap, or store a
     * negative spend that hides real cost from {@code --max-cost}.
     *
     * @param usage  the answer's {@code usage} object (missing: {@code absent} is returned)
     * @param field  e.g. {@code prompt_tokens}
     * @param absent the count to assume when the server reports none
     * @throws ApiException naming the field and the value
     */
    public static long reportedTokens(JsonNode usage, String field, long absent) throws ApiException {
        JsonNode v = usage == null ? null : usage.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return absent;
        }
        if (v.canConvertToExactIntegral() && v.canConvertToLong()) {
            long n = v.asLong();
            if (n >= 0 && n <= MAX_TOKENS_PER_CALL) {
                return n;
            }
        }
        String text = v.toString();
        throw new ApiException(200, String.format(Locale.ROOT, "the server reported usage.%s = %s, not a token"
                + " count from 0 to %,d: the call is counted as failed, at the most it could have cost", field,
                text.length() > 40 ? text.substring(0, 40) + "..." : text, MAX_TOKENS_PER_CALL), null, 0);
    }

    public Usage plus(Usage other) {
        return new Usage(tokensIn + other.tokensIn, tokensOut + other.tokensOut, costUsd + other.costUsd);
    }

    /** This usage divided among {@code n} responses scored by one call (the first gets the remainder). */
    public Usage share(int n, int index) {
        if (n <= 1) {
            return this;
        }
        long in = tokensIn / n + (index == 0 ? tokensIn % n : 0);
        long out = tokensOut / n + (index == 0 ? tokensOut % n : 0);
        return new Usage(in, out, costUsd / n);
    }
}
