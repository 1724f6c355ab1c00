package org.admap.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import org.admap.internal.json.Json;
import org.admap.model.Turn;

/**
 * The {@code items.turns} column: an item's prompt turns as a JSON list of
 * {@code {"role": ..., "content": ...}} (the chat-message shape TRL and OpenAI use, so the
 * column reads in DuckDB with {@code json_extract}), NULL for a prompt that is one plain text.
 * Stores made before the column existed get it NULL on open ({@link RunStore}), so their
 * items read as plain prompts, as they were ingested.
 */
final class TurnsColumn {

    /** The column, as added to an older store. */
    static final String ADD = "ALTER TABLE items ADD COLUMN IF NOT EXISTS turns VARCHAR";

    private static final ObjectMapper JSON = Json.UNLIMITED_STRINGS;

    private TurnsColumn() {
    }

    /** The column's value: null when there are no turns. */
    static String encode(List<Turn> turns) {
        if (turns.isEmpty()) {
            return null;
        }
        ArrayNode list = JSON.createArrayNode();
        for (Turn t : turns) {
            list.addObject().put("role", t.role()).put("content", t.content());
        }
        try {
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write turns as JSON", e);
        }
    }

    /** The turns of a column value; none for NULL. */
    static List<Turn> decode(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            JsonNode list = JSON.readTree(json);
            List<Turn> turns = new ArrayList<>(list.size());
            for (JsonNode t : list) {
                turns.add(new Turn(t.path("role").asText(""), t.path("content").asText("")));
            }
            return turns;
        } catch (JsonProcessingException e) {
            throw new StoreException("the items.turns column holds malformed JSON: " + e.getOriginalMessage(), e);
        }
    }
}
