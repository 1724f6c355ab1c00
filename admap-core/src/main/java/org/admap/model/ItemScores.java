package org.admap.model;

import java.util.Arrays;

/**
 * The numbers the map and the diagnosis work on for one instruction: its responses'
 * scores and labels, in response order, and how uncertain each score is. Any array may hold
 * {@link Response#ABSENT} (NaN) where a response has no score, no label, or no known
 * uncertainty.
 *
 * @param key            the run store's key of the item (its position in input order)
 * @param id             the item's id
 * @param scores         one score per response, NaN when absent; the mean of the response's
 *                       samples when it was judged more than once
 * @param labels         one label per response, NaN when absent
 * @param standardErrors one standard error per response's score, NaN when unknown: from
 *                       repeated samples (sd / sqrt(k)) or from the judge's log-probabilities
 */
public record ItemScores(int key, String id, double[] scores, double[] labels, double[] standardErrors) {

    public ItemScores {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("scores and labels differ in length for item " + id);
        }
        if (standardErrors.length != scores.length) {
            throw new IllegalArgumentException("scores and standard errors differ in length for item " + id);
        }
    }

    /** Scores without a known uncertainty (every standard error NaN). */
    public ItemScores(int key, String id, double[] scores, double[] labels) {
        this(key, id, scores, labels, unknown(scores.length));
    }

    /** An array of {@code n} unknown standard errors. */
    public static double[] unknown(int n) {
        double[] se = new double[n];
        Arrays.fill(se, Response.ABSENT);
        return se;
    }

    /** The number of responses that have a score. */
    public int scoredCount() {
        int n = 0;
        for (double s : scores) {
            if (!Double.isNaN(s)) {
                n++;
            }
        }
        return n;
    }

    /** Whether any score carries a known standard error. */
    public boolean hasUncertainty() {
        for (double se : standardErrors) {
            if (!Double.isNaN(se)) {
                return true;
            }
        }
        return false;
    }
}
