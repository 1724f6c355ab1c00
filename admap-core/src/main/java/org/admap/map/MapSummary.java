package org.admap.map;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.admap.model.MapPoint;
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

    public static MapSummary of(AlignmentMap map) {
        List<MapPoint> points = map.points();
        Map<Region, RegionStats> regions = new EnumMap<>(Region.class);
        for (Region r : Region.values()) {
            long count = 0;
            double[] mean = {Double.NaN, Double.NaN};
            double[] var = {Double.NaN, Double.NaN};
            for (MapPoint p : points) {
                if (p.region() == r) {
                    count++;
                    widen(mean, p.mean());
                    widen(var, p.variance());
                }
            }
            regions.put(r, new RegionStats(count, mean, var));
        }
        double[] meanRange = {Double.NaN, Double.NaN};
        double[] varRange = {Double.NaN, Double.NaN};
        for (MapPoint p : points) {
            widen(meanRange, p.mean());
            widen(varRange, p.variance());
        }
        boolean degenerate = points.size() > 1 && meanRange[0] == meanRange[1] && varRange[0] == varRange[1];
        return new MapSummary(points.size(), map.unmapped(), regions, meanRange, degenerate);
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
