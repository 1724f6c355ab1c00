package org.admap.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import org.admap.internal.store.ItemDetails;
import org.admap.internal.store.Reviews;

/**
 * The review marks: {@code GET /api/reviews} and {@code POST /api/review {"key": K, "mark": "drop"}}
 * ({@link Reviews}, which {@code admap select} obeys). A mark is stored in the run store, so on
 * a scanned run the first one builds it.
 */
final class ReviewHandler {

    private final MapCache cache;
    private final StoreConnections store;

    ReviewHandler(MapCache cache, StoreConnections store) {
        this.cache = cache;
        this.store = store;
    }

    Answer reviews() throws IOException {
        Map<Integer, Reviews.Mark> marks = cache.marks();
        ObjectNode o = Answer.JSON.createObjectNode();
        ObjectNode m = o.putObject("marks");
        marks.forEach((k, v) -> m.put(Integer.toString(k), v.cliName()));
        return Answer.json(200, o);
    }

    Answer review(JsonNode body) throws IOException {
        Requests.checkFields(body, "key", "mark");
        if (!body.has("key")) {
            throw new BadRequest(400, "'key' is missing: the body is {\"key\": K, \"mark\": \"drop\"}");
        }
        int key = Requests.keyValue(body.get("key"), "key");
        JsonNode markNode = body.path("mark");
        if (!markNode.isNull() && !markNode.isMissingNode() && !markNode.isTextual()) {
            throw new BadRequest(400, "'mark' must be reviewed, keep, drop or null, got " + markNode);
        }
        Reviews.Mark mark = markNode.isNull() || markNode.isMissingNode() ? null
                : Reviews.Mark.parse(markNode.asText());
        ServedMap m = cache.current();
        if (key >= m.items()) {
            throw new BadRequest(400, "no instruction with key " + key + " (this run has keys 0.."
                    + (m.items() - 1) + ")");
        }
        String id = store.withStore(s -> {
            String itemId = m.point(key) != null ? m.point(key).id()
                    : ItemDetails.of(s).item(key, 1).map(ItemDetails.Detail::id).orElse(null);
            if (itemId == null) {
                return null;
            }
            Reviews.of(s).set(key, itemId, mark);
            return itemId;
        });
        if (id == null) {
            throw new BadRequest(400, "no instruction with key " + key);
        }
        ObjectNode o = Answer.JSON.createObjectNode();
        o.put("key", key);
        o.put("id", id);
        o.put("mark", mark == null ? null : mark.cliName());
        return Answer.json(200, o);
    }
}
