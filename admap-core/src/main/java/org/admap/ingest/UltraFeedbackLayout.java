package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;

/**
 * UltraFeedback's raw rows ({@code openbmb/UltraFeedback}): {@code instruction} and a list
 * of {@code completions}, each with {@code model}, {@code response}, {@code annotations}
 * (per aspect a {@code Rating} "1".."5" or "N/A"), {@code overall_score} and
 * {@code fine-grained_score}.
 *
 * <p>The label is {@code fine-grained_score} unless {@code --label-field} names another
 * annotation; {@code --score-field} may name one more as the score (otherwise the labels
 * play the scores). A rating of "N/A" leaves that response without a label.
 */
final class UltraFeedbackLayout implements RowLayout {

    /** The annotations a label or score can be taken from. */
    static final Set<String> ANNOTATIONS = Set.of("fine-grained_score", "overall_score",
            "helpfulness", "honesty", "instruction_following", "truthfulness");

    private final String labelField;
    private final String scoreField;
    private final ScoreTransform transform;
    private final String referenceField;

    UltraFeedbackLayout(IngestOptions options) {
        this.labelField = check(options.labelField() == null ? "fine-grained_score" : options.labelField(),
                "--label-field");
        this.scoreField = options.scoreField() == null ? null : check(options.scoreField(), "--score-field");
        this.transform = options.scoreTransform();
        this.referenceField = options.referenceField();
    }

    private static String check(String field, String flag) {
        if (!ANNOTATIONS.contains(field)) {
            throw new IllegalArgumentException(flag + " '" + field + "' is not an UltraFeedback annotation:"
                    + " expected one of fine-grained_score, overall_score, helpfulness, honesty,"
                    + " instruction_following, truthfulness");
        }
        return field;
    }

    @Override
    public Item read(SourceRecord record) {
        RowFields f = new RowFields(record.location());
        JsonNode row = record.node();
        String prompt = f.requireText(row, "instruction", "instruction");
        JsonNode completions = f.requireArray(row, "completions", "completions");
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

    private static double annotation(RowFields f, JsonNode completion, String name, String path) {
        if (name.equals("fine-grained_score") || name.equals("overall_score")) {
            return f.optionalNumber(completion, name, path + "." + name);
        }
        JsonNode aspect = RowFields.at(completion, "annotations." + name);
        String aspectPath = path + ".annotations." + name;
        if (RowFields.isAbsent(aspect)) {
            return Response.ABSENT;
        }
        if (aspect.isArray()) { // some exports keep one dict per annotator pass
            if (aspect.isEmpty()) {
                return Response.ABSENT;
            }
            aspect = aspect.get(0);
            aspectPath += "[0]";
        }
        return f.optionalNumber(aspect, "Rating", aspectPath + ".Rating");
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
        return "ultrafeedback (label " + labelField + (scoreField == null ? "" : ", score " + scoreField) + ")";
    }

    @Override
    public Layout layout() {
        return Layout.ULTRAFEEDBACK;
    }
}
