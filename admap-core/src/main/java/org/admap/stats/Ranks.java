package org.admap.stats;

import java.util.Arrays;

/** Ranks of a vector, as scipy.stats.rankdata's default ("average") computes them. */
public final class Ranks {

    private Ranks() {
    }

    /** Mid-ranks, 1-based: tied values share the mean of the ranks they occupy. No entry may be NaN. */
    public static double[] mid(double[] v) {
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
}
