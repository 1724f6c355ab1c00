package org.admap.stats;

/**
 * The value at a rank of an array in ascending order, without sorting it all (quickselect):
 * the thresholds of a diagnosis need one rank of a million values, and a full sort was most of
 * their time. The order is {@link Double#compare}'s, which is {@code Arrays.sort}'s (-0.0
 * before 0.0, NaN last), so the value is the one {@code sorted[rank]} would give.
 */
public final class OrderStatistic {

    private OrderStatistic() {
    }

    /**
     * The value at 0-based {@code rank} of {@code values} in ascending order; reorders
     * {@code values} (pass a copy to keep them).
     */
    public static double select(double[] values, int rank) {
        if (rank < 0 || rank >= values.length) {
            throw new IllegalArgumentException("rank " + rank + " outside 0.." + (values.length - 1));
        }
        int lo = 0;
        int hi = values.length - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            // the median of three as the pivot: no quadratic time on sorted or reversed input
            if (less(values[mid], values[lo])) {
                swap(values, mid, lo);
            }
            if (less(values[hi], values[lo])) {
                swap(values, hi, lo);
            }
            if (less(values[hi], values[mid])) {
                swap(values, hi, mid);
            }
            double pivot = values[mid];
            int i = lo;
            int j = hi;
            while (i <= j) { // Hoare's partition: values equal to the pivot go either way, so ties stay balanced
                while (less(values[i], pivot)) {
                    i++;
                }
                while (less(pivot, values[j])) {
                    j--;
                }
                if (i <= j) {
                    swap(values, i, j);
                    i++;
                    j--;
                }
            }
            if (rank <= j) {
                hi = j;
            } else if (rank >= i) {
                lo = i;
            } else {
                return values[rank]; // between the two parts: equal to the pivot
            }
        }
        return values[rank];
    }

    private static boolean less(double a, double b) {
        return Double.compare(a, b) < 0;
    }

    private static void swap(double[] v, int a, int b) {
        double t = v[a];
        v[a] = v[b];
        v[b] = t;
    }
}
