package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;

/**
 * Nectar (berkeley-nest): one {@code prompt} with its ranked {@code answers}, each
 * {@code {"answer", "model", "rank"}}, rank 1 the best. The label is the rank turned round
 * so that higher is better, as every other label: {@code label = n + 1 - rank} for n
 * answers (7 answers: rank 1 gets 7, rank 7 gets 1). The prompt is kept as Nectar writes
 * it ({@code Human: ... Assistant:}).
 */
final class NectarLayout implements RowLayout {

    NectarLayout(IngestOptions options) {
    }

    @Override
    public Item read(SourceRecord record) {
        RowFields f = new RowFields(record.location());
        JsonNode row = record.node();
        String prompt = f.requireText(row, "prompt", "prompt");
        JsonNode answers = f.requireArray(row, "answers", "answers");
        if (answers.isEmpty()) {
            throw f.error("answers", "is empty; an instruction needs responses");
        }
        int n = answers.size();
        List<Response> responses = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String p = "answers[" + i + "]";
            JsonNode a = answers.get(i);
            if (!a.isObject()) {
                throw f.error(p, "expected {\"answer\": ..., \"model\": ..., \"rank\": ...}, got "
                        + RowFields.describe(a));
            }
            double rank = f.requireNumber(a, "rank", p + ".rank");
            if (rank < 1 || rank > n) {
                throw f.error(p + ".rank", "expected a rank from 1 (best) to " + n + ", got " + rank);
            }
            responses.add(new Response(f.requireText(a, "answer", p + ".answer"), Response.ABSENT, n + 1 - rank,
                    f.optionalText(a, "model", p + ".model")));
        }
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
        return "nectar (label = answers + 1 - rank)";
    }

    @Override
    public Layout layout() {
        return Layout.NECTAR;
    }
}
