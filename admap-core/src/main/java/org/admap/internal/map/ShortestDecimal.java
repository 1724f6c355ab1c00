package org.admap.internal.map;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Writes a double as the shortest decimal that reads back as the same double, in ASCII and
 * in {@link Double#toString(double)}'s layout as specified since JDK 19 ({@code 4.5},
 * {@code 0.001}, {@code 1.0E7}, {@code 1.0E-4}, {@code -0.0}, {@code NaN},
 * {@code Infinity}): plain notation with at least one fraction digit for
 * 10<sup>-3</sup> &le; |x| &lt; 10<sup>7</sup>, computerized scientific notation otherwise.
 *
 * <p>The text does not depend on the JDK: JDK 17's {@code Double.toString} sometimes gives
 * a longer decimal than needed, or not the closest of the shortest. This is the Schubfach
 * algorithm (Raffaello Giulietti, "The Schubfach way to render doubles", 2020) that JDK 19
 * adopted and that jackson-core ships as {@code DoubleToDecimal}, whose text the tests
 * check this against; written here again because jackson-core's only entry point returns
 * a String and leaves some 130 bytes of garbage per number, which for the millions of
 * numbers of a large map cost young collections, while this allocates nothing.
 *
 * <p>Values with at most six fraction digits (means of ratings, mostly) take a faster path
 * that gives the same decimal; see {@link #fewDigits}.
 */
public final class ShortestDecimal {

    /** The longest text: {@code -2.2250738585072014E-308}. */
    public static final int MAX_LENGTH = 24;

    private ShortestDecimal() {
    }

    /** Writes {@code x} at {@code dst[at]} (room for {@link #MAX_LENGTH} bytes needed); returns the end. */
    public static int write(double x, byte[] dst, int at) {
        long m = fewDigits(x);
        if (m >= 0) {
            if (x < 0) {
                dst[at++] = '-';
            }
            return decimal(m, -6, dst, at);
        }
        long bits = Double.doubleToRawLongBits(x);
        int p = at;
        if (x != x) {
            return ascii("NaN", dst, p);
        }
        if (bits < 0) {
            dst[p++] = '-';
        }
        int biased = (int) (bits >>> 52) & 0x7FF;
        long fraction = bits & ((1L << 52) - 1);
        if (biased == 0x7FF) {
            return ascii("Infinity", dst, p);
        }
        if (biased != 0) {
            return schubfach(biased - 1075, fraction | 1L << 52, 0, dst, p);
        }
        if (fraction == 0) {
            return ascii("0.0", dst, p);
        }
        // the tiniest subnormals, with a tenfold significand, to keep enough digits
        return fraction < 3 ? schubfach(Q_MIN, 10 * fraction, -1, dst, p) : schubfach(Q_MIN, fraction, 0, dst, p);
    }

    /** The decimal of {@code x}, as {@link #write} writes it. */
    public static String toString(double x) {
        byte[] b = new byte[MAX_LENGTH];
        return new String(b, 0, write(x, b, 0), StandardCharsets.US_ASCII);
    }

    // ---- the fast path for few fraction digits

    private static final double SCALE = 1e6;

    /**
     * {@code M} such that M / 10<sup>6</sup> = |d|, where d is the shortest decimal of
     * {@code x} and has at most six fraction digits, or -1 when that is not found cheaply.
     *
     * <p>Why M / 10<sup>6</sup> is the shortest decimal (the JDK 19 spec's): let R be the
     * interval of reals that round to x and D = M / 10<sup>6</sup> with M the integer nearest
     * to |x| 10<sup>6</sup>. (1) M &lt; 10<sup>13</sup> &lt; 2<sup>53</sup> and 10<sup>6</sup>
     * are exact doubles and IEEE division rounds correctly, so {@code M / 1e6 == |x|} holds
     * exactly when D is in R. (2) R is at most ulp(x) wide, and ulp(x) &le; ulp(10<sup>7</sup>)
     * = 2<sup>-29</sup> &lt; 10<sup>-8</sup> in the range taken here; so any other decimal E in
     * R differs from D by less than 10<sup>-8</sup> and, D being a multiple of
     * 10<sup>-6</sup>, E has a nonzero digit at position 10<sup>-8</sup> or below: at least
     * p + 9 significant digits where 10<sup>p</sup> &le; |E|, and |E| &gt; 0.99 |D| (as |D|
     * &ge; 10<sup>-3</sup>), so p &ge; p<sub>D</sub> - 1 and E has at least p<sub>D</sub> + 8
     * digits, D at most p<sub>D</sub> + 7 (down to 10<sup>-6</sup>). Every other decimal in R
     * is thus longer than D, and 5 digits long at least (p<sub>D</sub> &ge; -3), so D is the
     * one decimal of the shortest length, and the spec's widening of the candidates to
     * lengths 1 and 2 when the shortest is 1 long adds none. (3) The layout is decided on D,
     * and 10<sup>-3</sup> &le; |x| &lt; 10<sup>7</sup> implies the same of D (rounding is
     * monotone, and D is a multiple of 10<sup>-6</sup>).
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

    // ---- Schubfach

    /** The exponent of the least subnormal: Double.MIN_VALUE = 2^Q_MIN. */
    private static final int Q_MIN = -1074;
    /** The significand of the least normal numbers of a binade: 2^52. */
    private static final long C_MIN = 1L << 52;
    private static final long MASK_63 = Long.MAX_VALUE;

    /**
     * Writes the shortest decimal of c 2<sup>q</sup> (c &gt; 0); {@code dk} -1 when c was
     * scaled by ten. The decimal is picked among the integers s and s + 1 scaled by
     * 10<sup>k</sup>, with 10<sup>k</sup> at most the spacing of doubles there, or among
     * the multiples of ten near them when one of those is in the rounding interval (then
     * it is shorter): the paper's algorithm, with g the 126-bit approximations of
     * powers of ten and a round-to-odd product for exact comparisons.
     */
    private static int schubfach(int q, long c, int dk, byte[] dst, int at) {
        int out = (int) c & 1; // an odd significand's interval excludes its bounds
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != C_MIN || q == Q_MIN) {
            cbl = cb - 2;
            k = flog10pow2(q);
        } else {
            // at a power of two, the gap below is half the gap above
            cbl = cb - 1;
            k = flog10threeQuartersPow2(q);
        }
        int h = q + flog2pow10(-k) + 2;
        Pow10 g = Pow10.of(k);
        long g1 = g.g1();
        long g0 = g.g0();
        long vb = rop(g1, g0, cb << h);
        long vbl = rop(g1, g0, cbl << h);
        long vbr = rop(g1, g0, cbr << h);
        long s = vb >> 2;
        long f;
        int e = k + dk;
        long sp10 = 10 * (s / 10);
        long tp10 = sp10 + 10;
        boolean upin = vbl + out <= sp10 << 2;
        boolean wpin = (tp10 << 2) + out <= vbr;
        long t = s + 1;
        boolean uin = vbl + out <= s << 2;
        boolean win = (t << 2) + out <= vbr;
        if (s >= 100 && upin != wpin) {
            // one digit less: the multiple of ten around s that is in (only one can be)
            f = upin ? sp10 : tp10;
            e = k;
        } else if (uin != win) {
            f = uin ? s : t;
        } else {
            // both in: the closer to the value, the even one on a tie
            long cmp = vb - (s + t << 1);
            f = cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t;
        }
        // one call site: the text's code is compiled once, not inlined three times
        return decimal(f, e, dst, at);
    }

    /**
     * g cp 2<sup>-127</sup> rounded to odd: its integer part, with the least bit set when
     * a fraction is left (g = g1 2<sup>63</sup> + g0).
     */
    private static long rop(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long vbp = y1 + (z >>> 63);
        return vbp | (z & MASK_63) + MASK_63 >>> 63;
    }

    /** floor(log10(2<sup>q</sup>)), exact for |q| &le; 5456721. */
    static int flog10pow2(int q) {
        return (int) (q * 661_971_961_083L >> 41);
    }

    /** floor(log10(3/4 2<sup>q</sup>)), exact for |q| &le; 3829294. */
    static int flog10threeQuartersPow2(int q) {
        return (int) (q * 661_971_961_083L - 274_743_187_321L >> 41);
    }

    /** floor(log2(10<sup>e</sup>)), exact for |e| &le; 1838394. */
    static int flog2pow10(int e) {
        return (int) (e * 913_124_641_741L >> 38);
    }

    /**
     * The 126-bit g with (g - 1) 2<sup>r</sup> &le; 10<sup>-k</sup> &lt; g 2<sup>r</sup> for the
     * k Schubfach needs, as g1 = g / 2<sup>63</sup> and g0 = g mod 2<sup>63</sup>: computed
     * exactly with BigInteger when a k is first needed (a map needs a handful of the 617;
     * all of them would take tens of milliseconds in a cold JVM).
     */
    record Pow10(long g1, long g0) {

        static final int K_MIN = flog10pow2(Q_MIN);
        static final int K_MAX = flog10pow2(0x7FE - 1075);
        // a race computes an entry twice, to the same value; final fields publish it whole
        private static final Pow10[] TABLE = new Pow10[K_MAX - K_MIN + 1];
        private static final BigInteger MASK_63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);

        static Pow10 of(int k) {
            Pow10 g = TABLE[k - K_MIN];
            return g != null ? g : (TABLE[k - K_MIN] = compute(k));
        }

        static Pow10 compute(int k) {
            if (k < K_MIN || k > K_MAX) {
                throw new IllegalArgumentException("10^" + (-k) + " is outside the doubles' range");
            }
            int e = -k;
            // 10^e = beta 2^r with 2^125 <= beta < 2^126, r = flog2pow10(e) - 125
            int r = flog2pow10(e) - 125;
            BigInteger pow = BigInteger.TEN.pow(Math.abs(e));
            BigInteger beta = e >= 0
                    ? (r >= 0 ? pow.shiftRight(r) : pow.shiftLeft(-r))
                    : BigInteger.ONE.shiftLeft(-r).divide(pow);
            BigInteger g = beta.add(BigInteger.ONE);
            if (g.bitLength() != 126) {
                throw new IllegalStateException("g of 10^" + e + " is " + g.bitLength() + " bits, not 126");
            }
            return new Pow10(g.shiftRight(63).longValueExact(), g.and(MASK_63).longValueExact());
        }
    }

    // ---- the text

    private static final long[] POW10 = new long[19]; // up to 10^18

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    /** Writes f 10<sup>e</sup> (0 &lt; f &lt; 10<sup>17</sup>) in {@link Double#toString}'s layout. */
    private static int decimal(long f, int e, byte[] dst, int at) {
        while (f % 10 == 0) {
            f /= 10;
            e++;
        }
        int n = length(f);
        int exponent = e + n - 1; // of the leading digit
        boolean plain = exponent >= -3 && exponent < 7;
        int p = at;
        if (plain && exponent < 0) {
            // 0.00ddd
            dst[p++] = '0';
            dst[p++] = '.';
            for (int i = -1; i > exponent; i--) {
                dst[p++] = '0';
            }
        } else if (!plain || n > exponent + 1) {
            p++; // room for the point after the leading digit(s), which move one left
        }
        int end = digits(f, dst, p);
        if (!plain) {
            // d.dddE-x
            dst[at] = dst[at + 1];
            dst[at + 1] = '.';
            if (n == 1) {
                dst[end++] = '0';
            }
            dst[end++] = 'E';
            if (exponent < 0) {
                dst[end++] = '-';
                exponent = -exponent;
            }
            if (exponent >= 100) {
                dst[end++] = (byte) ('0' + exponent / 100);
            }
            if (exponent >= 10) {
                dst[end++] = (byte) ('0' + exponent / 10 % 10);
            }
            dst[end++] = (byte) ('0' + exponent % 10);
        } else if (exponent >= 0 && n > exponent + 1) {
            System.arraycopy(dst, at + 1, dst, at, exponent + 1);
            dst[at + exponent + 1] = '.';
        } else if (exponent >= 0) {
            // an integer: the zeros of e, then ".0"
            for (int i = 0; i < e; i++) {
                dst[end++] = '0';
            }
            dst[end++] = '.';
            dst[end++] = '0';
        }
        return end;
    }

    /** The number of decimal digits of a non-negative long. */
    private static int length(long v) {
        // floor(log10(2^bits)) + 1 or + 0: 1233 / 4096 is log10(2) closely enough for 64 bits
        int n = (64 - Long.numberOfLeadingZeros(v | 1)) * 1233 >>> 12;
        return v >= POW10[n] || v == 0 ? n + 1 : n;
    }

    private static int ascii(String s, byte[] dst, int at) {
        for (int i = 0; i < s.length(); i++) {
            dst[at + i] = (byte) s.charAt(i);
        }
        return at + s.length();
    }

    /** Writes a non-negative integer; returns the end. */
    static int digits(long v, byte[] dst, int at) {
        int n = length(v);
        int i = at + n;
        while (v >= 100_000_000) {
            long q = v / 100_000_000;
            eightDigits((int) (v - q * 100_000_000), dst, i);
            i -= 8;
            v = q;
        }
        int u = (int) v;
        while (u >= 100) {
            int q = u / 100;
            pair(u - q * 100, dst, i -= 2);
            u = q;
        }
        if (u >= 10) {
            pair(u, dst, i - 2);
        } else {
            dst[i - 1] = (byte) ('0' + u);
        }
        return at + n;
    }

    /**
     * Writes the eight digits of {@code v} (zero-padded) ending before {@code end}: split in
     * halves then pairs, so that the divisions do not wait on one another.
     */
    private static void eightDigits(int v, byte[] dst, int end) {
        int hi = v / 10_000;
        int lo = v - hi * 10_000;
        int h1 = hi / 100;
        int l1 = lo / 100;
        pair(h1, dst, end - 8);
        pair(hi - h1 * 100, dst, end - 6);
        pair(l1, dst, end - 4);
        pair(lo - l1 * 100, dst, end - 2);
    }

    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** Writes the two digits of {@code v} &lt; 100 at {@code dst[at]}. */
    private static void pair(int v, byte[] dst, int at) {
        dst[at] = PAIRS[2 * v];
        dst[at + 1] = PAIRS[2 * v + 1];
    }
}
