package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.admap.model.Turn;

/**
 * The turns of an alpaca-style row (LLaMA-Factory): the {@code system} prompt, the
 * {@code history} of earlier {@code [instruction, response]} rounds, then the user's
 * instruction. Rows with neither system nor history have no turns: their prompt is one text.
 */
final class AlpacaTurns {

    private AlpacaTurns() {
    }

    /** The turns, or an empty list when the row has no system prompt and no history. */
    static List<Turn> of(JsonNode row, RowFields f, String userMessage) {
        String system = f.optionalText(row, "system", "system");
        JsonNode history = row.get("history");
        boolean hasHistory = history != null && history.isArray() && !history.isEmpty();
        if ((system == null || system.isEmpty()) && !hasHistory) {
            return List.of();
        }
        List<Turn> turns = new ArrayList<>();
        if (system != null && !system.isEmpty()) {
            turns.add(new Turn("system", system));
        }
        if (hasHistory) {
            for (int i = 0; i < history.size(); i++) {
                JsonNode round = history.get(i);
                String p = "history[" + i + "]";
                if (!round.isArray() || round.size() != 2) {
                    throw f.error(p, "expected [instruction, response], got " + RowFields.describe(round));
                }
                turns.add(Turn.user(f.text(round.get(0), p + "[0]")));
                turns.add(new Turn("assistant", f.text(round.get(1), p + "[1]")));
            }
        }
        turns.add(Turn.user(userMessage));
        return turns;
    }
}
