package org.admap.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * How the view's JSON writes numbers that may be unknown: JSON has no NaN or infinity, so a
 * non-finite double is {@code null}, and a count of -1 (not recorded) is left out.
 */
final class JsonNumbers {

    private JsonNumbers() {
    }

    /** {@code "name": v}, or {@code "name": null} when v is NaN or infinite. */
    static void number(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(name, v);
        } else {
            g.writeNullField(name);
        }
    }

    /** {@code "name": v} when v is known (not negative), else nothing. */
    static void whole(JsonGenerator g, String name, long v) throws IOException {
        if (v >= 0) {
            g.writeNumberField(name, v);
        }
    }

    /** {@code "name": [low, high]}, each null when NaN. */
    static void range(JsonGenerator g, String name, double[] r) throws IOException {
        g.writeArrayFieldStart(name);
        for (double v : r) {
            if (Double.isNaN(v)) {
                g.writeNull();
            } else {
                g.writeNumber(v);
            }
        }
        g.writeEndArray();
    }
}
