package org.admap.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.admap.ingest.BadRows;

/** The skipped-rows report as JSON: count, counts by reason, first examples. */
final class BadRowsJson {

    private BadRowsJson() {
    }

    static ObjectNode of(BadRows bad) {
        ObjectNode o = JsonFiles.object();
        o.put("count", bad.count());
        ObjectNode reasons = o.putObject("by_reason");
        bad.byReason().forEach(reasons::put);
        var examples = o.putArray("examples");
        bad.examples().forEach(examples::add);
        return o;
    }
}
