package org.admap.internal.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.admap.diagnose.BiasAudit;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.diagnose.Diagnosis;
import org.admap.diagnose.Flag;
import org.admap.internal.diagnose.DiagnoseJob;
import org.admap.internal.json.Json;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.map.AlignmentMap;
import org.admap.model.MapPoint;
import org.admap.run.Run;
import org.admap.run.RunException;

/**
 * The flags of a diagnosis made on a run's columns, kept for the run store that is not built
 * yet ({@link RunDirectory#storeFlags()}): per stored flag row its key, id, reason, value,
 * threshold and detail, exactly the rows {@link Run#diagnose} stores. When the deferred store
 * is built ({@link StoreHydration}), they go into its flags table and the bias audit, which
 * needs the texts, is added to diagnosis.json, so that report, serve and select show the
 * diagnosis as if it had been made on the store; until then a report of the columns reads
 * them. The file is written with flags.csv and diagnosis.json and consumed with the store's
 * build, each at one commit point.
 *
 * <p>Binary (see {@link #write}): a report of a million-instruction run read the 60,902 rows of
 * the gzipped JSON lines this file used to be in half a second of its fresh JVM, parsing the
 * doubles back. A file an older admap wrote ({@link RunDirectory#storeFlagsJsonLines()}: JSON
 * lines, gzipped, or plain from an older one still, told apart by gzip's magic bytes) is still
 * read and carried.
 */
public final class StoreFlags {

    private static final ObjectMapper JSON = Json.MAPPER;

    private StoreFlags() {
    }

    /** The file of a run. */
    public static Path file(RunDirectory run) {
        return run.storeFlags();
    }

    private static final byte[] MAGIC = "ADMAPFLG".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    /**
     * Writes the store's rows of {@code d} to {@code out}: the magic {@code ADMAPFLG}, the int32
     * version (1) and the int32 count of rows, then per row its int32 key, its id, reason, the
     * float64 value and threshold (NaN for none) and its detail, each text as an int32 length
     * (-1 for none) and its UTF-8 bytes; big-endian ({@link DataOutputStream}).
     */
    public static void write(Diagnosis d, Path out) throws IOException {
        Map<Integer, String> ids = new HashMap<>();
        for (Flag f : d.flags()) {
            ids.put(f.key(), f.id());
        }
        List<RunStore.StoredFlag> rows = DiagnoseJob.flagRows(d);
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out), 1 << 16))) {
            o.write(MAGIC);
            o.writeInt(VERSION);
            o.writeInt(rows.size());
            for (RunStore.StoredFlag r : rows) {
                o.writeInt(r.key());
                text(o, ids.get(r.key()));
                text(o, r.reason());
                o.writeDouble(r.value());
                o.writeDouble(r.threshold());
                text(o, r.detail());
            }
        }
    }

    private static void text(DataOutputStream o, String s) throws IOException {
        if (s == null) {
            o.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        o.writeInt(b.length);
        o.write(b);
    }

    /** A row as the file holds it: with the id its key had in the scan. */
    private record Row(String id, RunStore.StoredFlag flag) {
    }

    /**
     * The rows a diagnosis on the columns kept for the store, in key and reason order as the
     * store gives them, when the run has them and its diagnosis.json; else none. For the report
     * of a scanned run, which reads them in place of the store's flags table.
     */
    public static List<RunStore.StoredFlag> read(RunDirectory run) throws IOException {
        Path file = existing(run);
        List<RunStore.StoredFlag> rows = new ArrayList<>();
        if (file == null || !Files.isRegularFile(run.diagnosisJson())) {
            return rows;
        }
        for (Row r : rows(file)) {
            rows.add(r.flag());
        }
        if (!inOrder(rows)) { // as written, they are
            rows.sort(java.util.Comparator.comparingInt(RunStore.StoredFlag::key)
                    .thenComparing(RunStore.StoredFlag::reason));
        }
        return rows;
    }

    /** The run's side file: this admap's, or else one an older admap wrote; null when it has none. */
    private static Path existing(RunDirectory run) {
        return Files.isRegularFile(run.storeFlags()) ? run.storeFlags()
                : Files.isRegularFile(run.storeFlagsJsonLines()) ? run.storeFlagsJsonLines() : null;
    }

    /** The rows of a side file, binary or JSON lines (by its first bytes). */
    private static List<Row> rows(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            in.mark(MAGIC.length);
            byte[] head = in.readNBytes(MAGIC.length);
            in.reset();
            return Arrays.equals(head, MAGIC) ? binaryRows(new DataInputStream(in), file) : jsonRows(in, file);
        }
    }

    /**
     * The rows of the binary file. A file cut short or damaged (it is written whole or not at
     * all, so it was damaged since) is a {@link RunException}: one line that says to diagnose again.
     */
    private static List<Row> binaryRows(DataInputStream in, Path file) throws IOException {
        long size = Files.size(file);
        try {
            in.skipNBytes(MAGIC.length);
            int version = in.readInt();
            if (version != VERSION) {
                throw damaged(file, "flags of version " + version + ", this admap reads " + VERSION);
            }
            int count = in.readInt();
            if (count < 0 || count > size) {
                throw damaged(file, "a count of " + count + " rows");
            }
            List<Row> rows = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int key = in.readInt();
                String id = text(in, file, size);
                String reason = text(in, file, size);
                double value = in.readDouble();
                double threshold = in.readDouble();
                String detail = text(in, file, size);
                if (reason == null) {
                    throw damaged(file, "row " + (i + 1) + " has no reason");
                }
                rows.add(new Row(id, new RunStore.StoredFlag(key, reason, value, threshold, detail)));
            }
            if (in.read() >= 0) {
                throw damaged(file, "bytes after its " + count + " rows");
            }
            return rows;
        } catch (EOFException e) {
            throw damaged(file, "cut short");
        }
    }

    private static String text(DataInputStream in, Path file, long size) throws IOException {
        int n = in.readInt();
        if (n < -1 || n > size) {
            throw damaged(file, "a text of " + n + " bytes");
        }
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b); // an EOFException when the file ends first
        return new String(b, StandardCharsets.UTF_8);
    }

    private static RunException damaged(Path file, String what) {
        return new RunException(file + " is damaged (" + what + "): diagnose the run again ('admap diagnose')");
    }

    /** The rows of an older admap's JSON lines, gzipped or plain (gzip's magic bytes tell). */
    private static List<Row> jsonRows(InputStream raw, Path file) throws IOException {
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        List<Row> rows = new ArrayList<>();
        InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
        // streamed, one row at a time: a tree per line cost a report on a big run a tenth of a second
        try (JsonParser p = JSON.getFactory().createParser(in)) {
            // the same doubles as the JDK's parsing (both round correctly), without its big-number
            // arithmetic on the long fractions of values and thresholds
            p.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                rows.add(row(p, file));
            }
        }
        return rows;
    }

    /** The row whose object starts at the parser's current token, the parser left at its end. */
    private static Row row(JsonParser p, Path file) throws IOException {
        long line = p.currentLocation().getLineNr();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException(file + ": line " + line + ": a flag row is a JSON object, got " + p.currentToken());
        }
        Integer key = null;
        String id = null;
        String reason = null;
        double value = Double.NaN;
        double threshold = Double.NaN;
        String detail = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (field) {
                case "key" -> key = p.getValueAsInt();
                case "id" -> id = t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                case "reason" -> reason = p.getValueAsString();
                case "value" -> value = number(p, t);
                case "threshold" -> threshold = number(p, t);
                case "detail" -> detail = t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                default -> p.skipChildren();
            }
        }
        if (key == null || reason == null) {
            throw new IOException(file + ": line " + line + ": a flag row without its "
                    + (key == null ? "key" : "reason"));
        }
        return new Row(id, new RunStore.StoredFlag(key, reason, value, threshold, detail));
    }

    private static double number(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_NULL ? Double.NaN : p.getValueAsDouble();
    }

    /** Whether the rows are in key and reason order. */
    private static boolean inOrder(List<RunStore.StoredFlag> rows) {
        for (int i = 1; i < rows.size(); i++) {
            RunStore.StoredFlag a = rows.get(i - 1);
            RunStore.StoredFlag b = rows.get(i);
            if (a.key() > b.key() || a.key() == b.key() && a.reason().compareTo(b.reason()) > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the rows of {@code file}, checking each against the map of the store just built:
     * the same key holds the same id. Null when one does not (the store's keys are not the
     * scan's: the rows would flag the wrong instructions).
     */
    public static List<RunStore.StoredFlag> read(Path file, AlignmentMap map) throws IOException {
        Map<Integer, String> ids = new HashMap<>();
        for (MapPoint p : map.points()) {
            ids.put(p.key(), p.id());
        }
        List<RunStore.StoredFlag> rows = new ArrayList<>();
        for (Row r : rows(file)) {
            if (!java.util.Objects.equals(r.id() == null ? "" : r.id(), ids.get(r.flag().key()))) {
                return null;
            }
            rows.add(r.flag());
        }
        return rows;
    }

    /**
     * Carries a columns diagnosis into the store being built at {@code commit}: its flags
     * into {@code store}, the bias audit of the map's scores into diagnosis.json (staged);
     * the side file is deleted at the commit (an older admap's too). When the rows do not fit
     * the store's map, the diagnosis files are deleted instead (the run is then as if never
     * diagnosed, never wrongly flagged). Does nothing without a side file.
     */
    public static void carryInto(RunDirectory run, RunStore store, AlignmentMap map, RunCommit commit)
            throws IOException {
        Path file = existing(run);
        if (file == null) {
            return;
        }
        commit.delete(run.storeFlags());
        commit.delete(run.storeFlagsJsonLines());
        List<RunStore.StoredFlag> rows = Files.isRegularFile(run.diagnosisJson()) ? read(file, map) : null;
        if (rows == null) {
            commit.delete(run.flagsCsv());
            commit.delete(run.diagnosisJson());
            return;
        }
        store.replaceFlags(rows);
        JsonNode diagnosis = JsonFiles.read(run.diagnosisJson());
        if (diagnosis instanceof ObjectNode root) {
            // the columns diagnosis takes no scorers: the audit is of the map's scores alone
            List<BiasAudit> bias = BiasAudit.ofDiagnosis(store, map.provenance().scoreSource(),
                    DiagnoseOptions.paper(false));
            DiagnosisJson.putBias(root, bias);
            JsonFiles.write(commit.stage(run.diagnosisJson()), root);
        }
    }

}
