package org.admap.cli;

import org.admap.ingest.IngestOptions;
import org.admap.ingest.Layout;
import org.admap.ingest.Preset;
import org.admap.ingest.ScoreTransform;
import picocli.CommandLine.Option;

/** The options that say how to read input files, shared by every command that reads them. */
final class IngestFlags {

    @Option(names = "--layout", paramLabel = "LAYOUT", defaultValue = "auto",
            description = "How rows map to instructions: auto (default: recognised from the first row), multi,"
                    + " ultrafeedback, pairwise or long (one response per row).")
    String layout;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "A known one-row-per-response layout: alpaca-eval (AlpacaEval annotation files:"
                    + " prompt 'instruction', response 'output_2', model 'generator_2',"
                    + " score 'preference - 1', labels = scores).")
    String preset;

    @Option(names = "--prompt-field", paramLabel = "FIELD", description = "long layout: the prompt field (default prompt).")
    String promptField;

    @Option(names = "--response-field", paramLabel = "FIELD",
            description = "long layout: the response field (default response).")
    String responseField;

    @Option(names = "--score-field", paramLabel = "FIELD",
            description = "long layout: the score field (default score). ultrafeedback: an annotation to use as"
                    + " the score (fine-grained_score, overall_score, helpfulness, honesty,"
                    + " instruction_following, truthfulness).")
    String scoreField;

    @Option(names = "--label-field", paramLabel = "FIELD",
            description = "long layout: the label field (default label). ultrafeedback: the annotation used as"
                    + " the label (default fine-grained_score; or overall_score, helpfulness, honesty,"
                    + " instruction_following, truthfulness).")
    String labelField;

    @Option(names = "--model-field", paramLabel = "FIELD", description = "long layout: the model field (default model).")
    String modelField;

    @Option(names = "--id-field", paramLabel = "FIELD",
            description = "long layout: group rows by this id field instead of by prompt text.")
    String idField;

    @Option(names = "--reference-field", paramLabel = "FIELD",
            description = "Take each instruction's reference answer (for --scorer reference) from this field: a"
                    + " string, or the first of a list (e.g. output_1 in AlpacaEval files, correct_answers in"
                    + " UltraFeedback). multi layout default: reference.")
    String referenceField;

    @Option(names = "--score-transform", paramLabel = "EXPR",
            description = "Arithmetic applied to every score as read, in x: 'x - 1', '(x - 1) / 4'.")
    String scoreTransform;

    @Option(names = "--query", paramLabel = "SQL",
            description = "Read the rows of a DuckDB query instead of (or besides) files: data in several tables"
                    + " joined by ids, or any shape, without a converter. It returns the columns prompt and"
                    + " response, and optionally id (rows are grouped by it), score, label, model, input,"
                    + " reference; read_json('f.jsonl.gz'), read_csv, read_parquet read the files. The query is"
                    + " kept in the run's inputs and summary.json. Example: --query \"SELECT q.text AS prompt,"
                    + " a.text AS response, a.model_id AS model FROM read_json('q.jsonl') q JOIN"
                    + " read_json('a.jsonl') a USING (question_id)\"")
    String query;

    @Option(names = "--skip-bad-rows",
            description = "Count and skip rows with errors (reported in summary.json) instead of stopping"
                    + " at the first.")
    boolean skipBadRows;

    IngestOptions toOptions() {
        IngestOptions o = IngestOptions.defaults()
                .withLayout(Layout.parse(layout))
                .withFields(promptField, responseField, scoreField, labelField, modelField, idField)
                .withSkipBadRows(skipBadRows)
                .withReferenceField(referenceField);
        if (scoreTransform != null) {
            o = o.withScoreTransform(ScoreTransform.parse(scoreTransform));
        }
        if (preset != null) {
            o = o.withPreset(Preset.parse(preset));
        }
        return o;
    }
}
