package org.admap.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.admap.internal.store.Reviews;
import org.admap.report.ViewData;

/** One instruction with its full texts ({@code GET /api/item?key=K}) and text search ({@code /api/search?q=}). */
final class ItemHandler {

    private final MapCache cache;
    private final ViewData.Options options;

    ItemHandler(MapCache cache, ViewData.Options options) {
        this.cache = cache;
        this.options = options;
    }

    Answer item(int key) throws IOException {
        ServedMap m = cache.current();
        Reviews.Mark mark = cache.marks().get(key); // the cached marks: no query of every review per item
        Optional<ViewerSource.Viewed> viewed = m.source().item(key, options.maxTextChars());
        if (viewed.isEmpty()) {
            throw new BadRequest(404, "no instruction with key " + key);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = ViewData.configure(Answer.JSON.getFactory().createGenerator(bytes))) {
            ViewData.writeItem(g, viewed.get().detail(), m.point(key), m.flags().getOrDefault(key, List.of()),
                    mark == null ? null : mark.cliName(), m.measures(), viewed.get().uncertainty());
        }
        return Answer.jsonBytes(bytes.toByteArray(), Map.of());
    }

    Answer search(String q) throws IOException {
        BitSet keys = cache.current().source().search(q);
        ObjectNode o = Answer.JSON.createObjectNode();
        var arr = o.putArray("keys");
        keys.stream().forEach(arr::add);
        return Answer.json(200, o);
    }
}
