package org.admap.spark;

import java.io.Serializable;

/**
 * A point's place in one of the two rank orders of the regions: by a value (variance or
 * mean), ties broken by id, compared exactly as the core's {@code RegionAssigner} compares
 * ({@link Double#compare}, then {@link String#compareTo}). Spark sorts by this natural
 * order, never by its SQL ordering of doubles and strings, which differs in corner cases
 * (UTF-8 byte order of ids, -0.0).
 *
 * @param value the variance or the mean
 * @param id    the item's id, unique in a job
 */
public record RankKey(double value, String id) implements Comparable<RankKey>, Serializable {

    @Override
    public int compareTo(RankKey o) {
        int c = Double.compare(value, o.value);
        return c != 0 ? c : id.compareTo(o.id);
    }

    /** The key of a point in the variance order. */
    public static RankKey byVariance(PointStats p) {
        return new RankKey(p.variance(), p.id());
    }

    /** The key of a point in the mean order. */
    public static RankKey byMean(PointStats p) {
        return new RankKey(p.mean(), p.id());
    }
}
