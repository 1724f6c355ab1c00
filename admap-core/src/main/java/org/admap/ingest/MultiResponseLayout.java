package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;

/**
 * admap's neutral layout: one row per instruction,
 * {@code {"id": optional, "prompt": "...", "responses": [{"text": "...", "score": 7.5, "label": 4, "model":
 * "optional"}]}}.
 * Optional {@code input} (alpaca style) and {@code reference} (a reference answer). A
 * response may also be a plain string, with neither score nor label. {@code --score-field}
 * names another response field as the score.
 */
final class MultiResponseLayout implements RowLayout {

    private final ScoreTransform transform;
    private final boolean labelsFromScores;
    private final String referenceField;
    private final String scoreField;

    MultiResponseLayout(IngestOptions options) {
        this.scoreField = options.scoreField() == null ? "score" : options.scoreField();
        this.transform = options.scoreTransform();
        this.labelsFromScores = options.labelsFromScores();
        this.referenceField = options.referenceField() == null ? "reference" : options.referenceField();
    }

    @Override
    public Item read(SourceRecord record) {
        RowFields f = new RowFields(record.location());
        JsonNode row = record.node();
        String prompt = f.requireText(row, "prompt", "prompt");
        String input = f.optionalText(row, "input", "input");
        String reference = f.optionalReference(row, referenceField);
        JsonNode list = f.requireArray(row, "responses", "responses");
        if (list.isEmpty()) {
            throw f.error("responses", "is empty; an instruction needs responses");
        }
        List<Response> responses = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String path = "responses[" + i + "]";
            JsonNode r = list.get(i);
            if (r.isTextual()) {
                responses.add(new Response(r.textValue(), Response.ABSENT, Response.ABSENT, null));
                continue;
            }
            if (!r.isObject()) {
                throw f.error(path, "expected an object {\"text\": ..., \"score\": ...} or a string, got "
                        + RowFields.describe(r));
            }
            String text = f.requireText(r, "text", path + ".text");
            Scores.Read read = Scores.read(f, r, scoreField, path + "." + scoreField, transform);
            double score = read.value();
            double label = labelsFromScores ? score : f.optionalNumber(r, "label", path + ".label");
            String model = f.optionalText(r, "model", path + ".model");
            responses.add(new Response(text, score, label, model, read.samples()));
        }
        String explicitId = f.optionalId(row, "id", "id");
        String id = explicitId != null ? explicitId : ItemIds.fromPrompt(Item.fullPrompt(prompt, input));
        return new Item(id, prompt, input, reference, responses, record.location());
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
        return "multi-response";
    }

    @Override
    public Layout layout() {
        return Layout.MULTI;
    }
}
