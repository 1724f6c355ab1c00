package org.admap.compare;

import java.util.Arrays;
import org.admap.diagnose.Correlation;

/**
 * Correlations of two long vectors (one value per instruction or per response), as scipy
 * computes them: Spearman's rho (Pearson of mid-ranks), Kendall's tau-b (Knight's
 * O(n log n) algorithm, so a million points take a second, not hours) and Pearson. Pairs
 * with a NaN on either side are left out; every measure is NaN when fewer than two pairs
 * remain or one side is constant.
 */
public final class RankCorrelation {

    private RankCorrelation() {
    }

    /** Pearson's r over the pairs where both values are present. */
    public static double pearson(double[] x, double[] y) {
        double[][] p = present(x, y);
        return p[0].length < 2 ? Double.NaN : Correlation.PEARSON.of(p[0], p[1]);
    }

    /** Spearman's rho: Pearson's r of the mid-ranks (tied values share their average rank). */
    public static double spearman(double[] x, double[] y) {
        double[][] p = present(x, y);
        if (p[0].length < 2) {
            return Double.NaN;
        }
        return Correlation.PEARSON.of(ranks(p[0]), ranks(p[1]));
    }

    /**
     * Kendall's tau-b, {@code (C - D) / sqrt((n0 - n1)(n0 - n2))} with n1, n2 the pairs tied
     * in x and in y, counted in O(n log n): sort by (x, y), count the discordant pairs as the
     * inversions a merge sort of y undoes, and the ties from runs of equal values.
     */
    public static double kendall(double[] x, double[] y) {
        double[][] p = present(x, y);
        int n = p[0].length;
        if (n < 2) {
            return Double.NaN;
        }
        double[] a = p[0];
        double[] b = p[1];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> {
            int c = Double.compare(a[i], a[j]);
            return c != 0 ? c : Double.compare(b[i], b[j]);
        });
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = a[order[i]];
            ys[i] = b[order[i]];
        }
        long n0 = (long) n * (n - 1) / 2;
        long tiedX = 0;
        long tiedBoth = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && xs[j + 1] == xs[i]) {
                j++;
            }
            tiedX += pairs(j - i + 1);
            for (int k = i; k <= j; ) { // within an x run, y is sorted: runs of equal y are joint ties
                int m = k;
                while (m + 1 <= j && ys[m + 1] == ys[k]) {
                    m++;
                }
                tiedBoth += pairs(m - k + 1);
                k = m + 1;
            }
            i = j + 1;
        }
        long discordant = inversions(ys, new double[n], 0, n);
        long tiedY = 0;
        for (int i = 0; i < n; ) { // ys is now sorted
            int j = i;
            while (j + 1 < n && ys[j + 1] == ys[i]) {
                j++;
            }
            tiedY += pairs(j - i + 1);
            i = j + 1;
        }
        double denominator = Math.sqrt((double) (n0 - tiedX) * (n0 - tiedY));
        if (denominator == 0) {
            return Double.NaN;
        }
        double tau = (n0 - tiedX - tiedY + tiedBoth - 2.0 * discordant) / denominator;
        return Math.max(-1, Math.min(1, tau));
    }

    /** Mid-ranks, 1-based: tied values share the mean of the ranks they occupy. */
    static double[] ranks(double[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(v[i], v[j]));
        double[] r = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double mid = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = mid;
            }
            i = j + 1;
        }
        return r;
    }

    private static long pairs(long t) {
        return t * (t - 1) / 2;
    }

    /** Sorts {@code v[from, to)} and returns how many pairs it had strictly out of order. */
    private static long inversions(double[] v, double[] tmp, int from, int to) {
        if (to - from < 2) {
            return 0;
        }
        int mid = (from + to) >>> 1;
        long count = inversions(v, tmp, from, mid) + inversions(v, tmp, mid, to);
        int i = from;
        int j = mid;
        int k = from;
        while (i < mid && j < to) {
            if (v[j] < v[i]) { // strictly less: equal values are ties, not inversions
                count += mid - i;
                tmp[k++] = v[j++];
            } else {
                tmp[k++] = v[i++];
            }
        }
        while (i < mid) {
            tmp[k++] = v[i++];
        }
        while (j < to) {
            tmp[k++] = v[j++];
        }
        System.arraycopy(tmp, from, v, from, to - from);
        return count;
    }

    /** The pairs with both values present; -0.0 becomes 0.0, so that it ties with 0.0. */
    private static double[][] present(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("the vectors differ in length: " + x.length + " and " + y.length);
        }
        double[] a = new double[x.length];
        double[] b = new double[y.length];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                a[n] = x[i] + 0.0;
                b[n] = y[i] + 0.0;
                n++;
            }
        }
        return new double[][] {Arrays.copyOf(a, n), Arrays.copyOf(b, n)};
    }
}
