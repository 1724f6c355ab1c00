package org.admap.web;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.admap.internal.store.ItemDetails;
import org.admap.internal.store.RunDirectory;
import org.admap.model.MapPoint;
import org.admap.report.RunView;
import org.admap.report.ViewData;

/**
 * The map as the viewer serves it, and what is derived from it, built once per map and
 * diagnosis: the map's JSON (plain and gzipped), each key's point, the flags and their
 * excerpts, and the source its instructions are read from.
 *
 * @param version    which map and diagnosis this is
 * @param pointByKey the map's point of each item key, null for an unmapped item
 */
record ServedMap(String version, byte[] json, byte[] jsonGzip, MapPoint[] pointByKey,
                 Map<Integer, List<ItemDetails.ViewerFlag>> flags, List<Integer> flagKeys,
                 Map<Integer, String> excerpts, ViewData.Measures measures, ViewerSource source) {

    /** Characters of a flagged prompt shown in the list of flags. */
    private static final int EXCERPT_CHARS = 200;

    /** Builds what the viewer serves of {@code view}, whose instructions {@code source} reads. */
    static ServedMap build(RunDirectory run, RunView view, ViewData.Options options, String version,
                           ViewerSource source) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        Writer w = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
        try (JsonGenerator g = ViewData.configure(Answer.JSON.getFactory().createGenerator(w))) {
            new ViewData(run, view, options).write(g);
        }
        byte[] json = bytes.toByteArray();
        ByteArrayOutputStream zipped = new ByteArrayOutputStream(json.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(json);
        }
        MapPoint[] pointByKey = new MapPoint[(int) view.data().itemCount()];
        for (MapPoint p : view.points()) {
            pointByKey[p.key()] = p;
        }
        Map<Integer, List<ItemDetails.ViewerFlag>> byKey = new TreeMap<>();
        for (ItemDetails.ViewerFlag f : view.data().flags()) {
            byKey.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f);
        }
        BitSet flagged = new BitSet();
        byKey.keySet().forEach(flagged::set);
        Map<Integer, String> excerpts = new HashMap<>();
        view.data().forEachExcerpt(flagged, EXCERPT_CHARS, (key, id, text) -> excerpts.put(key, text));
        return new ServedMap(version, json, zipped.toByteArray(), pointByKey, byKey, List.copyOf(byKey.keySet()),
                excerpts, ViewData.measures(run, view), source);
    }

    MapPoint point(int key) {
        return key >= 0 && key < pointByKey.length ? pointByKey[key] : null;
    }

    int items() {
        return pointByKey.length;
    }
}
