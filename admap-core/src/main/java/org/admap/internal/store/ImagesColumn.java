package org.admap.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.admap.internal.json.Json;
import org.admap.model.ImageRef;

/**
 * The {@code items.images} column: the images an item's prompt carries, as a JSON list of
 * {@code {"source", "kind", "location", "sha256"}} (readable in DuckDB with
 * {@code json_extract}), NULL for a text-only prompt. Files and URLs are stored as references;
 * an image embedded in the data keeps its bytes here as a {@code data:} URL, since the data is
 * the only place they were. Stores made before the column existed get it NULL on open.
 */
final class ImagesColumn {

    /** The column, as added to an older store. */
    static final String ADD = "ALTER TABLE items ADD COLUMN IF NOT EXISTS images VARCHAR";

    private static final ObjectMapper JSON = Json.UNLIMITED_STRINGS;

    private ImagesColumn() {
    }

    /** The column's value: null when there are no images. */
    static String encode(List<ImageRef> images) {
        if (images.isEmpty()) {
            return null;
        }
        ArrayNode list = JSON.createArrayNode();
        for (ImageRef i : images) {
            ObjectNode o = list.addObject().put("source", i.source()).put("kind", i.kind().name().toLowerCase(
                    java.util.Locale.ROOT)).put("location", i.location());
            if (i.sha256() != null) {
                o.put("sha256", i.sha256());
            }
        }
        try {
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write images as JSON", e);
        }
    }

    /** The images of a column value; none for NULL. */
    static List<ImageRef> decode(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            JsonNode list = JSON.readTree(json);
            List<ImageRef> images = new ArrayList<>(list.size());
            for (JsonNode i : list) {
                images.add(new ImageRef(i.path("source").asText(""),
                        ImageRef.Kind.valueOf(i.path("kind").asText("file").toUpperCase(java.util.Locale.ROOT)),
                        i.path("location").asText(""), i.hasNonNull("sha256") ? i.get("sha256").asText() : null));
            }
            return images;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new StoreException("the items.images column holds malformed JSON: " + e.getMessage(), e);
        }
    }
}
