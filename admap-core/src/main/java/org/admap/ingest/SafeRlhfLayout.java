package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;

/**
 * PKU-SafeRLHF: {@code prompt}, {@code response_0}, {@code response_1} and two verdicts,
 * {@code better_response_id} (helpfulness) and {@code safer_response_id} (harmlessness),
 * which disagree on some rows. {@code --label-field} says which verdict labels the pair:
 * {@code better} (the default) or {@code safer} label the preferred response 1 and the
 * other 0; {@code safe} labels each response by its own {@code is_response_k_safe} flag
 * (1 safe, 0 unsafe), so a pair can have two equal labels. The response's source model
 * ({@code response_k_source}) is its model.
 */
final class SafeRlhfLayout implements RowLayout {

    /** The label choices of {@code --label-field}. */
    static final List<String> LABELS = List.of("better", "safer", "safe");

    private final String label;

    SafeRlhfLayout(IngestOptions options) {
        String l = options.labelField() == null ? "better" : options.labelField().toLowerCase(Locale.ROOT);
        if (l.endsWith("_response_id")) {
            l = l.substring(0, l.length() - "_response_id".length());
        }
        if (!LABELS.contains(l)) {
            throw new IllegalArgumentException("--label-field " + options.labelField() + ": PKU-SafeRLHF rows are"
                    + " labelled by better (better_response_id, the default), safer (safer_response_id) or safe"
                    + " (each response's is_response_k_safe flag)");
        }
        this.label = l;
    }

    @Override
    public Item read(SourceRecord record) {
        RowFields f = new RowFields(record.location());
        JsonNode row = record.node();
        String prompt = f.requireText(row, "prompt", "prompt");
        String r0 = f.requireText(row, "response_0", "response_0");
        String r1 = f.requireText(row, "response_1", "response_1");
        double l0;
        double l1;
        if (label.equals("safe")) {
            l0 = UnpairedLayout.verdict(row.get("is_response_0_safe"), f, "is_response_0_safe");
            l1 = UnpairedLayout.verdict(row.get("is_response_1_safe"), f, "is_response_1_safe");
        } else {
            String field = label + "_response_id";
            double id = f.requireNumber(row, field, field);
            if (id != 0 && id != 1) {
                throw f.error(field, "expected 0 or 1 (which response is " + label + "), got " + id);
            }
            l0 = id == 0 ? 1 : 0;
            l1 = 1 - l0;
        }
        List<Response> responses = List.of(
                new Response(r0, Response.ABSENT, l0, f.optionalText(row, "response_0_source", "response_0_source")),
                new Response(r1, Response.ABSENT, l1, f.optionalText(row, "response_1_source", "response_1_source")));
        String explicitId = f.optionalId(row, "id", "id");
        return new Item(explicitId != null ? explicitId : ItemIds.fromPrompt(prompt), prompt, "", null, responses,
                record.location());
    }

    @Override
    public boolean groupsRows() {
        return false;
    }

    @Override
    public String description() {
        return "pku-saferlhf (label " + label + ")";
    }

    @Override
    public Layout layout() {
        return Layout.PKU_SAFERLHF;
    }
}
