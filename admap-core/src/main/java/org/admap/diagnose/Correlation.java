package org.admap.diagnose;

import java.util.Arrays;
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
        throw new IllegalArgumentException("unknown correlation '" + name + "': expected cosine, pearson, kendall or rank");
    }

    /** The measure between labels and scores, over positions where both are present. */
    public double of(double[] labels, double[] scores) {
        int n = 0;
        double[] a = new double[labels.length];
        double[] b = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (!Double.isNaN(labels[i]) && !Double.isNaN(scores[i])) {
                a[n] = labels[i];
                b[n] = scores[i];
                n++;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        a = Arrays.copyOf(a, n);
        b = Arrays.copyOf(b, n);
        return switch (this) {
            case COSINE -> cosine(a, b);
            case PEARSON -> pearson(a, b);
            case KENDALL -> kendallTauB(a, b);
            case RANK -> rankAgreement(a, b);
        };
    }

    static double cosine(double[] a, double[] b) {
        // Each vector is divided by its largest magnitude first (as scipy.stats.pearsonr
        // does), so that no square overflows or underflows: the cosine does not depend on
        // scale, and is undefined only for a zero vector.
        double sa = maxAbs(a);
        double sb = maxAbs(b);
        if (sa == 0 || sb == 0) {
            return Double.NaN;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            double x = a[i] / sa;
            double y = b[i] / sb;
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return clamp(dot / (Math.sqrt(na) * Math.sqrt(nb)));
    }

    private static double maxAbs(double[] x) {
        double max = 0;
        for (double v : x) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    static double pearson(double[] a, double[] b) {
        if (constant(a) || constant(b)) {
            // Tested before centring: the computed mean of a constant vector is not always
            // exact (3 x 0.1 sums to 0.30000000000000004), and the centred vector would be a
            // tiny non-zero constant with a meaningless correlation. scipy returns nan too.
            return Double.NaN;
        }
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double[] ca = new double[a.length];
        double[] cb = new double[b.length];
        for (int i = 0; i < a.length; i++) {
            ca[i] = a[i] - ma;
            cb[i] = b[i] - mb;
        }
        return cosine(ca, cb);
    }

    private static boolean constant(double[] x) {
        for (double v : x) {
            if (v != x[0]) {
                return false;
            }
        }
        return true;
    }

    /** Kendall's tau-b: (concordant - discordant) / sqrt((n0 - ties_a)(n0 - ties_b)). */
    static double kendallTauB(double[] a, double[] b) {
        long concordant = 0;
        long discordant = 0;
        long tiesA = 0;
        long tiesB = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
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
    static double rankAgreement(double[] labels, double[] scores) {
        long counted = 0;
        long net = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int j = i + 1; j < labels.length; j++) {
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

    /** Rounding can push a perfect agreement a hair past 1. */
    private static double clamp(double v) {
        return Math.max(-1.0, Math.min(1.0, v));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
