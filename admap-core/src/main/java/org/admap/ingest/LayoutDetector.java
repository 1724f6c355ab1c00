package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Recognises a file's layout from its first row. The rules look for each layout's
 * defining fields, most specific first, so that for instance an AlpacaEval annotation file
 * (which has {@code instruction} like alpaca pairs but no {@code chosen}) is told apart,
 * and a row that fits none is an error naming the fields it has and every rule tried.
 */
final class LayoutDetector {

    /** One rule: the layout, its defining fields in words, and the test on the first row. */
    private record Rule(Layout layout, String fields, Predicate<JsonNode> matches) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule(Layout.MULTI, "'responses'", r -> r.has("responses")),
            new Rule(Layout.VLFEEDBACK, "'completions' + 'img_path' or 'image', or Visual Faithfulness ratings",
                    VlFeedbackLayout::matches),
            new Rule(Layout.ULTRAFEEDBACK, "'completions'", r -> r.has("completions")),
            new Rule(Layout.NECTAR, "'prompt' + 'answers' list", r -> r.has("prompt") && isList(r.get("answers"))),
            new Rule(Layout.PKU_SAFERLHF, "'response_0' + 'response_1'",
                    r -> r.has("response_0") && r.has("response_1")),
            new Rule(Layout.ARENA, "'response_a' + 'response_b', or 'conversation_a' + 'conversation_b'",
                    r -> r.has("response_a") && r.has("response_b")
                            || r.has("conversation_a") && r.has("conversation_b")),
            new Rule(Layout.LLAMAFACTORY_V1, "'chosen_messages' + 'rejected_messages'",
                    r -> r.has("chosen_messages") && r.has("rejected_messages")),
            new Rule(Layout.SHAREGPT, "'conversations' + 'chosen' + 'rejected'",
                    r -> r.has("conversations") && r.has("chosen") && r.has("rejected")),
            new Rule(Layout.PAIRWISE, "'chosen' + 'rejected'", r -> r.has("chosen") && r.has("rejected")),
            new Rule(Layout.UNPAIRED, "'label' or 'kto_tag' + 'completion', 'output', 'conversations' or 'messages'",
                    r -> (r.has("label") || r.has("kto_tag")) && (r.has("completion") || r.has("output")
                            || r.has("conversations") || r.has("messages"))),
            new Rule(Layout.LONG, "'instruction' + 'output_2' + 'preference' (AlpacaEval)",
                    LayoutDetector::isAlpacaEval),
            new Rule(Layout.HELPSTEER, "'prompt' + 'response' + 'helpfulness'",
                    r -> r.has("prompt") && r.has("response") && r.has("helpfulness")),
            new Rule(Layout.LONG, "'prompt' + 'response'", r -> r.has("prompt") && r.has("response")));

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
                throw IngestException.forFile(file, unrecognised(first));
            }
        }
        return create(layout, o);
    }

    /** The message for a first row that fits no layout: its fields, and each rule tried. */
    static String unrecognised(JsonNode first) {
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        StringBuilder sb = new StringBuilder("cannot recognise the layout from the first row's fields ")
                .append(fields).append("; tried, in order:");
        for (Rule rule : RULES) {
            sb.append(' ').append(rule.layout().cliName()).append(" (").append(rule.fields()).append("),");
        }
        sb.setLength(sb.length() - 1);
        return sb.append(". Name the fields with --layout long --prompt-field F --response-field F, or rename"
                + " columns with --columns prompt=F,chosen=F,... (or --dataset-info FILE --dataset NAME)").toString();
    }

    static RowLayout create(Layout layout, IngestOptions o) {
        return switch (layout) {
            case MULTI -> new MultiResponseLayout(o);
            case ULTRAFEEDBACK -> new UltraFeedbackLayout(o);
            case VLFEEDBACK -> new VlFeedbackLayout(o);
            case PAIRWISE -> new PairwiseLayout(o);
            case SHAREGPT -> new ShareGptLayout(o);
            case LLAMAFACTORY_V1 -> new MessagesPairLayout(o);
            case UNPAIRED -> new UnpairedLayout(o);
            case PKU_SAFERLHF -> new SafeRlhfLayout(o);
            case ARENA -> new ArenaLayout(o);
            case NECTAR -> new NectarLayout(o);
            case HELPSTEER -> new HelpSteerLayout(o);
            case LONG -> new LongLayout(o);
            case AUTO -> throw new IllegalArgumentException("AUTO is not a concrete layout");
        };
    }

    private static Layout recognise(JsonNode first, IngestOptions o) {
        if (o.namesLongFields()) {
            return Layout.LONG;
        }
        for (Rule rule : RULES) {
            if (rule.matches().test(first)) {
                return rule.layout();
            }
        }
        return null;
    }

    private static boolean isList(JsonNode value) {
        return value != null && (value.isArray() || value.isTextual() && value.textValue().trim().startsWith("["));
    }

    private static boolean isAlpacaEval(JsonNode first) {
        return first.has("instruction") && first.has("output_2") && first.has("preference");
    }
}
