package org.admap.score;

/**
 * Tokens and money spent by calls.
 *
 * @param tokensIn  prompt tokens
 * @param tokensOut completion tokens
 * @param costUsd   US dollars
 */
public record Usage(long tokensIn, long tokensOut, double costUsd) {

    public static final Usage NONE = new Usage(0, 0, 0);

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
