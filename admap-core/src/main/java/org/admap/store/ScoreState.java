package org.admap.store;

import java.util.HashMap;
import java.util.Map;

/**
 * What is already scored, loaded once before a scoring run: the status of each response
 * under the source, and every successful score under the source's configuration by
 * (prompt hash, response hash), so an identical response anywhere in the run is copied
 * rather than sent again.
 */
public final class ScoreState {

    /** The status of a response under the source. */
    public enum Status {
        NONE, OK, FAILED
    }

    private final Map<Long, Boolean> byResponse = new HashMap<>();
    private final Map<String, Double> byContent = new HashMap<>();

    void putResponse(int itemKey, int position, boolean ok) {
        byResponse.put(key(itemKey, position), ok);
    }

    void putContent(String promptHash, String responseHash, double value) {
        byContent.put(promptHash + ":" + responseHash, value);
    }

    public Status status(int itemKey, int position) {
        Boolean ok = byResponse.get(key(itemKey, position));
        return ok == null ? Status.NONE : ok ? Status.OK : Status.FAILED;
    }

    /** A successful score for the same instruction and response text under the same configuration, or null. */
    public Double cached(String promptHash, String responseHash) {
        return byContent.get(promptHash + ":" + responseHash);
    }

    private static long key(int itemKey, int position) {
        return ((long) itemKey << 32) | (position & 0xFFFFFFFFL);
    }
}
