package org.admap.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.admap.internal.store.ItemDetails;

/**
 * The page's flags: {@code flagReasons} (the reasons in the order of the points' bit masks)
 * and {@code flags}, every flagged instruction with its id and flag rows, for the list of
 * flagged ones; and the flag rows of one instruction, as its item JSON carries them.
 */
final class FlagsJson {

    private FlagsJson() {
    }

    static void write(JsonGenerator g, ReportSource store, PointColumns all, FlagIndex flags) throws IOException {
        g.writeArrayFieldStart("flagReasons");
        for (String r : flags.reasons()) {
            g.writeString(r);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("flags");
        for (int i = 0; i < flags.size(); i++) {
            // each flagged point found by its key: no walk over every point, no map of boxed keys
            int point = all.indexOfKey(flags.key(i));
            g.writeStartObject();
            g.writeNumberField("key", flags.key(i));
            g.writeStringField("id", point < 0 ? "" : store.id(all, point));
            writeRows(g, flags.rowsAt(i));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** {@code "rows": [...]}: each flag's reason and its numbers (null when not finite) and words. */
    static void writeRows(JsonGenerator g, List<ItemDetails.ViewerFlag> rows) throws IOException {
        g.writeArrayFieldStart("rows");
        for (ItemDetails.ViewerFlag f : rows) {
            g.writeStartObject();
            g.writeStringField("reason", f.reason());
            for (Map.Entry<String, Object> field : f.fields().entrySet()) {
                Object v = field.getValue();
                if (v instanceof Double d) {
                    JsonNumbers.number(g, field.getKey(), d);
                } else if (v instanceof Long l) {
                    g.writeNumberField(field.getKey(), l);
                } else {
                    g.writeStringField(field.getKey(), String.valueOf(v));
                }
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
