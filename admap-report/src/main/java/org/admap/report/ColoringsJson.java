package org.admap.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The page's {@code colorings}: the ways the map can be coloured (region always; correlation,
 * model and stability when the map has them), each with its legend and every embedded point's
 * category, so the page recolours without asking the server.
 */
final class ColoringsJson {

    private ColoringsJson() {
    }

    static void write(JsonGenerator g, RunView view, PointColumns all, int[] embedded) throws IOException {
        write(g, of(view, all), embedded);
    }

    /** The colourings the page offers, in its order (computed apart from writing them, on any thread). */
    static List<Coloring> of(RunView view, PointColumns all) {
        List<Coloring> colorings = new ArrayList<>();
        colorings.add(view.coloring("region"));
        if (all.anyCorrelation()) {
            colorings.add(view.coloring("correlation"));
        }
        colorings.add(view.coloring("model"));
        if (ViewData.hasRegionP(all)) {
            colorings.add(view.coloring("stability"));
        }
        return colorings;
    }

    /** Writes the colourings, each with the category of every embedded point. */
    static void write(JsonGenerator g, List<Coloring> colorings, int[] embedded) throws IOException {
        g.writeArrayFieldStart("colorings");
        for (Coloring c : colorings) {
            g.writeStartObject();
            g.writeStringField("name", c.name());
            g.writeStringField("title", c.title());
            g.writeArrayFieldStart("labels");
            for (String l : c.labels()) {
                g.writeString(l);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("colors");
            for (Color col : c.colors()) {
                g.writeString(Coloring.hex(col));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("counts");
            for (long n : c.counts()) {
                g.writeNumber(n);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("of");
            for (int i : embedded) {
                g.writeNumber(c.category()[i]);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
