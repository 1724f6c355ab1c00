package org.admap.report;

import static org.admap.report.JsonNumbers.number;
import static org.admap.report.JsonNumbers.whole;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import org.admap.internal.store.ItemDetails;
import org.admap.model.MapPoint;

/**
 * One instruction as the page shows it when clicked, embedded in report.html's
 * {@code details} and served by the viewer's {@code /api/item}: its texts (cut as read, with
 * the whole length when cut; a conversational prompt also as its {@code turns}), its images,
 * the map's numbers, its flags, every response with its label, model, scores with provenance
 * and their uncertainty, and the review mark.
 */
final class ItemJson {

    private ItemJson() {
    }

    /** See {@link ViewData#writeItem(JsonGenerator, ItemDetails.Detail, MapPoint, List, String,
     * ViewData.Measures, List)}. */
    static void write(JsonGenerator g, ItemDetails.Detail d, MapPoint point, List<ItemDetails.ViewerFlag> flags,
                      String review, ViewData.Measures measures, List<ItemDetails.Uncertainty> uncertainty)
            throws IOException {
        g.writeStartObject();
        g.writeNumberField("key", d.key());
        g.writeStringField("id", d.id());
        text(g, "prompt", d.prompt());
        if (d.isConversation()) {
            // The prompt as the input gave it, turn by turn; "prompt" stays its flattened text, for search.
            g.writeArrayFieldStart("turns");
            for (ItemDetails.Turn t : d.turns()) {
                g.writeStartObject();
                g.writeStringField("role", t.role());
                text(g, "content", t.content());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (!d.images().isEmpty()) {
            PromptImagesView.write(g, d.images());
        }
        if (!d.input().text().isEmpty()) {
            text(g, "input", d.input());
        }
        if (d.reference() != null) {
            text(g, "reference", d.reference());
        }
        g.writeStringField("source", d.file() + ":" + d.line());
        if (point != null) {
            writeMap(g, point, measures);
        }
        if (!measures.diagnosis().isEmpty()) {
            g.writeStringField("diagnosisCorrelation", measures.diagnosis());
        }
        FlagsJson.writeRows(g, flags);
        if (review != null) {
            g.writeStringField("review", review);
        }
        g.writeArrayFieldStart("responses");
        for (ItemDetails.ResponseDetails r : d.responses()) {
            writeResponse(g, r, uncertainty);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The instruction's place on the map, whole (the points' columns round some). */
    private static void writeMap(JsonGenerator g, MapPoint point, ViewData.Measures measures) throws IOException {
        g.writeObjectFieldStart("map");
        g.writeNumberField("n", point.n());
        g.writeNumberField("mean", point.mean());
        g.writeNumberField("variance", point.variance());
        g.writeNumberField("std", point.std());
        g.writeStringField("region", point.region().cliName());
        number(g, "correlation", point.correlation());
        if (!Double.isNaN(point.regionP())) {
            g.writeNumberField("region_p", point.regionP());
        }
        if (!measures.map().isEmpty()) {
            g.writeStringField("correlationMeasure", measures.map());
        }
        g.writeEndObject();
    }

    private static void writeResponse(JsonGenerator g, ItemDetails.ResponseDetails r,
                                      List<ItemDetails.Uncertainty> uncertainty) throws IOException {
        g.writeStartObject();
        g.writeNumberField("position", r.position());
        g.writeStringField("model", r.model());
        number(g, "label", r.label());
        number(g, "score", r.inputScore());
        text(g, "text", r.text());
        g.writeArrayFieldStart("uncertainty");
        for (ItemDetails.Uncertainty u : uncertainty) {
            if (u.position() == r.position()) {
                g.writeStartObject();
                g.writeStringField("source", u.source());
                g.writeNumberField("samples", u.samples());
                number(g, "se", u.se());
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("scores");
        for (ItemDetails.Score s : r.scores()) {
            writeScore(g, s);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** One score with its provenance: who gave it, at what cost, and its raw output. */
    private static void writeScore(JsonGenerator g, ItemDetails.Score s) throws IOException {
        g.writeStartObject();
        g.writeStringField("source", s.source());
        number(g, "value", s.value());
        g.writeStringField("status", s.status());
        if (s.error() != null) {
            g.writeStringField("error", s.error());
        }
        if (s.model() != null) {
            g.writeStringField("model", s.model());
        }
        if (s.endpoint() != null) {
            g.writeStringField("endpoint", s.endpoint());
        }
        whole(g, "tokensIn", s.tokensIn());
        whole(g, "tokensOut", s.tokensOut());
        number(g, "costUsd", s.costUsd());
        whole(g, "latencyMs", s.latencyMs());
        whole(g, "attempts", s.attempts());
        if (s.created() != null) {
            g.writeStringField("created", s.created().toString());
        }
        if (s.rawOutput() != null) {
            text(g, "raw", s.rawOutput());
        }
        g.writeEndObject();
    }

    /** A text as {@code "name": "..."}, plus {@code "nameLength"} when it was cut. */
    private static void text(JsonGenerator g, String name, ItemDetails.Text t) throws IOException {
        g.writeStringField(name, t.text());
        if (t.truncated()) {
            g.writeNumberField(name + "Length", t.length());
        }
    }
}
