package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;

/**
 * VLFeedback ({@code MMInstruction/VLFeedback}), vision-language preference data annotated by
 * GPT-4V: per row an {@code id}, a {@code prompt}, the image ({@code img_path}, or an
 * {@code image} as the Hub's Parquet conversion writes it; read by {@link PromptImages}) and
 * {@code completions}, each with {@code model}, {@code response} and {@code annotations}
 * holding, per aspect, a {@code Rating} "1".."5" and a {@code Rationale}: {@code Helpfulness},
 * {@code Visual Faithfulness}, {@code Ethical Considerations}.
 *
 * <p>{@code completions} is read in both shapes it comes in: a list of completion objects (the
 * published JSON lines), or one object of parallel lists ({@code {"annotations": [...],
 * "response": [...]}}, how the {@code datasets} library hands a sequence of structs over, and
 * what the paper's code reads). The prompt is {@code prompt}, or {@code instruction} in the
 * paper's reformatted files.
 *
 * <p>The label is {@code fine-grained_score}: the mean of the three aspects' ratings, exactly as
 * the paper authors' {@code formatting.py} computes it (a completion's own
 * {@code fine-grained_score}, where a reformatted file has one, is read as it is). Where an
 * aspect is "N/A" or missing the mean is undefined (their code stops there) and the response has
 * no label. {@code --label-field} or {@code --score-field} may name one aspect instead, spelt
 * {@code helpfulness}, {@code visual_faithfulness}, {@code ethical_considerations} (or as the
 * data spells them), so that {@code --score-field vf=visual_faithfulness} makes a named score
 * source per aspect as for UltraFeedback.
 */
final class VlFeedbackLayout implements RowLayout {

    /** The mean of the three aspects. */
    static final String MEAN = "fine-grained_score";
    /** The aspects, as admap names them, with the data's spelling. */
    static final Map<String, String> ASPECTS = Map.of("helpfulness", "Helpfulness",
            "visual_faithfulness", "Visual Faithfulness", "ethical_considerations", "Ethical Considerations");

    private final String labelField;
    private final String scoreField;
    private final ScoreTransform transform;
    private final String referenceField;

    VlFeedbackLayout(IngestOptions options) {
        this.labelField = check(options.labelField() == null ? MEAN : options.labelField(), "--label-field");
        this.scoreField = options.scoreField() == null ? null : check(options.scoreField(), "--score-field");
        this.transform = options.scoreTransform();
        this.referenceField = options.referenceField();
    }

    /** The annotation a flag names, in admap's spelling; an error listing the choices otherwise. */
    private static String check(String field, String flag) {
        String n = field.trim().toLowerCase(Locale.ROOT).replace(' ', '_');
        if (n.equals(MEAN) || ASPECTS.containsKey(n)) {
            return n;
        }
        throw new IllegalArgumentException(flag + " '" + field + "' is not a VLFeedback annotation: expected one"
                + " of fine-grained_score (the mean of the three aspects), helpfulness, visual_faithfulness,"
                + " ethical_considerations");
    }

    /** Whether a first row is VLFeedback's: completions with a visual-faithfulness rating, or with an image. */
    static boolean matches(JsonNode row) {
        if (!row.has("completions")) {
            return false;
        }
        if (row.has("img_path") || row.has("image") && !row.has("instruction")) {
            return true;
        }
        JsonNode c = row.get("completions");
        JsonNode annotations = c.isArray() && !c.isEmpty() ? c.get(0).path("annotations")
                : c.path("annotations").path(0);
        return annotations.isObject() && (annotations.has("Visual Faithfulness")
                || annotations.has("visual_faithfulness"));
    }

    @Override
    public Item read(SourceRecord record) {
        RowFields f = new RowFields(record.location());
        JsonNode row = record.node();
        String promptField = row.has("prompt") || !row.has("instruction") ? "prompt" : "instruction";
        String prompt = f.requireText(row, promptField, promptField);
        List<JsonNode> completions = completions(row, f);
        if (completions.isEmpty()) {
            throw f.error("completions", "is empty; an instruction needs responses");
        }
        List<Response> responses = new ArrayList<>(completions.size());
        for (int i = 0; i < completions.size(); i++) {
            String path = "completions[" + i + "]";
            JsonNode c = completions.get(i);
            if (!c.isObject()) {
                throw f.error(path, "expected an object, got " + RowFields.describe(c));
            }
            String text = f.requireText(c, "response", path + ".response");
            String model = f.optionalText(c, "model", path + ".model");
            double label = annotation(f, c, labelField, path);
            double score = Response.ABSENT;
            if (scoreField != null) {
                score = annotation(f, c, scoreField, path);
                if (!Double.isNaN(score)) {
                    score = Scores.transform(transform, score, f, path + "." + scoreField);
                }
            }
            responses.add(new Response(text, score, label, model));
        }
        String explicitId = f.optionalId(row, "id", "id");
        String id = explicitId != null ? explicitId : ItemIds.fromPrompt(prompt);
        String reference = referenceField == null ? null : f.optionalReference(row, referenceField);
        return new Item(id, prompt, "", reference, responses, record.location());
    }

    /** The completions as objects, from a list of them or from an object of parallel lists. */
    private static List<JsonNode> completions(JsonNode row, RowFields f) {
        JsonNode c = RowFields.at(row, "completions");
        if (c != null && c.isObject()) {
            int n = -1;
            for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isArray()) {
                    throw f.error("completions." + e.getKey(), "expected a list (completions as parallel lists),"
                            + " got " + RowFields.describe(e.getValue()));
                }
                if (n >= 0 && e.getValue().size() != n) {
                    throw f.error("completions." + e.getKey(), "has " + e.getValue().size() + " entries where the"
                            + " other lists have " + n);
                }
                n = e.getValue().size();
            }
            List<JsonNode> out = new ArrayList<>();
            for (int i = 0; i < Math.max(n, 0); i++) {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    o.set(e.getKey(), e.getValue().get(i));
                }
                out.add(o);
            }
            return out;
        }
        JsonNode list = f.requireArray(row, "completions", "completions");
        List<JsonNode> out = new ArrayList<>(list.size());
        list.forEach(out::add);
        return out;
    }

    private static double annotation(RowFields f, JsonNode completion, String name, String path) {
        if (name.equals(MEAN)) {
            if (!RowFields.isAbsent(completion.get(MEAN))) {
                return f.optionalNumber(completion, MEAN, path + "." + MEAN);
            }
            double sum = 0;
            for (String aspect : List.of("helpfulness", "ethical_considerations", "visual_faithfulness")) {
                double r = aspect(f, completion, aspect, path);
                if (Double.isNaN(r)) {
                    return Response.ABSENT;
                }
                sum += r;
            }
            return sum / 3;
        }
        return aspect(f, completion, name, path);
    }

    /** One aspect's rating, under the data's name or admap's. */
    private static double aspect(RowFields f, JsonNode completion, String name, String path) {
        JsonNode annotations = completion.get("annotations");
        if (annotations == null || !annotations.isObject()) {
            return Response.ABSENT;
        }
        String key = annotations.has(ASPECTS.get(name)) ? ASPECTS.get(name) : name;
        JsonNode aspect = annotations.get(key);
        String aspectPath = path + ".annotations." + key;
        if (RowFields.isAbsent(aspect)) {
            return Response.ABSENT;
        }
        if (!aspect.isObject()) {
            return f.number(aspect, aspectPath); // a bare rating
        }
        JsonNode rating = aspect.get("Rating");
        return RowFields.isAbsent(rating) ? Response.ABSENT : f.number(rating, aspectPath + ".Rating");
    }

    @Override
    public boolean readsScoreField() {
        return true;
    }

    @Override
    public boolean groupsRows() {
        return false;
    }

    @Override
    public String description() {
        return "vlfeedback (label " + labelField + (scoreField == null ? "" : ", score " + scoreField) + ")";
    }

    @Override
    public Layout layout() {
        return Layout.VLFEEDBACK;
    }
}
