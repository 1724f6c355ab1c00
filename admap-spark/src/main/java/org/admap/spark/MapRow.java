package org.admap.spark;

import java.io.Serializable;
import org.admap.model.MapPoint;
import org.admap.model.Region;

/**
 * One point of the map as the job writes it: the columns of the single machine's
 * {@code map.csv} ({@code id, prompt, n, mean, variance, std, region, correlation}, and
 * {@code region_p} when the scores carry uncertainty) and the item's key.
 *
 * @param key         the item's key (its position in input order)
 * @param id          the item's id
 * @param prompt      the full prompt
 * @param n           scored responses
 * @param mean        quality: the mean score
 * @param variance    variability: the population variance of the scores
 * @param std         its square root
 * @param region      the region by global rank
 * @param correlation label/score agreement, NaN when the map has none or it is undefined
 * @param regionP     the probability that the instruction keeps its region when its scores are
 *                    drawn again ({@code map.csv}'s {@code region_p}), NaN when the scores carry no
 *                    uncertainty
 */
public record MapRow(int key, String id, String prompt, int n, double mean, double variance, double std,
                     Region region, double correlation, double regionP) implements Serializable {

    /** A row of a map without uncertainty. */
    public MapRow(int key, String id, String prompt, int n, double mean, double variance, double std,
                  Region region, double correlation) {
        this(key, id, prompt, n, mean, variance, std, region, correlation, Double.NaN);
    }

    /** The row of a point, with its instruction's prompt and its {@code region_p} (NaN for none). */
    public static MapRow of(MapPoint p, String prompt, double regionP) {
        return new MapRow(p.key(), p.id(), prompt, p.n(), p.mean(), p.variance(), p.std(), p.region(),
                p.correlation(), regionP);
    }

    /** The core's point. */
    public MapPoint toMapPoint() {
        return new MapPoint(key, id, n, mean, variance, std, region, correlation, regionP);
    }
}
