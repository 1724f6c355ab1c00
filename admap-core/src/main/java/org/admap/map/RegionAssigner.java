package org.admap.map;

import org.admap.internal.map.Selection;
import org.admap.model.Region;

/**
 * Assigns regions by rank, exactly as the paper's split script does, with one change:
 * ties are broken by id so the result never depends on input order or sort stability.
 * <ol>
 *   <li>Sort all N points by variance (ascending); those from position
 *       {@code floor(2N/3)} on are {@code high-var}.</li>
 *   <li>Sort the remaining {@code floor(2N/3)} by mean (ascending); the lower
 *       {@code floor(M/2)} are {@code low-avg}, the rest {@code high-avg}.</li>
 * </ol>
 * With N = 805 that gives 268 low-avg, 268 high-avg and 269 high-var.
 *
 * <p>Nothing is sorted: each split only needs to know which points come first, which a
 * selection of the k-th value and, among the points that tie with it, of the first ids
 * tells in linear time (ratings tie massively: tens of thousands of points can share the
 * mean at the split).
 */
public final class RegionAssigner {

    private static final Region[] REGIONS = Region.values();

    private RegionAssigner() {
    }

    /**
     * Returns the region of each point.
     *
     * @param ids       tie-breaker, compared as strings (equal ids by position)
     * @param means     the points' mean scores
     * @param variances the points' score variances
     */
    public static Region[] assign(String[] ids, double[] means, double[] variances) {
        int n = ids.length;
        if (means.length != n || variances.length != n) {
            throw new IllegalArgumentException("ids, means and variances differ in length: " + n + ", "
                    + means.length + ", " + variances.length);
        }
        byte[] ordinals = ordinals(ids, means, variances, n, null);
        Region[] regions = new Region[n];
        for (int i = 0; i < n; i++) {
            regions[i] = REGIONS[ordinals[i]];
        }
        return regions;
    }

    /**
     * {@link #assign} of the first {@code n} points, as {@link Region#ordinal()}s, given the
     * histogram of their variances by {@link #bucket} when it is known (counted as the
     * variances were computed, on several threads), or null.
     *
     * <p>Each split needs the k-th smallest key, found without sorting: a histogram of the
     * keys' top bits (in the order-preserving form of {@link Selection#sortable}) tells the
     * bucket it lies in; the points in lower buckets are in, those in higher ones out, and
     * only the few in that bucket are ranked, by (key, id, position). Three passes over the
     * points in all, each of which also does what it can for the next split; nothing is
     * allocated per point but the regions.
     */
    static byte[] ordinals(String[] ids, double[] means, double[] variances, int n, int[] varianceHistogram) {
        int cut = (int) ((2L * n) / 3);
        byte[] regions = new byte[n];

        int[] histogram = varianceHistogram;
        if (histogram == null) {
            histogram = new int[BUCKETS];
            for (int i = 0; i < n; i++) {
                histogram[bucket(variances[i])]++;
            }
        } else if (histogram.length != BUCKETS) {
            throw new IllegalArgumentException("a histogram of " + histogram.length + " buckets, not " + BUCKETS);
        }
        Bucket lowVariance = Bucket.of(histogram, cut);

        // the points in the bucket of the cut are ranked once they are all known; meanwhile
        // the means of the points below it count towards the split by mean
        histogram = new int[BUCKETS];
        for (int i = 0; i < n; i++) {
            int b = bucket(variances[i]);
            histogram[bucket(means[i])] += b < lowVariance.index ? 1 : 0; // no branch: it is random
            if (b == lowVariance.index) {
                lowVariance.add(Selection.sortable(variances[i]), i);
            }
        }
        boolean[] tiedLowVariance = lowVariance.first(ids);
        for (int c = 0; c < lowVariance.size; c++) {
            if (tiedLowVariance[c]) {
                histogram[bucket(means[lowVariance.positions[c]])]++;
            }
        }
        Bucket lowMean = Bucket.of(histogram, cut / 2);

        byte highVar = (byte) Region.HIGH_VAR.ordinal();
        byte lowAvg = (byte) Region.LOW_AVG.ordinal();
        byte highAvg = (byte) Region.HIGH_AVG.ordinal();
        for (int i = 0, c = 0; i < n; i++) {
            int b = bucket(variances[i]);
            boolean low = b < lowVariance.index;
            if (b == lowVariance.index) {
                low = tiedLowVariance[c++];
            }
            long mean = Selection.sortable(means[i]);
            int m = bucket(mean);
            regions[i] = !low ? highVar : m < lowMean.index ? lowAvg : highAvg; // high-avg until ranked below
            if (low && m == lowMean.index) {
                lowMean.add(mean, i);
            }
        }
        boolean[] tiedLowMean = lowMean.first(ids);
        for (int c = 0; c < lowMean.size; c++) {
            if (tiedLowMean[c]) {
                regions[lowMean.positions[c]] = lowAvg;
            }
        }
        return regions;
    }

    private static final int BUCKET_BITS = 16;

    /** The number of histogram buckets. */
    static final int BUCKETS = 1 << BUCKET_BITS;

    /** The histogram bucket of a key: its sortable form's top bits, as an unsigned number so that buckets keep the
     * order. */
    static int bucket(double key) {
        return bucket(Selection.sortable(key));
    }

    private static int bucket(long sortable) {
        return (int) ((sortable ^ Long.MIN_VALUE) >>> (64 - BUCKET_BITS));
    }

    /**
     * The histogram bucket that holds the k-th smallest of a split's keys, and the points in
     * it (their sortable keys and positions, as they are added in position order), of which
     * the first {@code need} are among the k first.
     */
    private static final class Bucket {

        /** The bucket, or -1 when k is 0 (every bucket is above it: no point is in). */
        final int index;
        final int need;
        final long[] keys;
        final int[] positions;
        int size;

        private Bucket(int index, int need, int count) {
            this.index = index;
            this.need = need;
            keys = new long[count];
            positions = new int[count];
        }

        static Bucket of(int[] histogram, int k) {
            if (k == 0) {
                return new Bucket(-1, 0, 0);
            }
            int index = 0;
            int below = 0;
            while (below + histogram[index] < k) {
                below += histogram[index++];
            }
            return new Bucket(index, k - below, histogram[index]);
        }

        void add(long key, int position) {
            keys[size] = key;
            positions[size++] = position;
        }

        /**
         * Which of the points in the bucket are its {@code need} first by (key, id, position):
         * the need-th smallest key is selected, and of the points that tie with it only as
         * many as needed, by id (ratings tie massively: tens of thousands of points can share
         * the mean at the split).
         */
        boolean[] first(String[] ids) {
            if (size != keys.length) {
                throw new IllegalStateException(size + " of the " + keys.length + " points of the bucket were added");
            }
            boolean[] in = new boolean[size];
            if (need == 0) {
                return in;
            }
            long pivot = Selection.kth(keys.clone(), need - 1);
            int less = 0;
            int ties = 0;
            for (long x : keys) {
                less += x < pivot ? 1 : 0;
                ties += x == pivot ? 1 : 0;
            }
            int[] tied = new int[ties]; // the points of the bucket that tie with the pivot
            for (int c = 0, t = 0; c < size; c++) {
                in[c] = keys[c] < pivot;
                if (keys[c] == pivot) {
                    tied[t++] = c;
                }
            }
            int tiesIn = need - less;
            if (tiesIn == ties) {
                for (int c : tied) {
                    in[c] = true;
                }
                return in;
            }
            int[] tiedPositions = new int[ties];
            int[] order = new int[ties];
            for (int t = 0; t < ties; t++) {
                tiedPositions[t] = positions[tied[t]];
                order[t] = t;
            }
            Selection.smallest(order, tiesIn, new IdOrder(ids, tiedPositions));
            for (int t = 0; t < tiesIn; t++) {
                in[tied[order[t]]] = true;
            }
            return in;
        }
    }
}
