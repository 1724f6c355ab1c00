package org.admap.ingest;

import java.io.Serializable;
import java.util.Objects;
import org.admap.ingest.group.GroupingOptions;

/**
 * How to read input files: the layout, and for layouts with free field names the mapping
 * of fields to prompt, response, score, label and model.
 *
 * <p>Field names left null take each layout's defaults (for {@link Layout#LONG}:
 * {@code prompt}, {@code response}, {@code score}, {@code label}, {@code model}). For
 * {@link Layout#ULTRAFEEDBACK}, {@code labelField} and {@code scoreField} name an
 * annotation instead: {@code fine-grained_score} (the default label),
 * {@code overall_score}, or an aspect whose {@code Rating} is used:
 * {@code helpfulness}, {@code honesty}, {@code instruction_following},
 * {@code truthfulness}. Nested fields may be written with dots ({@code meta.model}).
 *
 * <p>Serializable, so that a Spark job sends these very options to its executors instead of a copy.
 *
 * @param layout           the layout, or {@link Layout#AUTO} to recognise it
 * @param preset           a named field mapping, or null
 * @param scoreTransform   applied to every score read from the input
 * @param labelsFromScores when true, each response's score is also its label
 * @param skipBadRows      when true, rows with errors are counted and skipped instead of
 *                         failing the run
 * @param grouping         what happens to rows after the layout: grouping by prompt, the
 *                         label rule of grouped comparisons, named score sources
 * @param columns          LLaMA-Factory's column and tag remapping ({@link Columns#NONE}: none)
 */
public record IngestOptions(Layout layout, Preset preset,
                            String promptField, String responseField, String scoreField,
                            String labelField, String modelField, String idField,
                            String inputField, String referenceField,
                            ScoreTransform scoreTransform, boolean labelsFromScores,
                            boolean skipBadRows, GroupingOptions grouping, Columns columns)
        implements Serializable {

    public IngestOptions {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(scoreTransform, "scoreTransform");
        grouping = grouping == null ? GroupingOptions.DEFAULTS : grouping;
        columns = columns == null ? Columns.NONE : columns;
    }

    /** Options with the default grouping and no column remapping. */
    public IngestOptions(Layout layout, Preset preset, String promptField, String responseField, String scoreField,
                         String labelField, String modelField, String idField, String inputField,
                         String referenceField, ScoreTransform scoreTransform, boolean labelsFromScores,
                         boolean skipBadRows) {
        this(layout, preset, promptField, responseField, scoreField, labelField, modelField, idField, inputField,
                referenceField, scoreTransform, labelsFromScores, skipBadRows, GroupingOptions.DEFAULTS, Columns.NONE);
    }

    /** Sets what happens to rows after the layout (grouping, pair labels, named score sources). */
    public IngestOptions withGrouping(GroupingOptions value) {
        return new IngestOptions(layout, preset, promptField, responseField, scoreField, labelField, modelField,
                idField, inputField, referenceField, scoreTransform, labelsFromScores, skipBadRows, value, columns);
    }

    /** Auto-detected layout, default field names, no transform, bad rows fail the run. */
    public static IngestOptions defaults() {
        return new IngestOptions(Layout.AUTO, null, null, null, null, null, null, null, null, null,
                ScoreTransform.IDENTITY, false, false);
    }

    public IngestOptions withLayout(Layout value) {
        return new IngestOptions(value, preset, promptField, responseField, scoreField, labelField, modelField,
                idField, inputField, referenceField, scoreTransform, labelsFromScores, skipBadRows, grouping, columns);
    }

    public IngestOptions withPreset(Preset value) {
        return new IngestOptions(layout, value, promptField, responseField, scoreField, labelField, modelField,
                idField, inputField, referenceField, scoreTransform, labelsFromScores, skipBadRows, grouping, columns);
    }

    /** Sets the field names; null arguments keep the defaults. */
    public IngestOptions withFields(String prompt, String response, String score, String label, String model,
                                    String id) {
        return new IngestOptions(layout, preset, prompt, response, score, label, model, id, inputField,
                referenceField, scoreTransform, labelsFromScores, skipBadRows, grouping, columns);
    }

    /** Takes each instruction's reference answer from this field (a string, or the first of a list). */
    public IngestOptions withReferenceField(String value) {
        return new IngestOptions(layout, preset, promptField, responseField, scoreField, labelField, modelField,
                idField, inputField, value, scoreTransform, labelsFromScores, skipBadRows, grouping, columns);
    }

    public IngestOptions withScoreTransform(ScoreTransform value) {
        return new IngestOptions(layout, preset, promptField, responseField, scoreField, labelField, modelField,
                idField, inputField, referenceField, value, labelsFromScores, skipBadRows, grouping, columns);
    }

    public IngestOptions withSkipBadRows(boolean value) {
        return new IngestOptions(layout, preset, promptField, responseField, scoreField, labelField, modelField,
                idField, inputField, referenceField, scoreTransform, labelsFromScores, value, grouping, columns);
    }

    /** Renames the file's columns and message tags as LLaMA-Factory's {@code dataset_info.json} does. */
    public IngestOptions withColumns(Columns value) {
        return new IngestOptions(layout, preset, promptField, responseField, scoreField, labelField, modelField,
                idField, inputField, referenceField, scoreTransform, labelsFromScores, skipBadRows, grouping, value);
    }

    /** Whether the user named any field of the one-row-per-response layout. */
    boolean namesLongFields() {
        return promptField != null || responseField != null;
    }

    /** The options with the preset's mapping applied (or unchanged without a preset). */
    IngestOptions effective() {
        return preset == null ? this : preset.applyTo(this);
    }
}
