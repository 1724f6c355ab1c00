package org.admap.diagnose;

import java.util.Arrays;

/**
 * How well a suspicion score and a set of flags recover known bad labels: ROC AUC,
 * precision at k, precision and recall. Used by the self-validation
 * ({@code diagnose --inject-flips}), where the bad labels are the ones admap flipped itself.
 *
 * <p>Every method takes one suspicion per instruction (higher = more suspicious; NaN = no
 * evidence, ranked below every number and tied with the other NaNs) and whether the
 * instruction is a true positive. All results are exact; ties are never broken at random.
 */
public final class DetectionMetrics {

    private DetectionMetrics() {
    }

    /**
     * The ROC AUC: the probability that a random positive is more suspicious than a random
     * negative, ties counting one half. Computed exactly from mid-ranks (the Mann-Whitney U
     * statistic divided by {@code positives x negatives}) in O(n log n). NaN when there are no
     * positives or no negatives.
     */
    public static double auc(double[] suspicion, boolean[] positive) {
        check(suspicion, positive);
        int n = suspicion.length;
        long positives = count(positive);
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        Integer[] order = ascending(suspicion);
        double rankSum = 0; // sum of the positives' mid-ranks, 1-based
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && same(suspicion[order[j + 1]], suspicion[order[i]])) {
                j++;
            }
            double midRank = (i + 1 + j + 1) / 2.0;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSum += midRank;
                }
            }
            i = j + 1;
        }
        double u = rankSum - positives * (positives + 1) / 2.0;
        return u / ((double) positives * negatives);
    }

    /**
     * The share of positives among the {@code k} most suspicious instructions. Where a tie
     * straddles position k, the tied group counts with its share of positives (the expected
     * precision over every order of the tie), so the result never depends on input order.
     * NaN when k is 0; k larger than n is cut to n.
     */
    public static double precisionAtK(double[] suspicion, boolean[] positive, int k) {
        check(suspicion, positive);
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative, got " + k);
        }
        int n = suspicion.length;
        k = Math.min(k, n);
        if (k == 0) {
            return Double.NaN;
        }
        Integer[] order = ascending(suspicion);
        double hits = 0;
        int taken = 0;
        int i = n - 1; // most suspicious first
        while (taken < k) {
            int j = i;
            while (j - 1 >= 0 && same(suspicion[order[j - 1]], suspicion[order[i]])) {
                j--;
            }
            int size = i - j + 1;
            int groupPositives = 0;
            for (int g = j; g <= i; g++) {
                if (positive[order[g]]) {
                    groupPositives++;
                }
            }
            int take = Math.min(size, k - taken);
            hits += take == size ? groupPositives : (double) take * groupPositives / size;
            taken += take;
            i = j - 1;
        }
        return hits / k;
    }

    /**
     * Precision and recall of a set of flags.
     *
     * @param flagged   flags raised
     * @param positives true positives in the population
     * @param hits      flags raised on true positives
     * @param precision {@code hits / flagged}, NaN when nothing is flagged
     * @param recall    {@code hits / positives}, NaN when there are no positives
     */
    public record PrecisionRecall(long flagged, long positives, long hits, double precision, double recall) {

        /** F1, the harmonic mean of precision and recall; NaN when either is, 0 when both are 0. */
        public double f1() {
            if (Double.isNaN(precision) || Double.isNaN(recall)) {
                return Double.NaN;
            }
            return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
    }

    /** Precision and recall of {@code flagged} against {@code positive}. */
    public static PrecisionRecall precisionRecall(boolean[] flagged, boolean[] positive) {
        if (flagged.length != positive.length) {
            throw new IllegalArgumentException("flags and truth differ in length: " + flagged.length + " and "
                    + positive.length);
        }
        long f = 0;
        long p = 0;
        long hits = 0;
        for (int i = 0; i < flagged.length; i++) {
            if (flagged[i]) {
                f++;
            }
            if (positive[i]) {
                p++;
            }
            if (flagged[i] && positive[i]) {
                hits++;
            }
        }
        return new PrecisionRecall(f, p, hits, f == 0 ? Double.NaN : (double) hits / f,
                p == 0 ? Double.NaN : (double) hits / p);
    }

    // ---- plumbing --------------------------------------------------------------------

    private static void check(double[] suspicion, boolean[] positive) {
        if (suspicion.length != positive.length) {
            throw new IllegalArgumentException("suspicions and truth differ in length: " + suspicion.length
                    + " and " + positive.length);
        }
    }

    private static long count(boolean[] xs) {
        long n = 0;
        for (boolean x : xs) {
            if (x) {
                n++;
            }
        }
        return n;
    }

    /** Indices in ascending suspicion, NaN first (least suspicious). */
    private static Integer[] ascending(double[] suspicion) {
        Integer[] order = new Integer[suspicion.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> compare(suspicion[a], suspicion[b]));
        return order;
    }

    /** NaN below every number (even -infinity); -0.0 and 0.0 are the same suspicion. */
    private static int compare(double a, double b) {
        boolean na = Double.isNaN(a);
        boolean nb = Double.isNaN(b);
        if (na || nb) {
            return Boolean.compare(!na, !nb);
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }

    private static boolean same(double a, double b) {
        return compare(a, b) == 0;
    }
}
