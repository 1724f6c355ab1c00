package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Recognises a file's layout from its first row. The rules look for each layout's
 * defining fields, most specific first, so that for instance an AlpacaEval annotation file
 * (which has {@code instruction} like alpaca pairs but no {@code chosen}) is told apart.
 */
final class LayoutDetector {

    private LayoutDetector() {
    }

    /** Returns the layout to read the file with, given its first row. */
    static RowLayout detect(JsonNode first, IngestOptions options, String file) {
        IngestOptions o = options.effective();
        Layout layout = o.layout();
        if (layout == Layout.AUTO) {
            layout = recognise(first, o);
            if (layout == Layout.LONG && o.preset() == null && isAlpacaEval(first) && !o.namesLongFields()) {
                o = options.withPreset(Preset.ALPACA_EVAL).effective();
            }
            if (layout == null) {
                List<String> fields = new ArrayList<>();
                first.fieldNames().forEachRemaining(fields::add);
                throw IngestException.forFile(file, "cannot recognise the layout from the first row's fields "
                        + fields + ": expected 'responses' (multi), 'completions' (ultrafeedback), 'chosen' and"
                        + " 'rejected' (pairwise), or one response per row (use --layout long with"
                        + " --prompt-field and --response-field, or --preset alpaca-eval)");
            }
        }
        return create(layout, o);
    }

    static RowLayout create(Layout layout, IngestOptions o) {
        return switch (layout) {
            case MULTI -> new MultiResponseLayout(o);
            case ULTRAFEEDBACK -> new UltraFeedbackLayout(o);
            case PAIRWISE -> new PairwiseLayout(o);
            case LONG -> new LongLayout(o);
            case AUTO -> throw new IllegalArgumentException("AUTO is not a concrete layout");
        };
    }

    private static Layout recognise(JsonNode first, IngestOptions o) {
        if (o.namesLongFields()) {
            return Layout.LONG;
        }
        if (first.has("responses")) {
            return Layout.MULTI;
        }
        if (first.has("completions")) {
            return Layout.ULTRAFEEDBACK;
        }
        if (first.has("chosen") && first.has("rejected")) {
            return Layout.PAIRWISE;
        }
        if (isAlpacaEval(first)) {
            return Layout.LONG;
        }
        if (first.has("prompt") && first.has("response")) {
            return Layout.LONG;
        }
        return null;
    }

    private static boolean isAlpacaEval(JsonNode first) {
        return first.has("instruction") && first.has("output_2") && first.has("preference");
    }
}
