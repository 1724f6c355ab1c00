package org.admap.stats;

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
 * symmetric (the labels say which pairs count).
 *
 * <p>Two more are the paper's code's other {@code corr_method}s, as it defines them.
 * {@link #PEARSON_MINMAX} is Pearson's r after min-max normalising each vector
 * ({@link Pearson#ofMinMaxNormalised}); Pearson does not see that rescaling, so it is
 * {@code PEARSON} up to rounding. {@link #KL} is {@code exp(-KL(P || Q))} with P the labels
 * and Q the scores, each divided by its sum ({@link KullbackLeibler#agreement}): in [0, 1],
 * 1 for proportional vectors, and, like the others, higher for more agreement; it needs
 * non-negative vectors (a negative entry after normalising gives 0).
 *
 * <p>Every measure is NaN when undefined (fewer than two responses with both numbers, or a
 * zero or constant vector; for {@code RANK}, no two labels that differ; for {@code KL}, a
 * vector summing to zero).
 */
public enum Correlation {
    COSINE("cosine"),
    PEARSON("pearson"),
    KENDALL("kendall"),
    RANK("rank"),
    PEARSON_MINMAX("pearson-minmax"),
    KL("kl");

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
        throw new IllegalArgumentException("unknown correlation '" + name + "': expected cosine, pearson, kendall, "
                + "rank, pearson-minmax or kl");
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
            case COSINE -> Cosine.of(a, b, off, n);
            case PEARSON -> Pearson.of(a, b, off, n);
            case KENDALL -> Kendall.tauB(a, b, off, n);
            case RANK -> rankAgreement(a, b, off, n);
            case PEARSON_MINMAX -> Pearson.ofMinMaxNormalised(a, b, off, n);
            case KL -> KullbackLeibler.agreement(a, b, off, n);
        };
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
                int sl = Kendall.order(labels[i], labels[j]);
                if (sl == 0) {
                    continue;
                }
                counted++;
                net += (long) sl * Kendall.order(scores[i], scores[j]);
            }
        }
        return counted == 0 ? Double.NaN : (double) net / counted;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
