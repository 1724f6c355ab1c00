package org.admap.model;

/**
 * One instruction on the alignment data map.
 *
 * @param key         the run store's key of the item
 * @param id          the item's id
 * @param n           the number of scored responses the statistics are over (at least 2)
 * @param mean        quality: the mean of the response scores (the map's y axis)
 * @param variance    variability: the population variance of the scores, dividing by n as
 *                    {@code numpy.var} does (the map's x axis)
 * @param std         the population standard deviation, {@code sqrt(variance)}
 * @param region      the region by rank
 * @param correlation agreement of labels and scores over the responses that have both
 *                    (cosine by default), or NaN when the data has no labels distinct from
 *                    its scores or the measure is undefined
 * @param regionP     the probability that the instruction keeps its region when its scores
 *                    are drawn again ({@code org.admap.map.RegionStability}), or NaN when the
 *                    scores carry no uncertainty
 */
public record MapPoint(int key, String id, int n, double mean, double variance, double std, Region region,
                       double correlation, double regionP) {

    /** A point of a map whose scores carry no uncertainty ({@code regionP} NaN). */
    public MapPoint(int key, String id, int n, double mean, double variance, double std, Region region,
                    double correlation) {
        this(key, id, n, mean, variance, std, region, correlation, Double.NaN);
    }
}
