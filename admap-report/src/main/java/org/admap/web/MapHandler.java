package org.admap.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.admap.diagnose.Reason;
import org.admap.internal.store.ItemDetails;
import org.admap.model.MapPoint;

/** The map ({@code GET /api/run}) and the flagged instructions page by page ({@code GET /api/flags}). */
final class MapHandler {

    private static final int MAX_PAGE_SIZE = 500;

    private final MapCache cache;

    MapHandler(MapCache cache) {
        this.cache = cache;
    }

    /** The map's JSON, gzipped when the client takes it so. */
    Answer map(String acceptEncoding) throws IOException {
        ServedMap m = cache.current();
        if (acceptEncoding != null && acceptEncoding.contains("gzip")) {
            return Answer.jsonBytes(m.jsonGzip(), Map.of("Content-Encoding", "gzip"));
        }
        return Answer.jsonBytes(m.json(), Map.of());
    }

    Answer flags(Map<String, String> query) throws IOException {
        int page = Requests.intParam(query, "page", 0, 0, Integer.MAX_VALUE);
        int size = Requests.intParam(query, "size", 25, 1, MAX_PAGE_SIZE);
        String reason = query.getOrDefault("reason", "");
        if (!reason.isEmpty() && Arrays.stream(Reason.values()).noneMatch(r -> r.cliName().equals(reason))) {
            throw new BadRequest(400, "parameter 'reason' must be empty (every flag) or one of "
                    + Arrays.stream(Reason.values()).map(Reason::cliName).toList() + ", got '" + reason + "'");
        }
        ServedMap m = cache.current();
        List<Integer> keys = reason.isEmpty() ? m.flagKeys() : m.flagKeys().stream()
                .filter(k -> m.flags().get(k).stream().anyMatch(f -> f.reason().equals(reason))).toList();
        ObjectNode o = Answer.JSON.createObjectNode();
        o.put("total", keys.size());
        o.put("page", page);
        o.put("size", size);
        var list = o.putArray("flags");
        long first = (long) page * size; // a page past the end is empty, never an overflow
        for (long i = first; i < Math.min(keys.size(), first + size); i++) {
            int key = keys.get((int) i);
            ObjectNode f = list.addObject();
            f.put("key", key);
            MapPoint p = m.point(key);
            f.put("id", p != null ? p.id() : "");
            f.put("text", m.excerpts().getOrDefault(key, ""));
            var rows = f.putArray("rows");
            for (ItemDetails.ViewerFlag r : m.flags().get(key)) {
                ObjectNode row = rows.addObject();
                row.put("reason", r.reason());
                r.fields().forEach((name, v) -> row.putPOJO(name, v));
            }
        }
        return Answer.json(200, o);
    }
}
