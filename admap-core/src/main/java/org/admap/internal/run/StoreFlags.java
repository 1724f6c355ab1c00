package org.admap.internal.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
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

/**
 * The flags of a diagnosis made on a run's columns, kept for the run store that is not built
 * yet ({@link RunDirectory#storeFlags()}): one JSON line per stored flag row (key, id, reason, value,
 * threshold, detail), exactly the rows {@link Run#diagnose} stores. When the deferred store
 * is built ({@link StoreHydration}), they go into its flags table and the bias audit, which
 * needs the texts, is added to diagnosis.json, so that report, serve and select show the
 * diagnosis as if it had been made on the store. The file is written with flags.csv and
 * diagnosis.json and consumed with the store's build, each at one commit point. It is gzipped
 * (a tenth of the JSON lines: its rows repeat their reasons and details); one an older admap
 * wrote as plain JSON lines is still read, told apart by gzip's magic bytes, which no JSON
 * line starts with.
 */
public final class StoreFlags {

    private static final ObjectMapper JSON = Json.MAPPER;

    private StoreFlags() {
    }

    /** The file of a run. */
    public static Path file(RunDirectory run) {
        return run.storeFlags();
    }

    /** Writes the store's rows of {@code d} to {@code out}. */
    public static void write(Diagnosis d, Path out) throws IOException {
        Map<Integer, String> ids = new HashMap<>();
        for (Flag f : d.flags()) {
            ids.put(f.key(), f.id());
        }
        // streamed, one object a line (a tree per row cost more than the rest of the file)
        try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(out), 1 << 16), StandardCharsets.UTF_8), 1 << 16);
             JsonGenerator g = JSON.getFactory().createGenerator(w)) {
            g.setRootValueSeparator(null);
            for (RunStore.StoredFlag r : DiagnoseJob.flagRows(d)) {
                g.writeStartObject();
                g.writeNumberField("key", r.key());
                g.writeStringField("id", ids.get(r.key()));
                g.writeStringField("reason", r.reason());
                writeNumber(g, "value", r.value());
                writeNumber(g, "threshold", r.threshold());
                g.writeStringField("detail", r.detail());
                g.writeEndObject();
                g.writeRaw('\n');
            }
        }
    }

    /**
     * The rows a diagnosis on the columns kept for the store, in key and reason order as the
     * store gives them, when the run has them and its diagnosis.json; else none. For the report
     * of a scanned run, which reads them in place of the store's flags table.
     */
    public static List<RunStore.StoredFlag> read(RunDirectory run) throws IOException {
        Path file = file(run);
        List<RunStore.StoredFlag> rows = new ArrayList<>();
        if (!Files.isRegularFile(file) || !Files.isRegularFile(run.diagnosisJson())) {
            return rows;
        }
        // streamed, one row at a time, from the bytes (not through a Reader: Jackson's byte parser
        // read the 60,902 rows of a 1M-instruction run in 0.2 s of a fresh JVM against 0.44 s):
        // a tree per line cost a report on a big run a tenth of a second more
        try (InputStream in = input(file)) {
            try (JsonParser p = JSON.getFactory().createParser(in)) {
                // the same doubles as the JDK's parsing (both round correctly), without its big-number
                // arithmetic on the long fractions of values and thresholds
                p.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    rows.add(row(p, file));
                }
            }
        }
        if (!inOrder(rows)) { // as written, they are
            rows.sort(java.util.Comparator.comparingInt(RunStore.StoredFlag::key)
                    .thenComparing(RunStore.StoredFlag::reason));
        }
        return rows;
    }

    /** The row whose object starts at the parser's current token, the parser left at its end. */
    private static RunStore.StoredFlag row(JsonParser p, Path file) throws IOException {
        long line = p.currentLocation().getLineNr();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException(file + ": line " + line + ": a flag row is a JSON object, got " + p.currentToken());
        }
        Integer key = null;
        String reason = null;
        double value = Double.NaN;
        double threshold = Double.NaN;
        String detail = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (field) {
                case "key" -> key = p.getValueAsInt();
                case "reason" -> reason = p.getValueAsString();
                case "value" -> value = number(p, t);
                case "threshold" -> threshold = number(p, t);
                case "detail" -> detail = t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                default -> p.skipChildren(); // the id, for the store's check ({@link #read(Path, AlignmentMap)})
            }
        }
        if (key == null || reason == null) {
            throw new IOException(file + ": line " + line + ": a flag row without its "
                    + (key == null ? "key" : "reason"));
        }
        return new RunStore.StoredFlag(key, reason, value, threshold, detail);
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

    /** The lines of {@code file}, gzipped or, as an older admap wrote them, plain. */
    private static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(input(file), StandardCharsets.UTF_8), 1 << 16);
    }

    /** The bytes of {@code file}'s lines: gunzipped, or as they are when an older admap wrote them plain. */
    private static InputStream input(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            return gzip ? new GZIPInputStream(in, 1 << 16) : in;
        } catch (IOException e) {
            in.close();
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static RunStore.StoredFlag row(JsonNode o) {
        return new RunStore.StoredFlag(o.get("key").asInt(), o.get("reason").asText(), number(o.get("value")),
                number(o.get("threshold")), o.get("detail").isNull() ? null : o.get("detail").asText());
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
        try (BufferedReader r = reader(file)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                JsonNode o = JSON.readTree(line);
                int key = o.get("key").asInt();
                if (!o.path("id").asText("").equals(ids.get(key))) {
                    return null;
                }
                rows.add(row(o));
            }
        }
        return rows;
    }

    /**
     * Carries a columns diagnosis into the store being built at {@code commit}: its flags
     * into {@code store}, the bias audit of the map's scores into diagnosis.json (staged);
     * the side file is deleted at the commit. When the rows do not fit the store's map, the
     * diagnosis files are deleted instead (the run is then as if never diagnosed, never
     * wrongly flagged). Does nothing without a side file.
     */
    public static void carryInto(RunDirectory run, RunStore store, AlignmentMap map, RunCommit commit)
            throws IOException {
        Path file = file(run);
        if (!Files.isRegularFile(file)) {
            return;
        }
        commit.delete(file);
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

    private static void writeNumber(JsonGenerator g, String key, double v) throws IOException {
        if (Double.isNaN(v)) {
            g.writeNullField(key);
        } else {
            g.writeNumberField(key, v);
        }
    }

    private static double number(JsonNode n) {
        return n == null || n.isNull() ? Double.NaN : n.asDouble();
    }
}
