package org.admap.map;

import java.util.Arrays;
import java.util.Comparator;
import org.admap.model.Region;

/**
 * Assigns regions by rank, exactly as the paper's split script does, with one change:
 * ties are broken by id so the result never depends on input order or sort stability.
 * <ol>
 *   <li>Sort all N points by variance (ascending); those from position
 *       {@code floor(2N/3)} on are {@code high-var}.</li>
 *   <li>Sort the remaining {@code floor(2N/3)} by mean (ascending); the lower
 *       {@code floor(M/2)} are {@code low-avg}, the rest {@code high-avg}.</li>
 * </ol>
 * With N = 805 that gives 268 low-avg, 268 high-avg and 269 high-var.
 */
public final class RegionAssigner {

    private RegionAssigner() {
    }

    /**
     * Returns the region of each point.
     *
     * @param ids       tie-breaker, compared as strings
     * @param means     the points' mean scores
     * @param variances the points' score variances
     */
    public static Region[] assign(String[] ids, double[] means, double[] variances) {
        int n = ids.length;
        if (means.length != n || variances.length != n) {
            throw new IllegalArgumentException("ids, means and variances differ in length");
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        int cut = (int) ((2L * n) / 3);
        boolean[] lowVariance = lowest(all, variances, ids, cut);
        Region[] regions = new Region[n];
        int[] rest = new int[cut];
        int r = 0;
        for (int i = 0; i < n; i++) {
            if (lowVariance[i]) {
                rest[r++] = i;
            } else {
                regions[i] = Region.HIGH_VAR;
            }
        }
        boolean[] lowMean = lowest(rest, means, ids, cut / 2);
        for (int j = 0; j < cut; j++) {
            regions[rest[j]] = lowMean[j] ? Region.LOW_AVG : Region.HIGH_AVG;
        }
        return regions;
    }

    /**
     * Which of the points {@code idx} are the {@code k} first in the order (key ascending,
     * as {@link Double#compare}, then id): the k-th smallest key is found by sorting a copy
     * of the keys, and only the points that tie with it are ordered by id. This gives the
     * same split as sorting every point by (key, id), without sorting objects.
     *
     * @return one flag per position of {@code idx}
     */
    private static boolean[] lowest(int[] idx, double[] key, String[] ids, int k) {
        int m = idx.length;
        boolean[] in = new boolean[m];
        if (k <= 0) {
            return in;
        }
        if (k >= m) {
            Arrays.fill(in, true);
            return in;
        }
        double[] sorted = new double[m];
        for (int j = 0; j < m; j++) {
            sorted[j] = key[idx[j]];
        }
        Arrays.parallelSort(sorted);
        double pivot = sorted[k - 1];
        int less = 0;
        int ties = 0;
        for (int j = 0; j < m; j++) {
            int c = Double.compare(key[idx[j]], pivot);
            if (c < 0) {
                in[j] = true;
                less++;
            } else if (c == 0) {
                ties++;
            }
        }
        Integer[] tied = new Integer[ties];
        int t = 0;
        for (int j = 0; j < m; j++) {
            if (Double.compare(key[idx[j]], pivot) == 0) {
                tied[t++] = j;
            }
        }
        Arrays.sort(tied, Comparator.comparing(j -> ids[idx[j]]));
        for (int j = 0; j < k - less; j++) {
            in[tied[j]] = true;
        }
        return in;
    }
}
