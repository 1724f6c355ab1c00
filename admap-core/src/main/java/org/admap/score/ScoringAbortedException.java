package org.admap.score;

/**
 * A problem that no retry can fix and that would fail every other call too (a rejected API
 * key, an unknown model, an unreachable server): scoring stops, keeps what it stored, and
 * says why.
 */
public class ScoringAbortedException extends RuntimeException {

    public ScoringAbortedException(String message) {
        super(message);
    }

    public ScoringAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
