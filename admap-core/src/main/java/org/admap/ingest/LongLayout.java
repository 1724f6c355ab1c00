package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;

/**
 * One response per row (evaluation dumps, AlpacaEval annotations, spreadsheets). Field
 * names come from the options; rows that share a prompt, in any file, form one item. With
 * an id field, rows are grouped by id instead, for data whose prompts repeat.
 */
final class LongLayout implements RowLayout {

    private final String promptField;
    private final String responseField;
    private final String scoreField;
    private final String labelField;
    private final String modelField;
    private final String idField;
    private final String inputField;
    private final String referenceField;
    private final ScoreTransform transform;
    private final boolean labelsFromScores;
    private final Preset preset;

    LongLayout(IngestOptions o) {
        this.promptField = o.promptField() == null ? "prompt" : o.promptField();
        this.responseField = o.responseField() == null ? "response" : o.responseField();
        this.scoreField = o.scoreField() == null ? "score" : o.scoreField();
        this.labelField = o.labelField() == null ? "label" : o.labelField();
        this.modelField = o.modelField() == null ? "model" : o.modelField();
        this.idField = o.idField();
        this.inputField = o.inputField();
        this.referenceField = o.referenceField();
        this.transform = o.scoreTransform();
        this.labelsFromScores = o.labelsFromScores();
        this.preset = o.preset();
    }

    @Override
    public Item read(SourceRecord record) {
        RowFields f = new RowFields(record.location());
        JsonNode row = record.node();
        String prompt = f.requireText(row, promptField, promptField);
        String text = f.requireText(row, responseField, responseField);
        String input = inputField == null ? "" : f.optionalText(row, inputField, inputField);
        String reference = referenceField == null ? null : f.optionalReference(row, referenceField);
        Scores.Read read = Scores.read(f, row, scoreField, scoreField, transform);
        double score = read.value();
        double label = labelsFromScores ? score : f.optionalNumber(row, labelField, labelField);
        String model = f.optionalText(row, modelField, modelField);
        String id = idField == null ? null : f.requireId(row, idField, idField);
        if (id != null && id.isBlank()) {
            throw f.error(idField, "is empty; rows are grouped by this id");
        }
        if (id == null) {
            id = ItemIds.fromPrompt(Item.fullPrompt(prompt, input));
        }
        return new Item(id, prompt, input, reference, List.of(new Response(text, score, label, model, read.samples())),
                record.location());
    }

    /** The field the prompt is read from. */
    String promptField() {
        return promptField;
    }

    /** The field the response is read from. */
    String responseField() {
        return responseField;
    }

    @Override
    public boolean readsScoreField() {
        return true;
    }

    @Override
    public boolean groupsRows() {
        return true;
    }

    @Override
    public String description() {
        return preset != null ? "long (preset " + preset.cliName() + ")"
                : "long (prompt '" + promptField + "', response '" + responseField + "')";
    }

    @Override
    public Layout layout() {
        return Layout.LONG;
    }
}
