package org.admap.diagnose;

/**
 * A scorer's confidence in one of its scores, read from the raw output stored with the
 * score; NaN when it gives none. This is a seam: <b>no admap scorer gives a confidence
 * today</b> (the judge's rubric answers {@code {"rationale", "score"}} under a strict JSON
 * schema, a reward model answers a logit, reference scoring a similarity), so the
 * diagnosis's {@code confidence} column stays empty on their scores. {@link #JSON_FIELD}
 * reads a top-level {@code "confidence"} number in [0, 1], the shape a judge asked for one
 * would answer in; a judge that reports token log-probabilities (the probability of its
 * chosen score) would plug in here as another implementation.
 */
@FunctionalInterface
public interface ScoreConfidence {

    /** The confidence in [0, 1] that a raw output states, or NaN. */
    double of(String rawOutput);

    /** No scorer confidence at all. */
    ScoreConfidence NONE = raw -> Double.NaN;

    /** A top-level {@code "confidence"} in [0, 1] of a JSON answer (code fences and prose around it allowed). */
    ScoreConfidence JSON_FIELD = JsonConfidence::read;
}
