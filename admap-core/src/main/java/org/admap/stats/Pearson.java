package org.admap.stats;

/**
 * Pearson's r, as scipy.stats.pearsonr computes it: the cosine of the centred vectors,
 * each scaled by its largest magnitude first so that no square overflows. NaN when a
 * vector is constant or fewer than two pairs are present.
 */
public final class Pearson {

    private Pearson() {
    }

    /** Pearson's r of {@code a[off, off + n)} and {@code b[off, off + n)}; no entry may be NaN. */
    public static double of(double[] a, double[] b, int off, int n) {
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
        return Cosine.centred(a, b, off, n, ma, mb);
    }

    /** Pearson's r over the pairs of two long vectors where both values are present. */
    public static double ofPresent(double[] x, double[] y) {
        double[][] p = Pairs.present(x, y);
        return p[0].length < 2 ? Double.NaN : of(p[0], p[1], 0, p[0].length);
    }

    /**
     * Pearson's r after each vector is min-max normalised to [0, 1], as the paper's code
     * (correlations/pearson_minmax_normalization.py) does: {@code (x - min) / (max - min)},
     * then {@code numpy.corrcoef}. Pearson's r does not change under such a rescaling, so
     * this equals {@link #of} up to rounding; it is here so that the paper's
     * {@code corr_method: pearson-minmax} can be run as written. NaN when a vector is
     * constant (max = min: numpy divides 0 by 0).
     */
    public static double ofMinMaxNormalised(double[] a, double[] b, int off, int n) {
        double[] na = minMax(a, off, n);
        double[] nb = minMax(b, off, n);
        return na == null || nb == null ? Double.NaN : of(na, nb, 0, n);
    }

    /** {@code (x - min) / (max - min)} of {@code x[off, off + n)}; null when max = min or the range is infinite. */
    private static double[] minMax(double[] x, int off, int n) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = off; i < off + n; i++) {
            min = Math.min(min, x[i]);
            max = Math.max(max, x[i]);
        }
        double range = max - min;
        if (!(range > 0) || range == Double.POSITIVE_INFINITY) {
            return null;
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = (x[off + i] - min) / range;
        }
        return out;
    }

    static boolean constant(double[] x, int off, int n) {
        for (int i = off; i < off + n; i++) {
            if (x[i] != x[off]) {
                return false;
            }
        }
        return true;
    }
}
