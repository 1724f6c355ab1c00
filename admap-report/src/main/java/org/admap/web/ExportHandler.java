package org.admap.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.admap.Progress;
import org.admap.internal.store.RunDirectory;
import org.admap.run.Run;
import org.admap.select.ExportFormat;
import org.admap.select.PairBuilder;
import org.admap.select.PairMode;
import org.admap.select.SelectionExport;

/**
 * Exports a selection as DPO pairs into {@code DIR/exports/} ({@code POST /api/export
 * {"keys": [...], "format": "trl", "pairs": "all", "by": "labels"}}) and hands the files out
 * ({@code GET /exports/NAME}, from that folder only). An export of a scanned run reads its
 * columns and inputs until a review builds its store, and the store from then on.
 */
final class ExportHandler {

    private static final Pattern EXPORT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
    private static final int MAX_DESCRIPTION = 10_000;

    private final RunDirectory run;
    private final MapCache cache;
    private final StoreConnections store;

    ExportHandler(RunDirectory run, MapCache cache, StoreConnections store) {
        this.run = run;
        this.cache = cache;
        this.store = store;
    }

    Answer export(JsonNode body) throws IOException {
        Requests.checkFields(body, "keys", "format", "pairs", "by", "description");
        ExportFormat format = ExportFormat.parse(Requests.textField(body, "format", "trl"));
        PairMode mode = PairMode.parse(Requests.textField(body, "pairs", "all"));
        PairBuilder.By by = switch (Requests.textField(body, "by", "labels").toLowerCase(Locale.ROOT)) {
            case "labels", "label" -> PairBuilder.By.LABELS;
            case "scores", "score" -> PairBuilder.By.SCORES;
            default -> throw new BadRequest(400, "by must be labels or scores");
        };
        JsonNode keyList = body.path("keys");
        if (!keyList.isArray() && !keyList.isMissingNode()) {
            throw new BadRequest(400, "'keys' must be an array of item keys, got "
                    + Requests.abbreviate(keyList.toString()));
        }
        ServedMap m = cache.current();
        BitSet keys = new BitSet();
        for (JsonNode k : keyList) {
            int key = Requests.keyValue(k, "keys");
            if (key >= m.items()) {
                throw new BadRequest(400, "no instruction with key " + key + " (this run has keys 0.."
                        + (m.items() - 1) + "): nothing exported");
            }
            keys.set(key);
        }
        if (keys.isEmpty()) {
            throw new BadRequest(400, "nothing selected: select points on the map first");
        }
        String description = Requests.textField(body, "description", "selection in admap serve");
        if (description.length() > MAX_DESCRIPTION) {
            throw new BadRequest(400, "'description' is longer than " + MAX_DESCRIPTION + " characters");
        }
        Files.createDirectories(run.exportsDir());
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String ext = switch (format) {
            case LLAMA_FACTORY -> ".llama-factory.json";
            case SHAREGPT -> ".sharegpt.json";
            case PARQUET -> ".parquet";
            default -> "." + format.cliName() + ".jsonl";
        };
        Path out = run.exportsDir().resolve("selection-" + stamp + "-" + keys.cardinality() + ext);
        for (int i = 2; Files.exists(out); i++) {
            out = run.exportsDir().resolve("selection-" + stamp + "-" + keys.cardinality() + "-" + i + ext);
        }
        StringWriter notes = new StringWriter();
        Path file = out;
        SelectionExport.Options options = new SelectionExport.Options(mode, by, format);
        PrintWriter notesOut = new PrintWriter(notes, true);
        // a scanned run without a store is exported from its columns: no reviews to obey yet, and no store to build
        SelectionExport.Result r = Run.hasColumns(run.dir())
                ? Run.openDeferred(run.dir(), Progress.Factory.NONE).exportKeys(keys, description + " (admap serve)",
                        options, file, notesOut)
                : store.withStoreClosed(() -> SelectionExport.exportKeys(run, keys, description + " (admap serve)",
                        options, file, notesOut));
        ObjectNode o = Answer.JSON.createObjectNode();
        o.put("file", out.getFileName().toString());
        o.put("path", out.toAbsolutePath().normalize().toString());
        o.put("download", "/exports/" + out.getFileName());
        o.put("provenance", "/exports/" + SelectionExport.provenancePath(out).getFileName());
        o.put("format", format.cliName());
        o.put("instructions", r.instructions());
        o.put("records", r.records());
        o.put("withoutPairs", r.withoutPairs());
        o.put("skippedDropped", r.skippedDropped());
        o.put("notes", notes.toString().strip());
        return Answer.json(200, o);
    }

    Answer download(String name) throws IOException {
        if (!EXPORT_NAME.matcher(name).matches()) {
            throw new BadRequest(404, "no such export");
        }
        Path file = run.exportsDir().resolve(name).normalize();
        if (!file.getParent().equals(run.exportsDir().normalize()) || !Files.isRegularFile(file)) {
            throw new BadRequest(404, "no such export: " + name);
        }
        String type = name.endsWith(".parquet") ? "application/vnd.apache.parquet" : Answer.JSON_TYPE;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Disposition", "attachment; filename=\"" + name + "\"");
        return new Answer(200, type, Files.readAllBytes(file), headers);
    }
}
