package org.admap.stats;

import java.util.Arrays;

/**
 * Kendall's tau-b, as scipy.stats.kendalltau computes it:
 * {@code (C - D) / sqrt((n0 - tiesX)(n0 - tiesY))}, with n0 the pairs, C and D the
 * concordant and discordant pairs and tiesX, tiesY the pairs tied in x and in y (a pair
 * tied in both counts in neither C nor D). NaN when a side is constant or fewer than two
 * pairs are present.
 *
 * <p>One definition, two ways of counting: an instruction's few responses are counted pair
 * by pair (no allocation, the diagnosis's inner loop), a long vector with Knight's
 * O(n log n) algorithm (a million points take a second, not hours). Both count the same
 * integers and finish with the same arithmetic, so they give the same bits (a test holds
 * them to it).
 */
public final class Kendall {

    /** Up to this many values are counted pair by pair. */
    static final int PAIRWISE_UP_TO = 64;

    private Kendall() {
    }

    /** Tau-b of {@code a[off, off + n)} and {@code b[off, off + n)}; no entry may be NaN. */
    public static double tauB(double[] a, double[] b, int off, int n) {
        return n <= PAIRWISE_UP_TO ? pairwise(a, b, off, n) : knight(a, b, off, n);
    }

    /** Tau-b over the pairs of two vectors where both values are present. */
    public static double ofPresent(double[] x, double[] y) {
        double[][] p = Pairs.present(x, y);
        int n = p[0].length;
        return n < 2 ? Double.NaN : tauB(p[0], p[1], 0, n);
    }

    /** Counts every pair. */
    static double pairwise(double[] a, double[] b, int off, int n) {
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
        // C + D + tiesA are the pairs not tied in b, C + D + tiesB those not tied in a
        return finish(concordant - discordant, concordant + discordant + tiesA, concordant + discordant + tiesB);
    }

    /**
     * Knight's count: sort by (x, y), count the discordant pairs as the inversions a merge
     * sort of y undoes, and the ties from runs of equal values.
     */
    static double knight(double[] a0, double[] b0, int off, int n) {
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = a0[off + i] + 0.0; // -0.0 ties with 0.0, as in order()
            b[i] = b0[off + i] + 0.0;
        }
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
        long concordantPlusDiscordant = n0 - tiedX - tiedY + tiedBoth;
        return finish(concordantPlusDiscordant - 2 * discordant, n0 - tiedY, n0 - tiedX);
    }

    /** (C - D) / sqrt(pairs not tied in b * pairs not tied in a), clamped to [-1, 1]. */
    private static double finish(long net, long untiedB, long untiedA) {
        double denominator = Math.sqrt((double) untiedB * untiedA);
        return denominator == 0 ? Double.NaN : Cosine.clamp(net / denominator);
    }

    /**
     * The numeric order of two values. Not {@link Double#compare}, which puts -0.0 before
     * 0.0: for a rank measure they are the same number, a tie.
     */
    static int order(double x, double y) {
        return x < y ? -1 : x > y ? 1 : 0;
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
}
