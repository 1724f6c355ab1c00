package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;

/**
 * NVIDIA HelpSteer and HelpSteer2: one response per row ({@code prompt}, {@code response})
 * rated by humans 0-4 on five attributes, {@code helpfulness}, {@code correctness},
 * {@code coherence}, {@code complexity}, {@code verbosity}. {@code --label-field} picks the
 * attribute that labels the response (default helpfulness); rows that share a prompt form
 * one instruction, as in the long layout.
 */
final class HelpSteerLayout implements RowLayout {

    /** The five attributes. */
    static final List<String> ATTRIBUTES = List.of("helpfulness", "correctness", "coherence", "complexity",
            "verbosity");

    private final String attribute;

    HelpSteerLayout(IngestOptions options) {
        String a = options.labelField() == null ? "helpfulness" : options.labelField().toLowerCase(Locale.ROOT);
        if (!ATTRIBUTES.contains(a)) {
            throw new IllegalArgumentException("--label-field " + options.labelField() + ": HelpSteer rows are"
                    + " labelled by one of " + ATTRIBUTES + " (default helpfulness)");
        }
        this.attribute = a;
    }

    @Override
    public Item read(SourceRecord record) {
        RowFields f = new RowFields(record.location());
        JsonNode row = record.node();
        String prompt = f.requireText(row, "prompt", "prompt");
        String response = f.requireText(row, "response", "response");
        double label = f.requireNumber(row, attribute, attribute);
        return new Item(ItemIds.fromPrompt(prompt), prompt, "", null,
                List.of(new Response(response, Response.ABSENT, label, null)), record.location());
    }

    @Override
    public boolean groupsRows() {
        return true;
    }

    @Override
    public String description() {
        return "helpsteer (label " + attribute + ")";
    }

    @Override
    public Layout layout() {
        return Layout.HELPSTEER;
    }
}
