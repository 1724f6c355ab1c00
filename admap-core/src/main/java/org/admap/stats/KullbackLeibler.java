package org.admap.stats;

/**
 * The Kullback-Leibler divergence of two non-negative vectors read as distributions, as
 * {@code scipy.stats.entropy(p, q)} computes it: each vector is divided by its sum, then
 * {@code KL(P || Q) = sum_i P_i ln(P_i / Q_i)} in nats, with scipy's conventions for the
 * edges ({@code scipy.special.rel_entr}): a term with {@code P_i = 0} is 0, a term with
 * {@code P_i > 0} and {@code Q_i = 0}, or with a negative entry, is infinite. No softmax,
 * no epsilon: the paper's code (correlations/kl_divergence.py) adds neither.
 *
 * <p>The paper's agreement measure is {@link #agreement}, {@code exp(-KL)}: 1 for the same
 * distribution, towards 0 as they part, 0 when Q misses a response P has. It is "higher is
 * more agreement", like the correlations, so the diagnosis's rule (at most 0.65, or the
 * bottom 1%) applies to it unchanged.
 */
public final class KullbackLeibler {

    private KullbackLeibler() {
    }

    /**
     * KL(P || Q) of {@code p[off, off + n)} and {@code q[off, off + n)}, each divided by its
     * sum; NaN when either sums to zero or to no finite number (no distribution) or an entry
     * is NaN; never negative.
     */
    public static double divergence(double[] p, double[] q, int off, int n) {
        double sp = 0;
        double sq = 0;
        for (int i = off; i < off + n; i++) {
            sp += p[i];
            sq += q[i];
        }
        if (sp == 0 || sq == 0 || !Double.isFinite(sp) || !Double.isFinite(sq)) {
            return Double.NaN;
        }
        double kl = 0;
        for (int i = off; i < off + n; i++) {
            kl += relativeEntropy(p[i] / sp, q[i] / sq);
        }
        // Each term can be negative; their sum cannot (Gibbs' inequality), but rounding can
        // leave a hair below zero for two equal distributions.
        return Math.max(0.0, kl);
    }

    /** The paper's agreement, {@code exp(-KL(P || Q))}, in [0, 1]; NaN where the divergence is. */
    public static double agreement(double[] p, double[] q, int off, int n) {
        return Math.exp(-divergence(p, q, off, n));
    }

    /** scipy.special.rel_entr: {@code x ln(x / y)}, 0 for x = 0 and y >= 0, else infinite. */
    private static double relativeEntropy(double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return Double.NaN;
        }
        if (x > 0 && y > 0) {
            return x * Math.log(x / y);
        }
        if (x == 0 && y >= 0) {
            return 0;
        }
        return Double.POSITIVE_INFINITY;
    }
}
