package org.admap.map;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * Writes a double as the shortest decimal that reads back as the same double, in ASCII and
 * in {@link Double#toString(double)}'s layout as specified since JDK 19 ({@code 4.5},
 * {@code 0.001}, {@code 1.0E7}, {@code 1.0E-4}, {@code -0.0}, {@code NaN},
 * {@code Infinity}): plain notation with at least one fraction digit for
 * 10<sup>-3</sup> &le; |x| &lt; 10<sup>7</sup>, computerized scientific notation otherwise.
 *
 * <p>The text never depends on the JDK: JDK 17's {@code Double.toString} sometimes gives
 * a longer decimal than needed; this is the Schubfach algorithm that JDK 19 adopted, from
 * jackson-core ({@link NumberOutput#toString(double, boolean)}).
 *
 * <p>Values with at most six fraction digits (means of ratings, mostly) take a fast path
 * that gives the same decimal without the general algorithm; see {@link #fewDigits}.
 */
final class ShortestDecimal {

    /** The longest text: {@code -2.2250738585072014E-308}. */
    static final int MAX_LENGTH = 24;

    private static final int K = 6;
    private static final double SCALE = 1e6; // 10^K

    private ShortestDecimal() {
    }

    /** Writes {@code x} at {@code dst[at]} (room for {@link #MAX_LENGTH} bytes needed); returns the end. */
    static int write(double x, byte[] dst, int at) {
        long m = fewDigits(x);
        if (m >= 0) {
            return plain(x < 0, m, dst, at);
        }
        String s = NumberOutput.toString(x, true);
        for (int i = 0; i < s.length(); i++) {
            dst[at + i] = (byte) s.charAt(i);
        }
        return at + s.length();
    }

    /** The decimal of {@code x}, as {@link #write} writes it. */
    static String toString(double x) {
        byte[] b = new byte[MAX_LENGTH];
        return new String(b, 0, write(x, b, 0), java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * {@code M} such that M / 10<sup>6</sup> = |d|, where d is the shortest decimal of
     * {@code x} and has at most six fraction digits, or -1 when that is not found cheaply.
     *
     * <p>Why M / 10<sup>6</sup> is the shortest decimal (Schubfach's, the JDK 19 spec's):
     * let R be the interval of reals that round to x and D = M / 10<sup>6</sup> with M the
     * integer nearest to |x| 10<sup>6</sup>. (1) M &lt; 10<sup>13</sup> &lt; 2<sup>53</sup> and
     * 10<sup>6</sup> are exact doubles and IEEE division rounds correctly, so
     * {@code M / 1e6 == |x|} holds exactly when D is in R. (2) R is at most ulp(x) wide, and
     * ulp(x) &le; ulp(10<sup>7</sup>) = 2<sup>-29</sup> &lt; 10<sup>-8</sup> in the range taken
     * here; so any other decimal E in R differs from D by less than 10<sup>-8</sup> and, D
     * being a multiple of 10<sup>-6</sup>, E has a nonzero digit at position 10<sup>-8</sup>
     * or below: at least p + 9 significant digits where 10<sup>p</sup> &le; |E|, and
     * |E| &gt; 0.99 |D| (as |D| &ge; 10<sup>-3</sup>), so p &ge; p<sub>D</sub> - 1 and E has at
     * least p<sub>D</sub> + 8 digits, D at most p<sub>D</sub> + 7 (down to 10<sup>-6</sup>).
     * Every other decimal in R is thus longer than D, and 5 digits long at least
     * (p<sub>D</sub> &ge; -3), so D is the one decimal of the shortest length, and the spec's
     * widening of the candidates to lengths 1 and 2 when the shortest is 1 long adds none. (3) The layout is decided on D, and
     * 10<sup>-3</sup> &le; |x| &lt; 10<sup>7</sup> implies the same of D (rounding is monotone,
     * and D is a multiple of 10<sup>-6</sup>).
     */
    static long fewDigits(double x) {
        double a = Math.abs(x);
        if (!(a >= 1e-3 && a < 1e7)) {
            return -1;
        }
        double y = a * SCALE;
        double m = Math.rint(y);
        // a cheap filter first (a few-digit value is within 0.003 of M; most others are not),
        // then the exact test
        if (Math.abs(y - m) > 0.01 || m / SCALE != a) {
            return -1;
        }
        return (long) m;
    }

    private static int plain(boolean negative, long m, byte[] dst, int at) {
        int p = at;
        if (negative) {
            dst[p++] = '-';
        }
        p = digits(m / (long) SCALE, dst, p);
        dst[p++] = '.';
        int fraction = (int) (m % (long) SCALE);
        if (fraction == 0) {
            dst[p++] = '0';
            return p;
        }
        int k = K;
        while (fraction % 10 == 0) {
            fraction /= 10;
            k--;
        }
        for (int i = p + k - 1; i >= p; i--) {
            dst[i] = (byte) ('0' + fraction % 10);
            fraction /= 10;
        }
        return p + k;
    }

    /** Writes a non-negative integer; returns the end. */
    static int digits(long v, byte[] dst, int at) {
        int n = 1;
        for (long t = v; t >= 10; t /= 10) {
            n++;
        }
        for (int i = at + n - 1; i >= at; i--) {
            dst[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + n;
    }
}
