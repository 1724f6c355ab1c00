package org.admap.map;

import java.util.Arrays;

/**
 * The numbers of a map's points, column by column in primitive arrays (about 40 bytes a
 * point rather than a {@code MapPoint} object each): what a {@link MapBuilder} fills and an
 * {@link AlignmentMap} reads. Several builders may fill disjoint ranges of one instance on
 * several threads. Each point's numbers are computed here, so that every way of building a
 * map computes them with the same arithmetic.
 */
final class MapColumns {

    int[] keys;
    String[] ids;
    /** The number of scores each point's statistics are over. */
    int[] counts;
    double[] means;
    double[] variances;
    /** Null for a map without a correlation column (every point's is NaN). */
    double[] correlations;

    MapColumns(int capacity, boolean withCorrelation) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is negative");
        }
        keys = new int[capacity];
        ids = new String[capacity];
        counts = new int[capacity];
        means = new double[capacity];
        variances = new double[capacity];
        correlations = withCorrelation ? new double[capacity] : null;
    }

    int capacity() {
        return keys.length;
    }

    /**
     * Writes at {@code at} the point of the scores {@code scores[from, to)}, all but its
     * correlation; false, writing nothing, when fewer than two of them are present.
     */
    boolean put(int at, int key, String id, double[] scores, int from, int to) {
        int n = Moments.count(scores, from, to);
        if (n < 2) {
            return false;
        }
        double mean = Moments.mean(scores, from, to);
        keys[at] = key;
        ids[at] = id;
        counts[at] = n;
        means[at] = mean;
        variances[at] = Moments.variance(scores, from, to, mean);
        return true;
    }

    /** Gives every column {@code capacity} entries, keeping the first ones. */
    void resize(int capacity) {
        keys = Arrays.copyOf(keys, capacity);
        ids = Arrays.copyOf(ids, capacity);
        counts = Arrays.copyOf(counts, capacity);
        means = Arrays.copyOf(means, capacity);
        variances = Arrays.copyOf(variances, capacity);
        if (correlations != null) {
            correlations = Arrays.copyOf(correlations, capacity);
        }
    }

    /** Copies {@code length} points from {@code from} of {@code source} to {@code to} here (the same instance too). */
    void copy(MapColumns source, int from, int to, int length) {
        System.arraycopy(source.keys, from, keys, to, length);
        System.arraycopy(source.ids, from, ids, to, length);
        System.arraycopy(source.counts, from, counts, to, length);
        System.arraycopy(source.means, from, means, to, length);
        System.arraycopy(source.variances, from, variances, to, length);
        if (correlations != null) {
            if (source.correlations != null) {
                System.arraycopy(source.correlations, from, correlations, to, length);
            } else {
                Arrays.fill(correlations, to, to + length, Double.NaN);
            }
        }
    }
}
