package org.admap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The side file of a diagnosis on a run's columns ({@code .flags-for-store.bin}) read and
 * written by its documented layout (StoreFlags' Javadoc), independently of admap's own code, for
 * the tests that alter it or turn it into the JSON lines an older admap wrote.
 */
final class SideFlags {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One row as the file holds it. */
    record Row(int key, String id, String reason, double value, double threshold, String detail) {

        Row withId(String other) {
            return new Row(key, other, reason, value, threshold, detail);
        }
    }

    private SideFlags() {
    }

    static List<Row> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            byte[] magic = in.readNBytes(8);
            if (!new String(magic, StandardCharsets.US_ASCII).equals("ADMAPFLG") || in.readInt() != 1) {
                throw new IOException(file + " is not a version 1 flags file");
            }
            int n = in.readInt();
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rows.add(new Row(in.readInt(), text(in), text(in), in.readDouble(), in.readDouble(), text(in)));
            }
            if (in.read() >= 0) {
                throw new IOException(file + " has bytes after its rows");
            }
            return rows;
        }
    }

    static void write(Path file, List<Row> rows) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.write("ADMAPFLG".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(1);
            out.writeInt(rows.size());
            for (Row r : rows) {
                out.writeInt(r.key());
                text(out, r.id());
                text(out, r.reason());
                out.writeDouble(r.value());
                out.writeDouble(r.threshold());
                text(out, r.detail());
            }
        }
    }

    /** The rows as the JSON lines an older admap kept (null for a missing number or detail). */
    static String jsonLines(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        for (Row r : rows) {
            ObjectNode o = JSON.createObjectNode();
            o.put("key", r.key());
            o.put("id", r.id());
            o.put("reason", r.reason());
            if (Double.isNaN(r.value())) {
                o.putNull("value");
            } else {
                o.put("value", r.value());
            }
            if (Double.isNaN(r.threshold())) {
                o.putNull("threshold");
            } else {
                o.put("threshold", r.threshold());
            }
            o.put("detail", r.detail());
            b.append(o).append('\n');
        }
        return b.toString();
    }

    private static String text(DataInputStream in) throws IOException {
        int n = in.readInt();
        return n < 0 ? null : new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
    }
}
