/**
 * The statistics admap computes, each written once: moments (mean and population variance,
 * as numpy), the cosine, Pearson's r, Spearman's rho, Kendall's tau-b and mid-ranks (as
 * scipy), and {@link org.admap.stats.Correlation}, the label/score agreement measures that
 * the map's correlation column and the diagnosis choose from.
 *
 * <p>The map, the diagnosis, map comparison, the bias audit and the reference scorer use
 * these classes; the report's summary computes Pearson and Spearman in the database instead
 * (org.admap.internal.store.ScoreStatistics, for memory), and a test holds the two to the same values.
 * The map's inner loop fuses its moments and cosine into one pass (org.admap.map.MapColumns);
 * a test holds it to the same bits as these classes.
 */
package org.admap.stats;
