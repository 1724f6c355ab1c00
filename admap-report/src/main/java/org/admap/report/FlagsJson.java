package org.admap.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.LinkedHashMap;
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
        Map<Integer, String> ids = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            if (flags.flagged(all.key(i))) {
                ids.put(all.key(i), store.id(all, i));
            }
        }
        g.writeArrayFieldStart("flags");
        for (int i = 0; i < flags.size(); i++) {
            g.writeStartObject();
            g.writeNumberField("key", flags.key(i));
            g.writeStringField("id", ids.getOrDefault(flags.key(i), ""));
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
