package org.admap.ingest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rows that were read, but whose reading a user should know about, counted by reason:
 * for instance Chatbot Arena ties, which become equal labels rather than a preference.
 * Unlike {@link BadRows} nothing here was skipped; {@code summary.json} carries the counts
 * so that no outcome disappears into an average.
 */
public final class RowNotes {

    private final Map<String, Long> byReason = new LinkedHashMap<>();

    /** Counts one row under {@code reason}. */
    void add(String reason) {
        byReason.merge(reason, 1L, Long::sum);
    }

    /** Adds another file's counts to these. */
    public void addAll(RowNotes other) {
        other.byReason.forEach((k, v) -> byReason.merge(k, v, Long::sum));
    }

    /** Counts by reason, in the order first seen. */
    public Map<String, Long> byReason() {
        return Collections.unmodifiableMap(byReason);
    }

    public boolean isEmpty() {
        return byReason.isEmpty();
    }
}
