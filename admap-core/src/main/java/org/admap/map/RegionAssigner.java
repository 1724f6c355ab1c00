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
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> variances[i]).thenComparing(i -> ids[i]));
        Region[] regions = new Region[n];
        int cut = (int) ((2L * n) / 3);
        for (int r = cut; r < n; r++) {
            regions[order[r]] = Region.HIGH_VAR;
        }
        Integer[] rest = Arrays.copyOf(order, cut);
        Arrays.sort(rest, Comparator.<Integer>comparingDouble(i -> means[i]).thenComparing(i -> ids[i]));
        int half = cut / 2;
        for (int r = 0; r < cut; r++) {
            regions[rest[r]] = r < half ? Region.LOW_AVG : Region.HIGH_AVG;
        }
        return regions;
    }
}
