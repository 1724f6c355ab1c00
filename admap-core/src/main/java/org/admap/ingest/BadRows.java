package org.admap.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows skipped under {@code --skip-bad-rows}: how many, why (by field and problem), and
 * the first few full messages so the user can find them.
 */
public final class BadRows {

    /** How many example messages are kept. */
    public static final int EXAMPLES = 5;

    private long count;
    private final Map<String, Long> byReason = new LinkedHashMap<>();
    private final List<String> examples = new ArrayList<>();

    void add(IngestException e) {
        count++;
        String reason = (e.field() == null ? "" : e.field().replaceAll("\\[\\d+]", "[]") + ": ")
                + e.problem().replaceAll("\"[^\"]*\"", "...");
        byReason.merge(reason, 1L, Long::sum);
        if (examples.size() < EXAMPLES) {
            examples.add(e.getMessage());
        }
    }

    /** Adds another file's counts to these. */
    public void addAll(BadRows other) {
        count += other.count;
        other.byReason.forEach((k, v) -> byReason.merge(k, v, Long::sum));
        for (String e : other.examples) {
            if (examples.size() < EXAMPLES) {
                examples.add(e);
            }
        }
    }

    public long count() {
        return count;
    }

    /** Counts by reason ({@code field: problem}), in the order first seen. */
    public Map<String, Long> byReason() {
        return Collections.unmodifiableMap(byReason);
    }

    /** The first few error messages, with file and line. */
    public List<String> examples() {
        return Collections.unmodifiableList(examples);
    }
}
