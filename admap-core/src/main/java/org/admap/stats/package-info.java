/**
 * The statistics admap computes, each written once: moments (mean and population variance,
 * as numpy), the cosine, Pearson's r, Spearman's rho, Kendall's tau-b and mid-ranks (as
 * scipy), and {@link org.admap.stats.Correlation}, the label/score agreement measures that
 * the map's correlation column and the diagnosis choose from.
 *
 * <p>The map, the diagnosis, map comparison, the bias audit and the reference scorer use
 * these classes; so does the report's summary of a store (org.admap.internal.store.ScoreStatistics:
 * the database joins and ranks, Pearson adds up in the responses' order), and a test holds it to the bit.
 * The map's inner loop fuses its moments and cosine into one pass (org.admap.map.MapColumns);
 * a test holds it to the same bits as these classes.
 */
package org.admap.stats;
