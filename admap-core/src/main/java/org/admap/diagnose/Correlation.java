package org.admap.diagnose;

import java.util.Locale;

/**
 * How well an instruction's labels agree with its alignment scores, over the responses
 * that have both. Low agreement marks a potentially mis-annotated instruction.
 *
 * <p>{@link #COSINE} is the paper's measure: the cosine of the raw (uncentred) label and
 * score vectors. It is high whenever both are positive, so it ranks rather than
 * tests: use it with the bottom-1% rule. {@link #PEARSON} centres both vectors first;
 * {@link #KENDALL} is Kendall's tau-b, which only looks at the order of the responses and
 * handles ties as scipy does. {@link #RANK} is the rank agreement of preference data:
 * over the pairs of responses whose labels differ, the share the scores order the same way
 * minus the share they order the other way (Somers' d of the scores on the labels; a score
 * tie counts as neither). For a preference pair it is +1 when the scores prefer the chosen
 * response, -1 when they prefer the rejected one, 0 on a tie; unlike the others it is not
 * symmetric (the labels say which pairs count). Every measure is NaN when undefined (fewer
 * than two responses with both numbers, or a zero or constant vector; for {@code RANK}, no
 * two labels that differ).
 */
public enum Correlation {
    COSINE("cosine"),
    PEARSON("pearson"),
    KENDALL("kendall"),
    RANK("rank");

    private final String cliName;

    Correlation(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Correlation parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Correlation c : values()) {
            if (c.cliName.equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown correlation '" + name + "': expected cosine, pearson, kendall or " +
                "rank");
    }

    /** The measure between labels and scores, over positions where both are present. */
    public double of(double[] labels, double[] scores) {
        return of(labels, scores, 0, labels.length);
    }

    /**
     * The measure between {@code labels[from, to)} and {@code scores[from, to)}, over
     * positions where both are present: the same number as {@link #of(double[], double[])}
     * on copies of those ranges, read in place (no copy when every position has both).
     */
    public double of(double[] labels, double[] scores, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(labels[i]) && !Double.isNaN(scores[i])) {
                n++;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double[] a = labels;
        double[] b = scores;
        int off = from;
        if (n < to - from) {
            // some position lacks a number: the measure is over the others, packed
            a = new double[n];
            b = new double[n];
            int j = 0;
            for (int i = from; i < to; i++) {
                if (!Double.isNaN(labels[i]) && !Double.isNaN(scores[i])) {
                    a[j] = labels[i];
                    b[j] = scores[i];
                    j++;
                }
            }
            off = 0;
        }
        return switch (this) {
            case COSINE -> cosine(a, b, off, n, 0, 0);
            case PEARSON -> pearson(a, b, off, n);
            case KENDALL -> kendallTauB(a, b, off, n);
            case RANK -> rankAgreement(a, b, off, n);
        };
    }

    /**
     * The cosine of {@code a[off, off + n) - ca} and {@code b[off, off + n) - cb} (the
     * shifts centre the vectors for Pearson without a copy; {@code x - 0.0} is {@code x}).
     */
    private static double cosine(double[] a, double[] b, int off, int n, double ca, double cb) {
        // Each vector is divided by its largest magnitude first (as scipy.stats.pearsonr
        // does), so that no square overflows or underflows: the cosine does not depend on
        // scale, and is undefined only for a zero vector.
        double sa = 0;
        double sb = 0;
        for (int i = off; i < off + n; i++) {
            sa = maxOfMagnitudes(sa, Math.abs(a[i] - ca));
            sb = maxOfMagnitudes(sb, Math.abs(b[i] - cb));
        }
        if (sa == 0 || sb == 0) {
            return Double.NaN;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = off; i < off + n; i++) {
            double x = (a[i] - ca) / sa;
            double y = (b[i] - cb) / sb;
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return clamp(dot / (Math.sqrt(na) * Math.sqrt(nb)));
    }

    private static double pearson(double[] a, double[] b, int off, int n) {
        if (constant(a, off, n) || constant(b, off, n)) {
            // Tested before centring: the computed mean of a constant vector is not always
            // exact (3 x 0.1 sums to 0.30000000000000004), and the centred vector would be a
            // tiny non-zero constant with a meaningless correlation. scipy returns nan too.
            return Double.NaN;
        }
        double ma = 0;
        double mb = 0;
        for (int i = off; i < off + n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        return cosine(a, b, off, n, ma, mb);
    }

    private static boolean constant(double[] x, int off, int n) {
        for (int i = off; i < off + n; i++) {
            if (x[i] != x[off]) {
                return false;
            }
        }
        return true;
    }

    /** Kendall's tau-b: (concordant - discordant) / sqrt((n0 - ties_a)(n0 - ties_b)). */
    private static double kendallTauB(double[] a, double[] b, int off, int n) {
        long concordant = 0;
        long discordant = 0;
        long tiesA = 0;
        long tiesB = 0;
        for (int i = off; i < off + n; i++) {
            for (int j = i + 1; j < off + n; j++) {
                int sa = order(a[i], a[j]);
                int sb = order(b[i], b[j]);
                if (sa == 0 && sb == 0) {
                    continue; // tied in both: counts in neither pair total
                }
                if (sa == 0) {
                    tiesA++;
                } else if (sb == 0) {
                    tiesB++;
                } else if (sa == sb) {
                    concordant++;
                } else {
                    discordant++;
                }
            }
        }
        double denominator = Math.sqrt((double) (concordant + discordant + tiesA)
                * (concordant + discordant + tiesB));
        return denominator == 0 ? Double.NaN : clamp((concordant - discordant) / denominator);
    }

    /**
     * Somers' d of scores on labels: over pairs whose labels differ, (same order - opposite
     * order) / pairs; NaN when every label is the same.
     */
    private static double rankAgreement(double[] labels, double[] scores, int off, int n) {
        long counted = 0;
        long net = 0;
        for (int i = off; i < off + n; i++) {
            for (int j = i + 1; j < off + n; j++) {
                int sl = order(labels[i], labels[j]);
                if (sl == 0) {
                    continue;
                }
                counted++;
                net += (long) sl * order(scores[i], scores[j]);
            }
        }
        return counted == 0 ? Double.NaN : (double) net / counted;
    }

    /**
     * The numeric order of two values. Not {@link Double#compare}, which puts -0.0 before
     * 0.0: for a rank measure they are the same number, a tie.
     */
    private static int order(double x, double y) {
        return x < y ? -1 : x > y ? 1 : 0;
    }

    /**
     * {@code Math.max(m, u)} for magnitudes (never -0.0, so there is no signed zero to
     * order) as plain comparisons, several times faster; a NaN wins as in {@code Math.max},
     * the first of two.
     */
    private static double maxOfMagnitudes(double m, double u) {
        return u > m || (u != u && m == m) ? u : m;
    }

    /** Rounding can push a perfect agreement a hair past 1. */
    private static double clamp(double v) {
        // Math's, not a comparison: the JIT compiles them without a branch, and a branch
        // almost never taken is compiled as a trap that costs a recompilation when it is.
        return Math.max(-1.0, Math.min(1.0, v));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
