package org.admap.internal.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.admap.ingest.BadRows;
import org.admap.ingest.RowNotes;

/**
 * The skipped-rows report as JSON: count, counts by reason, first examples; and, under
 * {@code noted}, the rows read but counted by reason (Arena ties), which {@link SummaryJson}
 * writes beside it as {@code run.rows_noted}.
 */
public final class BadRowsJson {

    /** The key of the row notes inside the stored report. */
    public static final String NOTED = "noted";

    private BadRowsJson() {
    }

    public static ObjectNode of(BadRows bad) {
        ObjectNode o = JsonFiles.object();
        o.put("count", bad.count());
        ObjectNode reasons = o.putObject("by_reason");
        bad.byReason().forEach(reasons::put);
        var examples = o.putArray("examples");
        bad.examples().forEach(examples::add);
        return o;
    }

    /** As {@link #of(BadRows)}, with the rows read but counted by reason under {@code noted}. */
    public static ObjectNode of(BadRows bad, RowNotes notes) {
        ObjectNode o = of(bad);
        if (!notes.isEmpty()) {
            ObjectNode n = o.putObject(NOTED);
            notes.byReason().forEach(n::put);
        }
        return o;
    }
}
