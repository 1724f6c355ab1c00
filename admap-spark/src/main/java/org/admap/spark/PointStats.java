package org.admap.spark;

import java.io.Serializable;
import org.admap.internal.map.MapJob;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.admap.stats.Correlation;
import org.admap.stats.Moments;

/**
 * One instruction's numbers on the map before its region is known, computed by the core's
 * own arithmetic ({@link Moments}, {@link MapJob#agreement}) so that every number equals
 * the single machine's bit for bit. Needs only the item's scores: it is computed where the
 * item lives, on any executor.
 *
 * @param key         the item's key
 * @param id          the item's id (the rank tie-breaker)
 * @param n           scored responses
 * @param mean        mean score
 * @param variance    population variance of the scores
 * @param correlation label/score agreement, NaN when the map has no correlation column or it is undefined
 */
public record PointStats(int key, String id, int n, double mean, double variance, double correlation)
        implements Serializable {

    /**
     * The statistics of an item, or null when fewer than two of its responses are scored
     * (such items are not on the map).
     *
     * @param correlation the agreement measure of the correlation column, or null for none
     */
    public static PointStats of(ItemScores s, Correlation correlation) {
        int n = Moments.count(s.scores());
        if (n < 2) {
            return null;
        }
        double mean = Moments.mean(s.scores());
        double variance = Moments.variance(s.scores(), mean);
        double c = correlation == null ? Double.NaN : MapJob.agreement(correlation, s);
        return new PointStats(s.key(), s.id(), n, mean, variance, c);
    }

    /** The point on the map, in its region. */
    public MapPoint withRegion(Region region) {
        return new MapPoint(key, id, n, mean, variance, Math.sqrt(variance), region, correlation);
    }
}
