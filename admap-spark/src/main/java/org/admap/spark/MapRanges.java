package org.admap.spark;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.admap.model.ItemScores;
import org.admap.model.Region;

/**
 * The counts and ranges summary.json reports besides the regions' sizes, as the single
 * machine's summary has them: the number of responses, the lowest and highest score of the
 * map's source over all responses, and the range of the means over the map and of the means
 * and variances in each region. One pass over the instructions, one partial per partition;
 * the partials are merged on the driver in partition (key) order, and a value replaces a
 * bound only when strictly lower or higher, so that of {@code -0.0} and {@code 0.0} the first
 * seen stays, as on one machine.
 */
final class MapRanges implements Serializable {

    private static final long serialVersionUID = 1L;

    private long responses;
    private final double[] scores = empty();
    private final double[] means = empty();
    private final double[][] regionMeans = new double[Region.values().length][];
    private final double[][] regionVariances = new double[Region.values().length][];

    MapRanges() {
        for (Region r : Region.values()) {
            regionMeans[r.ordinal()] = empty();
            regionVariances[r.ordinal()] = empty();
        }
    }

    /** The partial of one partition's instructions. */
    static Iterator<MapRanges> of(Iterator<KeyedItem> items, boolean fromLabels, RegionBoundaries boundaries) {
        MapRanges r = new MapRanges();
        while (items.hasNext()) {
            KeyedItem k = items.next();
            ItemScores s = k.scores(fromLabels);
            r.responses += k.responses().size();
            for (double v : s.scores()) {
                widen(r.scores, v);
            }
            PointStats p = PointStats.of(s, null);
            if (p != null) {
                int region = boundaries.regionOf(p).ordinal();
                widen(r.means, p.mean());
                widen(r.regionMeans[region], p.mean());
                widen(r.regionVariances[region], p.variance());
            }
        }
        return List.of(r).iterator();
    }

    /** The partials merged in the order given (partition order). */
    static MapRanges merge(List<MapRanges> parts) {
        MapRanges all = new MapRanges();
        for (MapRanges p : parts) {
            all.responses += p.responses;
            widen(all.scores, p.scores);
            widen(all.means, p.means);
            for (Region r : Region.values()) {
                widen(all.regionMeans[r.ordinal()], p.regionMeans[r.ordinal()]);
                widen(all.regionVariances[r.ordinal()], p.regionVariances[r.ordinal()]);
            }
        }
        return all;
    }

    long responses() {
        return responses;
    }

    /** Lowest and highest score of the map's source, or null when no response has one. */
    double[] scoreRange() {
        return known(scores);
    }

    /** Lowest and highest mean over the map, or null for an empty map. */
    double[] meanRange() {
        return known(means);
    }

    /** Lowest and highest mean in a region, or null when it is empty. */
    double[] meanRange(Region region) {
        return known(regionMeans[region.ordinal()]);
    }

    /** Lowest and highest variance in a region, or null when it is empty. */
    double[] varianceRange(Region region) {
        return known(regionVariances[region.ordinal()]);
    }

    private static double[] empty() {
        return new double[] {Double.NaN, Double.NaN};
    }

    private static double[] known(double[] range) {
        return Double.isNaN(range[0]) ? null : range.clone();
    }

    private static void widen(double[] range, double v) {
        if (Double.isNaN(v)) {
            return;
        }
        if (Double.isNaN(range[0]) || v < range[0]) {
            range[0] = v;
        }
        if (Double.isNaN(range[1]) || v > range[1]) {
            range[1] = v;
        }
    }

    private static void widen(double[] range, double[] part) {
        if (!Double.isNaN(part[0]) && (Double.isNaN(range[0]) || part[0] < range[0])) {
            range[0] = part[0];
        }
        if (!Double.isNaN(part[1]) && (Double.isNaN(range[1]) || part[1] > range[1])) {
            range[1] = part[1];
        }
    }
}
