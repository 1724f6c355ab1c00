package org.admap.model;

/**
 * The numbers the map and the diagnosis work on for one instruction: its responses'
 * scores and labels, in response order. Either array may hold {@link Response#ABSENT}
 * (NaN) where a response has no score or no label.
 *
 * @param key    the run store's key of the item (its position in input order)
 * @param id     the item's id
 * @param scores one score per response, NaN when absent
 * @param labels one label per response, NaN when absent
 */
public record ItemScores(int key, String id, double[] scores, double[] labels) {

    public ItemScores {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("scores and labels differ in length for item " + id);
        }
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
}
