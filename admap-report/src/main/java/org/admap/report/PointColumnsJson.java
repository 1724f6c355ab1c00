package org.admap.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The page's {@code points}: the embedded points as columns (one array per field, the same
 * order in each), which is several times smaller than an object per point. Coordinates are
 * floats and correlation and region_p have 3 decimals (what the page draws and shows; an
 * item's JSON has them whole); {@code flags} is each point's {@link FlagIndex#bits} mask and
 * {@code text} its prompt's excerpt.
 */
final class PointColumnsJson {

    private PointColumnsJson() {
    }

    static void write(JsonGenerator g, ReportSource store, PointColumns all, EmbeddedPoints sample,
                      FlagIndex flags) throws IOException {
        int[] embedded = sample.indices();
        g.writeObjectFieldStart("points");
        g.writeArrayFieldStart("key");
        for (int i : embedded) {
            g.writeNumber(all.key(i));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("id");
        for (int i : embedded) {
            g.writeString(store.id(all, i));
        }
        g.writeEndArray();
        FloatTexts floats = new FloatTexts(g);
        g.writeArrayFieldStart("x");
        for (int i : embedded) {
            floats.write(g, (float) all.variance(i));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("y");
        for (int i : embedded) {
            floats.write(g, (float) all.mean(i));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("n");
        for (int i : embedded) {
            g.writeNumber(all.n(i));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("region");
        for (int i : embedded) {
            g.writeNumber(Coloring.REGIONS.indexOf(all.region(i)));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("corr");
        for (int i : embedded) {
            thousandths(g, all.correlation(i));
        }
        g.writeEndArray();
        if (ViewData.hasRegionP(all)) {
            // region_p, to draw unstable points faint
            g.writeArrayFieldStart("rp");
            for (int i : embedded) {
                thousandths(g, all.regionP(i));
            }
            g.writeEndArray();
        }
        g.writeArrayFieldStart("flags");
        for (int i : embedded) {
            g.writeNumber(flags.bits(all.key(i)));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("text");
        try {
            store.forEachExcerpt(sample.keys(), sample.excerptChars(), (key, id, text) -> {
                try {
                    g.writeString(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * The text Jackson writes for {@code k / 1000.0} ({@link Double#toString}), for k in
     * [-1000, 1000]: correlations and region_p, a quarter of a million of each on a big map,
     * take few such values, and formatting each anew was a visible part of the page's time.
     */
    private static final String[] THOUSANDTHS = new String[2001];

    static {
        for (int k = -1000; k <= 1000; k++) {
            THOUSANDTHS[k + 1000] = Double.toString(k / 1000.0);
        }
    }

    /**
     * Floats written as {@code writeNumber(float)} writes them, each text kept in a small table
     * by the float's bits: a map's means and variances repeat (scores on a scale take few), and
     * formatting half a million floats anew was a visible part of the page's time.
     */
    private static final class FloatTexts {
        private static final int SLOTS = 1 << 12;
        private final int[] bits = new int[SLOTS];
        private final String[] texts = new String[SLOTS];
        private final boolean fast;

        FloatTexts(JsonGenerator g) {
            fast = g.isEnabled(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
        }

        void write(JsonGenerator g, float f) throws IOException {
            if (!Float.isFinite(f)) {
                g.writeNumber(f); // as the generator's settings write NaN and infinities
                return;
            }
            int b = Float.floatToRawIntBits(f);
            int slot = (b * 0x9E3779B9) >>> 20;
            String text = texts[slot];
            if (text == null || bits[slot] != b) {
                text = NumberOutput.toString(f, fast); // what writeNumber(float) writes
                texts[slot] = text;
                bits[slot] = b;
            }
            g.writeNumber(text);
        }
    }

    /** v with 3 decimals (shown so; the item has it whole), null when NaN. */
    private static void thousandths(JsonGenerator g, double v) throws IOException {
        if (Double.isNaN(v)) {
            g.writeNull();
        } else {
            long k = Math.round(v * 1000);
            if (k >= -1000 && k <= 1000) {
                g.writeNumber(THOUSANDTHS[(int) k + 1000]); // the same characters as writeNumber(k / 1000.0)
            } else {
                g.writeNumber(k / 1000.0);
            }
        }
    }
}
