package org.admap.map;

import java.util.Arrays;
import org.admap.internal.map.MapJob;
import org.admap.stats.Correlation;
import org.admap.stats.Moments;

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

    /**
     * Writes at {@code at} the point of the scores {@code scores[from, to)} with its
     * correlation, {@link MapJob#agreement} under {@code agreement} of those scores and the
     * labels {@code labels[from, to)}; false, writing nothing, when fewer than two scores are
     * present.
     */
    boolean put(int at, int key, String id, double[] scores, double[] labels, int from, int to,
                Correlation agreement) {
        if (agreement == Correlation.COSINE) {
            return putWithCosine(at, key, id, scores, labels, from, to);
        }
        if (!put(at, key, id, scores, from, to)) {
            return false;
        }
        correlations[at] = MapJob.agreement(agreement, scores, labels, from, to);
        return true;
    }

    /**
     * {@link #put(int, int, String, double[], double[], int, int, Correlation)} under the
     * default measure, in two passes over the numbers: the arithmetic of
     * {@link Moments#count}, {@link Moments#mean}, {@link Moments#variance} and of
     * {@link MapJob#agreement} with {@link Correlation#COSINE}, operation for operation in the
     * same order (tests hold them to the same bits), but fused. This is the map phase's inner
     * loop, run once per JVM and so mostly cold: the JIT makes fast code of two loops far
     * sooner than of the seven loops and ten calls of those methods (in a cold map of a
     * million instructions, about half the time the items took).
     */
    private boolean putWithCosine(int at, int key, String id, double[] scores, double[] labels, int from, int to) {
        int n = 0;
        double sum = 0;
        int both = 0; // responses with a score and a label
        double maxLabel = 0; // their largest magnitudes (Math.max of magnitudes: no -0.0, no NaN)
        double maxScore = 0;
        for (int i = from; i < to; i++) {
            double x = scores[i];
            if (x == x) {
                sum += x;
                n++;
                double l = labels[i];
                if (l == l) {
                    both++;
                    double ml = Math.abs(l);
                    double mx = Math.abs(x);
                    maxLabel = ml > maxLabel ? ml : maxLabel;
                    maxScore = mx > maxScore ? mx : maxScore;
                }
            }
        }
        if (n < 2) {
            return false;
        }
        double mean = sum / n;
        double squares = 0;
        double dot = 0;
        double labelSquares = 0;
        double scoreSquares = 0;
        for (int i = from; i < to; i++) {
            double x = scores[i];
            if (x == x) {
                double d = x - mean;
                squares += d * d;
                double l = labels[i];
                if (l == l) {
                    // each vector divided by its largest magnitude, as Correlation's cosine does
                    double a = l / maxLabel;
                    double b = x / maxScore;
                    dot += a * b;
                    labelSquares += a * a;
                    scoreSquares += b * b;
                }
            }
        }
        keys[at] = key;
        ids[at] = id;
        counts[at] = n;
        means[at] = mean;
        variances[at] = squares / n;
        correlations[at] = both < 3 || maxLabel == 0 || maxScore == 0 ? Double.NaN
                : Math.max(-1.0, Math.min(1.0, dot / (Math.sqrt(labelSquares) * Math.sqrt(scoreSquares))));
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
