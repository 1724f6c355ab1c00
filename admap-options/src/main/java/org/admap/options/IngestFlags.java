package org.admap.options;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.ingest.Columns;
import org.admap.ingest.DatasetInfo;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.Layout;
import org.admap.ingest.Preset;
import org.admap.ingest.ScoreTransform;
import org.admap.ingest.group.GroupingOptions;
import org.admap.ingest.group.PairLabels;
import org.admap.internal.store.RunStore;
import picocli.CommandLine.Option;

/**
 * The options that say how to read input files, shared by every command that reads them: the
 * command line's and the Spark job's, so that a name, a default or a help text is written once.
 */
public final class IngestFlags {

    @Option(names = "--layout", paramLabel = "LAYOUT", defaultValue = "auto",
            description = "How rows map to instructions: auto (default: recognised from the first row), multi,"
                    + " ultrafeedback, vlfeedback (VLFeedback, images), pairwise (TRL, alpaca, orca, HH-RLHF),"
                    + " sharegpt (LLaMA-Factory),"
                    + " llamafactory-v1 (chosen_messages/rejected_messages), unpaired (KTO), pku-saferlhf,"
                    + " arena, nectar, helpsteer, or long (one response per row).")
    String layout;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "A known one-row-per-response layout: alpaca-eval (AlpacaEval annotation files:"
                    + " prompt 'instruction', response 'output_2', model 'generator_2',"
                    + " score 'preference - 1', labels = scores).")
    String preset;

    @Option(names = "--prompt-field", paramLabel = "FIELD", description = "long layout: the prompt field (default " +
            "prompt).")
    String promptField;

    @Option(names = "--response-field", paramLabel = "FIELD",
            description = "long layout: the response field (default response).")
    String responseField;

    @Option(names = "--score-field", paramLabel = "[NAME=]FIELD",
            description = "The field scores are read from: long layout a row field (default score), multi a"
                    + " response field (default score), ultrafeedback an annotation (fine-grained_score,"
                    + " overall_score, helpfulness, honesty, instruction_following, truthfulness), vlfeedback"
                    + " an aspect (helpfulness, visual_faithfulness, ethical_considerations). FIELD alone is"
                    + " the 'input' source; NAME=FIELD (repeatable) reads FIELD as a further score source NAME of"
                    + " the same run, for map --scores NAME, compare --scores A,B and diagnose --scorers A,B,"
                    + " e.g. --score-field gpt35=gpt35 --score-field pandalm=pandalm7b.")
    List<String> scoreFields = new ArrayList<>();

    @Option(names = "--label-field", paramLabel = "FIELD",
            description = "long layout: the label field (default label). ultrafeedback: the annotation used as"
                    + " the label (default fine-grained_score; or overall_score, helpfulness, honesty,"
                    + " instruction_following, truthfulness). vlfeedback: fine-grained_score (default, the mean of"
                    + " the three aspects, as the paper's code), helpfulness, visual_faithfulness or"
                    + " ethical_considerations. pku-saferlhf: better (default), safer, or safe"
                    + " (each response's own safety flag). helpsteer: helpfulness (default), correctness,"
                    + " coherence, complexity or verbosity.")
    String labelField;

    @Option(names = "--model-field", paramLabel = "FIELD", description = "long layout: the model field (default " +
            "model).")
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

    @Option(names = "--group-by-prompt",
            description = "Rows that share a prompt (pairs, unpaired rows) become one instruction with every"
                    + " distinct response (same text and model = one response): its labels come from the"
                    + " comparisons (--pair-labels), its scores are averaged per response. One-response-per-row"
                    + " layouts (long) are always grouped, by id or prompt.")
    boolean groupByPrompt;

    @Option(names = "--pair-labels", paramLabel = "RULE", defaultValue = "wins",
            description = "How a grouped instruction's comparisons become labels: wins (default: wins minus"
                    + " losses over its comparisons) or bradley-terry (log-strength of a Bradley-Terry fit,"
                    + " one virtual win and loss against strength 1 as prior). Unpaired rows keep their label.")
    String pairLabels;

    @Option(names = "--columns", paramLabel = "NAME=FIELD,...",
            description = "Rename columns as a LLaMA-Factory dataset_info.json entry does: prompt, query,"
                    + " response, messages, system, tools, history, chosen, rejected, kto_tag, and the sharegpt"
                    + " message tags role_tag, content_tag, user_tag, assistant_tag, system_tag, function_tag,"
                    + " observation_tag. E.g. --columns prompt=question,chosen=better,rejected=worse.")
    String columns;

    @Option(names = "--dataset-info", paramLabel = "FILE",
            description = "Read the layout, columns and tags from a LLaMA-Factory dataset_info.json entry"
                    + " (with --dataset NAME): ranking true with formatting sharegpt is sharegpt, with alpaca"
                    + " pairwise; a kto_tag column is unpaired.")
    Path datasetInfo;

    @Option(names = "--dataset", paramLabel = "NAME", description = "The entry of --dataset-info to read the input as.")
    String dataset;

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

    /** The DuckDB query of {@code --query}, or null when the rows come from files. */
    public String query() {
        return query;
    }

    /**
     * The core's options these flags name; reads {@code --dataset-info} when given. An option a
     * command removed from its line (the Spark job's {@code --pair-labels}) takes the core's default.
     */
    public IngestOptions toOptions() throws IOException {
        String scoreField = null;
        List<GroupingOptions.ScoreField> named = new ArrayList<>();
        for (String spec : scoreFields) {
            int eq = spec.indexOf('=');
            String name = eq < 0 ? null : spec.substring(0, eq).trim();
            String field = eq < 0 ? spec.trim() : spec.substring(eq + 1).trim();
            if (name == null || name.equals(RunStore.INPUT)) {
                if (scoreField != null) {
                    throw new IllegalArgumentException("--score-field names the input source's field twice ('"
                            + scoreField + "' and '" + field + "'): name further sources as NAME=FIELD");
                }
                scoreField = field;
            } else {
                named.add(new GroupingOptions.ScoreField(name, field));
            }
        }
        IngestOptions o = IngestOptions.defaults()
                .withLayout(Layout.parse(layout))
                .withFields(promptField, responseField, scoreField, labelField, modelField, idField)
                .withGrouping(GroupingOptions.DEFAULTS.withByPrompt(groupByPrompt)
                        .withPairLabels(pairLabels == null ? PairLabels.WINS : PairLabels.parse(pairLabels))
                        .withScoreFields(named))
                .withSkipBadRows(skipBadRows)
                .withReferenceField(referenceField);
        if (scoreTransform != null) {
            o = o.withScoreTransform(ScoreTransform.parse(scoreTransform));
        }
        if (preset != null) {
            o = o.withPreset(Preset.parse(preset));
        }
        if ((datasetInfo == null) != (dataset == null)) {
            throw new IllegalArgumentException(datasetInfo == null ? "--dataset needs --dataset-info FILE"
                    : "--dataset-info needs --dataset NAME (the entry to read)");
        }
        if (datasetInfo != null) {
            DatasetInfo info = DatasetInfo.read(datasetInfo, dataset);
            o = o.withColumns(info.columns());
            if (o.layout() == Layout.AUTO) {
                o = o.withLayout(info.layout());
            }
        }
        if (columns != null) {
            o = o.withColumns(o.columns().with(Columns.parse(columns)));
        }
        return o;
    }
}
