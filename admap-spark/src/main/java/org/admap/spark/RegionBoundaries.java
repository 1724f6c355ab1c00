package org.admap.spark;

import java.io.Serializable;
import org.admap.model.Region;
import org.apache.spark.api.java.JavaRDD;

/**
 * The regions of a whole map, by global rank, as two boundary keys. The core's
 * {@code RegionAssigner} sorts all N points by (variance, id) and makes positions
 * {@code floor(2N/3)} onward {@code high-var}; it sorts the other {@code M = floor(2N/3)} by
 * (mean, id) and makes the lower {@code floor(M/2)} {@code low-avg}. Since ids are unique,
 * "at or after position p" is the same as "at or above the key at position p": so the two
 * keys at those positions, found by exact global sorts, decide every point's region with one
 * comparison, on whichever executor the point lives, and the result equals the core's.
 *
 * @param highVarFrom the (variance, id) key at position {@code floor(2N/3)}, or null when no point is high-var
 * @param highAvgFrom the (mean, id) key at position {@code floor(M/2)} of the rest, or null when none is high-avg
 * @param points      N, the points on the map
 */
public record RegionBoundaries(RankKey highVarFrom, RankKey highAvgFrom, long points) implements Serializable {

    /** Finds the boundaries of a map (three sorts of the keys, none of the texts). */
    public static RegionBoundaries of(JavaRDD<PointStats> points) {
        long n = points.count();
        long cut = (2 * n) / 3;
        RankKey highVar = cut < n ? GlobalRank.at(points.map(RankKey::byVariance), cut) : null;
        JavaRDD<PointStats> rest = highVar == null ? points
                : points.filter(p -> RankKey.byVariance(p).compareTo(highVar) < 0);
        long half = cut / 2;
        RankKey highAvg = half < cut ? GlobalRank.at(rest.map(RankKey::byMean), half) : null;
        return new RegionBoundaries(highVar, highAvg, n);
    }

    /** The region of a point of the map. */
    public Region regionOf(PointStats p) {
        if (highVarFrom != null && RankKey.byVariance(p).compareTo(highVarFrom) >= 0) {
            return Region.HIGH_VAR;
        }
        return highAvgFrom != null && RankKey.byMean(p).compareTo(highAvgFrom) >= 0 ? Region.HIGH_AVG
                : Region.LOW_AVG;
    }
}
