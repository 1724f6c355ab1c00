package org.admap.internal.columns;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.admap.model.MapPoint;

/**
 * Columns files as an older admap wrote them, for the tests that prove a run made by one
 * still works: the writer of versions 1 and 2 (fixed-width little-endian arrays, one section
 * after the other, each at a multiple of 8), as it was before version 3 packed the columns,
 * fed from the columns of today's {@code map}. Shared with the CLI's tests (admap-core's
 * test jar).
 */
public final class OlderColumns {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OlderColumns() {
    }

    /**
     * Rewrites the columns of {@code runDir} in place as {@code version} (1: without the
     * models' and the references' columns, nor the models' names in the header; 2: with them).
     */
    public static void rewrite(Path runDir, int version) throws IOException {
        Path file = runDir.resolve(RunColumns.FILE);
        byte[] bytes;
        try (RunColumns columns = RunColumns.open(runDir)) {
            bytes = write(columns, version);
        }
        Files.write(file, bytes);
    }

    /** The version of the columns file of {@code runDir}. */
    public static int version(Path runDir) throws IOException {
        byte[] head = new byte[16];
        try (var in = Files.newInputStream(runDir.resolve(RunColumns.FILE))) {
            if (in.readNBytes(head, 0, 16) != 16) {
                throw new IOException("a columns file of fewer than 16 bytes");
            }
        }
        return ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
    }

    /** The bytes of {@code c} as an admap of columns {@code version} wrote them. */
    static byte[] write(RunColumns c, int version) throws IOException {
        if (version != RunColumns.VERSION_WITHOUT_MODELS && version != RunColumns.VERSION_WITH_MODELS) {
            throw new IllegalArgumentException("versions 1 and 2 had fixed-width columns, not " + version);
        }
        boolean models = version == RunColumns.VERSION_WITH_MODELS;
        ObjectNode header = JSON.valueToTree(c.header());
        if (!models) {
            header.remove("models");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunColumns.Out out = new RunColumns.Out(bytes);
        out.bytes("ADMAPCOL".getBytes(StandardCharsets.US_ASCII));
        byte[] json = JSON.writeValueAsBytes(header);
        out.int32(version);
        out.int32(json.length);
        out.bytes(json);
        out.pad();
        int items = c.items();
        int responses = c.responses();
        int points = c.pointCount();
        out.int64(items);
        out.int64(responses);
        out.int64(points);
        for (int k = 0; k < items; k++) {
            out.int32(c.responseEnd(k));
        }
        out.pad();
        for (int r = 0; r < responses; r++) {
            out.int64(Double.doubleToRawLongBits(c.score(r)));
        }
        for (int r = 0; r < responses; r++) {
            out.int64(Double.doubleToRawLongBits(c.label(r)));
        }
        for (int r = 0; r < responses; r++) {
            out.int64(c.textOffset(r));
        }
        for (int r = 0; r < responses; r++) {
            out.int32(c.textLength(r));
        }
        out.pad();
        for (int r = 0; r < responses; r++) {
            out.int64(c.textFilter(r));
        }
        for (int k = 0; k < items; k++) {
            out.int32(c.file(k));
        }
        out.pad();
        for (int k = 0; k < items; k++) {
            out.int64(c.promptOffset(k));
        }
        for (int k = 0; k < items; k++) {
            out.int64(c.inputOffset(k));
        }
        for (int k = 0; k < items; k++) {
            out.int64(c.promptHash(k));
        }
        for (int k = 0; k < items; k++) {
            out.int64(c.normalisedHash(k));
        }
        int end = 0;
        for (int k = 0; k < items; k++) {
            end += c.id(k).getBytes(StandardCharsets.UTF_8).length;
            out.int32(end);
        }
        out.pad();
        for (int k = 0; k < items; k++) {
            out.bytes(c.id(k).getBytes(StandardCharsets.UTF_8));
        }
        out.pad();
        List<MapPoint> pts = c.points(false);
        for (MapPoint p : pts) {
            out.int32(p.key());
        }
        out.pad();
        for (MapPoint p : pts) {
            out.int32(p.n());
        }
        out.pad();
        for (MapPoint p : pts) {
            out.int64(Double.doubleToRawLongBits(p.mean()));
        }
        for (MapPoint p : pts) {
            out.int64(Double.doubleToRawLongBits(p.variance()));
        }
        for (MapPoint p : pts) {
            out.int64(Double.doubleToRawLongBits(p.std()));
        }
        for (MapPoint p : pts) {
            out.int64(Double.doubleToRawLongBits(p.correlation()));
        }
        for (MapPoint p : pts) {
            out.int8(p.region().ordinal());
        }
        out.pad();
        if (models) {
            Map<String, Integer> index = new HashMap<>();
            for (String m : c.header().models()) {
                index.put(m, index.size());
            }
            for (int r = 0; r < responses; r++) {
                String m = c.model(r);
                out.int32(m == null ? -1 : index.get(m));
            }
            out.pad();
            for (int k = 0; k < items; k++) {
                out.int64(c.referenceOffset(k));
            }
        }
        out.flush();
        return bytes.toByteArray();
    }
}
