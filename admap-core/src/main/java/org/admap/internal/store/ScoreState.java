package org.admap.internal.store;

import java.util.HashMap;
import java.util.Map;

/**
 * What is already scored, loaded once before a scoring run: the status of each response's
 * samples under the source, and every successful score under the source's configuration by
 * (prompt hash, response hash, sample), so an identical response anywhere in the run is
 * copied rather than sent again: only those made at the same endpoint, unless the run
 * shares scores across endpoints (see
 * {@link RunStore#loadScoreState(String, String, java.util.function.Predicate)}). Sample 0 is
 * the only sample of a response judged once.
 */
public final class ScoreState {

    /** The status of a response (one of its samples) under the source. */
    public enum Status {
        NONE, OK, FAILED
    }

    private final Map<Key, Boolean> byResponse = new HashMap<>();
    private final Map<String, Cached> byContent = new HashMap<>();

    private record Key(int itemKey, int position, int sample) {
    }

    /**
     * A stored successful score that an identical response may copy.
     *
     * @param spread NaN when not computed
     * @param method   how the value was obtained; {@code plain} for rows of old stores
     * @param source   the score source it was stored under, for the copy's provenance (null if unknown)
     * @param endpoint where it was made, recorded with the copy (null if unknown)
     */
    public record Cached(double value, double spread, String method, String source, String endpoint) {

        public Cached(double value, double spread, String method) {
            this(value, spread, method, null, null);
        }
    }

    void putResponse(int itemKey, int position, int sample, boolean ok) {
        byResponse.put(new Key(itemKey, position, sample), ok);
    }

    void putContent(String promptHash, String responseHash, int sample, Cached cached) {
        byContent.put(contentKey(promptHash, responseHash, sample), cached);
    }

    /** The status of sample 0 of a response. */
    public Status status(int itemKey, int position) {
        return status(itemKey, position, 0);
    }

    /** The status of one sample of a response. */
    public Status status(int itemKey, int position, int sample) {
        Boolean ok = byResponse.get(new Key(itemKey, position, sample));
        return ok == null ? Status.NONE : ok ? Status.OK : Status.FAILED;
    }

    /** A successful sample-0 score for the same instruction and response text under the same configuration. */
    public Double cached(String promptHash, String responseHash) {
        Cached c = cached(promptHash, responseHash, 0);
        return c == null ? null : c.value();
    }

    /**
     * A successful score of the same sample for the same instruction and response text under
     * the same configuration, or null.
     */
    public Cached cached(String promptHash, String responseHash, int sample) {
        return byContent.get(contentKey(promptHash, responseHash, sample));
    }

    private static String contentKey(String promptHash, String responseHash, int sample) {
        return promptHash + ":" + responseHash + ":" + sample;
    }
}
