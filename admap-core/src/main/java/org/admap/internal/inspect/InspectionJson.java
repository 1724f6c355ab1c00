package org.admap.internal.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.admap.ingest.FileSample;
import org.admap.internal.json.Json;
import org.admap.model.Item;
import org.admap.model.Response;

/** {@code admap inspect --json}: an {@link Inspection} as one JSON object, texts truncated as in the text form. */
public final class InspectionJson {

    private static final ObjectMapper JSON = Json.MAPPER;

    private InspectionJson() {
    }

    /** The inspection as JSON; texts of the sample cut to {@code maxChars} characters. */
    public static ObjectNode of(Inspection in, int maxChars) {
        ObjectNode root = JSON.createObjectNode();
        root.put("max_rows", in.maxRows());
        ArrayNode inputs = root.putArray("inputs");
        for (int i = 0; i < in.inputs().size(); i++) {
            FileSample s = in.inputs().get(i);
            ObjectNode o = inputs.addObject();
            o.put("name", s.name());
            o.put("format", s.format());
            o.put("layout", s.layout() == null ? null : s.layout().cliName());
            o.put("layout_description", s.layoutDescription());
            o.put("why", s.reason());
            ArrayNode fields = o.putArray("fields");
            s.fields().forEach(fields::add);
            ObjectNode mapping = o.putObject("mapping");
            in.mappings().get(i).forEach(mapping::put);
            o.put("rows_read", s.rowsRead());
            o.put("complete", s.complete());
            o.put("bad_rows", s.badRows().count());
            o.put("error", s.error());
        }
        ObjectNode data = root.putObject("instructions");
        data.put("count", in.instructions());
        data.put("responses", in.responses());
        ObjectNode rpp = data.putObject("rows_per_prompt");
        in.rowsPerPrompt().forEach((k, v) -> rpp.put(Integer.toString(k), v));
        ObjectNode rpi = data.putObject("responses_per_instruction");
        in.responsesPerInstruction().forEach((k, v) -> rpi.put(Integer.toString(k), v));
        ObjectNode scores = root.putObject("scores");
        scores.put("responses_with_score", in.scored());
        scores.put("responses_with_label", in.labelled());
        scores.put("responses_with_samples", in.withSamples());
        if (in.scoreRange() != null) {
            scores.putArray("score_range").add(in.scoreRange()[0]).add(in.scoreRange()[1]);
        }
        ArrayNode labels = scores.putArray("label_values");
        in.labelValues().forEach(labels::add);
        if (in.sample() != null) {
            root.set("sample", sample(in.sample(), maxChars));
        }
        ArrayNode warnings = root.putArray("warnings");
        in.warnings().forEach(warnings::add);
        return root;
    }

    private static ObjectNode sample(Item item, int maxChars) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", item.id());
        o.put("prompt", cut(item.prompt(), maxChars));
        if (!item.input().isEmpty()) {
            o.put("input", cut(item.input(), maxChars));
        }
        o.put("source", item.source().toString());
        ArrayNode rs = o.putArray("responses");
        for (Response r : item.responses()) {
            ObjectNode ro = rs.addObject();
            ro.put("text", cut(r.text(), maxChars));
            if (r.hasScore()) {
                ro.put("score", r.score());
            }
            if (!r.samples().isEmpty()) {
                ArrayNode samples = ro.putArray("samples");
                r.samples().forEach(samples::add);
            }
            if (r.hasLabel()) {
                ro.put("label", r.label());
            }
            if (r.model() != null) {
                ro.put("model", r.model());
            }
        }
        return o;
    }

    /** At most {@code max} characters on one line, never cutting a surrogate pair; longer texts end in "...". */
    public static String cut(String text, int max) {
        String one = text.replace("\r", "\\r").replace("\n", "\\n");
        if (one.codePointCount(0, one.length()) <= max) {
            return one;
        }
        return one.substring(0, one.offsetByCodePoints(0, max)) + "... (" + text.length() + " chars)";
    }
}
