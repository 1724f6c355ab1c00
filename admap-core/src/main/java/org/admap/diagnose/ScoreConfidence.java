package org.admap.diagnose;

/**
 * A scorer's confidence in one of its scores, NaN when it gives none. Two origins: a raw
 * output that states one ({@link #JSON_FIELD}: a top-level {@code "confidence"} number in
 * [0, 1]), or the score's standard error, known when the judge weighed its score by
 * log-probabilities ({@code --logprobs}: the spread of its score distribution) or judged it
 * several times ({@code --samples}): {@link #fromStandardError}.
 */
@FunctionalInterface
public interface ScoreConfidence {

    /** The confidence in [0, 1] that a raw output states, or NaN. */
    double of(String rawOutput);

    /** No scorer confidence at all. */
    ScoreConfidence NONE = raw -> Double.NaN;

    /** A top-level {@code "confidence"} in [0, 1] of a JSON answer (code fences and prose around it allowed). */
    ScoreConfidence JSON_FIELD = JsonConfidence::read;

    /**
     * The confidence a standard error means on a scale from {@code lo} to {@code hi}:
     * {@code 1 - se / ((hi - lo) / 2)}, clamped to [0, 1]. Half the range is the largest
     * standard deviation a score on that scale can have (all mass on both ends), so a certain
     * score has confidence 1 and a judge torn between the extremes 0. NaN when the standard
     * error or the scale is unknown.
     */
    static double fromStandardError(double se, double lo, double hi) {
        if (Double.isNaN(se) || Double.isNaN(lo) || Double.isNaN(hi) || hi <= lo) {
            return Double.NaN;
        }
        return Math.max(0, Math.min(1, 1 - se / ((hi - lo) / 2)));
    }
}
