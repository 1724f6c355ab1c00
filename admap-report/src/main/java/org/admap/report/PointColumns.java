package org.admap.report;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import org.admap.model.MapPoint;
import org.admap.model.Region;

/**
 * A map's points read field by field, point {@code i} in the map's key order: what the
 * pictures and the page walk, a million times per field on a big map, in ascending key order. A scanned run's
 * columns give them as primitive arrays ({@link ArrayPointColumns}), without a {@link MapPoint}
 * object per instruction, which a report would hold for its whole run and the collector copy
 * again and again; a store's {@code List<MapPoint>} gives them as they are ({@link #of(List)}).
 */
public interface PointColumns {

    /** How many points. */
    int size();

    /** Point {@code i}'s item key. */
    int key(int i);

    /** The number of scored responses point {@code i}'s statistics are over. */
    int n(int i);

    /** Point {@code i}'s mean score (quality, the y axis). */
    double mean(int i);

    /** Point {@code i}'s score variance (variability, the x axis). */
    double variance(int i);

    /** Point {@code i}'s region. */
    Region region(int i);

    /** Point {@code i}'s label/score correlation, NaN when it has none. */
    double correlation(int i);

    /** Point {@code i}'s region_p, NaN when its scores carry no uncertainty. */
    double regionP(int i);

    /** Point {@code i} as one object, its id null where the source reads ids on demand ({@link ReportSource#id}). */
    MapPoint get(int i);

    /**
     * The index of the point of item {@code key}, or -1 when the map has none: found by
     * halving, the points being in ascending key order as every source gives them.
     */
    default int indexOfKey(int key) {
        int lo = 0;
        int hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int k = key(mid);
            if (k < key) {
                lo = mid + 1;
            } else if (k > key) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Whether any point has a label/score correlation. */
    default boolean anyCorrelation() {
        for (int i = 0; i < size(); i++) {
            if (!Double.isNaN(correlation(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether any point has a region_p (scores with uncertainty). */
    default boolean anyRegionP() {
        for (int i = 0; i < size(); i++) {
            if (!Double.isNaN(regionP(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The points as an unmodifiable list, each {@link #get} made as it is asked for: for a
     * caller that needs a {@code List<MapPoint>} and looks at a few of them.
     */
    default List<MapPoint> asList() {
        PointColumns points = this;
        final class View extends AbstractList<MapPoint> implements RandomAccess {
            @Override
            public MapPoint get(int i) {
                return points.get(i);
            }

            @Override
            public int size() {
                return points.size();
            }
        }
        return new View();
    }

    /** The points of a list, read through it. */
    static PointColumns of(List<MapPoint> points) {
        return new ListPointColumns(points);
    }
}
