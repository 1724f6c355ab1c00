package org.admap.map;

import java.util.EnumMap;
import java.util.Map;
import org.admap.model.Region;

/**
 * The numbers a user reads first about a map: how many instructions in each region and
 * the ranges of mean and variance there.
 *
 * @param mapped     instructions on the map
 * @param unmapped   instructions left off (fewer than two scored responses)
 * @param regions    per region: count and ranges
 * @param meanRange  the lowest and highest mean over the map
 * @param degenerate whether every point has the same mean and variance, so the regions
 *                   are decided by id alone (typical of 0/1 pair labels used as scores)
 */
public record MapSummary(long mapped, long unmapped, Map<Region, RegionStats> regions, double[] meanRange,
                         boolean degenerate) {

    /**
     * One region.
     *
     * @param count         its instructions
     * @param meanRange     lowest and highest mean
     * @param varianceRange lowest and highest variance
     */
    public record RegionStats(long count, double[] meanRange, double[] varianceRange) {
    }

    /** The summary of a map, in one pass over its points. */
    public static MapSummary of(AlignmentMap map) {
        Region[] all = Region.values();
        long[] counts = new long[all.length];
        double[][] means = new double[all.length][];
        double[][] variances = new double[all.length][];
        for (Region r : all) {
            means[r.ordinal()] = new double[] {Double.NaN, Double.NaN};
            variances[r.ordinal()] = new double[] {Double.NaN, Double.NaN};
        }
        double[] meanRange = {Double.NaN, Double.NaN};
        double[] varRange = {Double.NaN, Double.NaN};
        int size = map.size();
        for (int i = 0; i < size; i++) {
            int r = map.region(i);
            double mean = map.mean(i);
            double variance = map.variance(i);
            counts[r]++;
            widen(means[r], mean);
            widen(variances[r], variance);
            widen(meanRange, mean);
            widen(varRange, variance);
        }
        Map<Region, RegionStats> regions = new EnumMap<>(Region.class);
        for (Region r : all) {
            regions.put(r, new RegionStats(counts[r.ordinal()], means[r.ordinal()], variances[r.ordinal()]));
        }
        boolean degenerate = size > 1 && meanRange[0] == meanRange[1] && varRange[0] == varRange[1];
        return new MapSummary(size, map.unmapped(), regions, meanRange, degenerate);
    }

    private static void widen(double[] range, double v) {
        if (Double.isNaN(range[0]) || v < range[0]) {
            range[0] = v;
        }
        if (Double.isNaN(range[1]) || v > range[1]) {
            range[1] = v;
        }
    }
}
