package org.admap.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.admap.internal.json.Json;
import org.admap.internal.store.AtomicFile;

/** Reading and atomically writing the small JSON files of a run (summary, diagnosis, provenance). */
public final class JsonFiles {

    /** Pretty-printed, for people as much as for programs. */
    public static final ObjectMapper MAPPER = Json.PRETTY;

    private JsonFiles() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Writes JSON to {@code file} atomically, with a final newline. */
    public static void write(Path file, JsonNode json) throws IOException {
        try (AtomicFile out = new AtomicFile(file)) {
            MAPPER.writeValue(new NonClosing(out.stream()), json);
            out.stream().write('\n');
            out.commit();
        }
    }

    public static JsonNode read(Path file) throws IOException {
        return MAPPER.readTree(file.toFile());
    }

    /** A [low, high] pair, with nulls for NaN (JSON has no NaN). */
    public static ArrayNode range(double[] range) {
        ArrayNode a = MAPPER.createArrayNode();
        for (double v : range) {
            if (Double.isNaN(v)) {
                a.addNull();
            } else {
                a.add(v);
            }
        }
        return a;
    }

    /** Jackson closes the stream it writes to; the atomic file must close it itself. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
