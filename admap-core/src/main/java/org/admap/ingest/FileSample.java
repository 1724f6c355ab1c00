package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.admap.model.Item;

/**
 * The first rows of one input as {@code admap map} would read them, for {@code admap
 * inspect}: the layout chosen and the fields that decided it, the items, and what a full read
 * would complain about (a bad row, a named field the rows lack). Reads at most a bounded
 * number of rows and never fails on bad input: the problem is part of the sample.
 *
 * @param name      the file as given, or {@code query}
 * @param format    the file format ({@code jsonl.gz}, {@code duckdb-query}), or null when unreadable
 * @param layout    the layout read in, or null when none was recognised
 * @param layoutDescription the layout in words, as the summary gives it
 * @param groupsRows whether each row is one response, merged with the other rows of its id
 * @param reason    why this layout: the option that forced it or the fields of the first row that decided it
 * @param fields    the first row's fields
 * @param firstRow  the first row as parsed, or null
 * @param items     the items of the rows read
 * @param rowsRead  rows read, good and bad
 * @param complete  whether the whole input was read (else it has more rows than the bound)
 * @param badRows   rows skipped (with {@code --skip-bad-rows})
 * @param missingFields what {@link FieldGuard} says of the named fields, over the rows read
 * @param error     the error a map would stop with, or null
 */
public record FileSample(String name, String format, Layout layout, String layoutDescription, boolean groupsRows,
                         String reason,
                         List<String> fields, JsonNode firstRow, List<Item> items, long rowsRead, boolean complete,
                         BadRows badRows, List<String> missingFields, String error) {

    /** Reads at most {@code maxRows} rows of a file. */
    public static FileSample read(Path file, IngestOptions options, long maxRows) throws IOException {
        String name = file.toString();
        JsonNode first = null;
        List<String> fields = new ArrayList<>();
        String format = null;
        try {
            FileFormat.Detected detected = FileFormat.detect(file);
            format = detected.format().name().toLowerCase(Locale.ROOT) + (detected.gzip() ? ".gz" : "");
            try (RecordReader records = FileDatasetReader.recordReader(detected)) {
                for (int tries = 0; first == null && tries < 100; tries++) {
                    try {
                        SourceRecord r = records.next();
                        if (r == null) {
                            break;
                        }
                        first = r.node();
                    } catch (IngestException bad) {
                        // a malformed row before the first good one: the reader below says so
                    }
                }
            }
        } catch (IngestException e) {
            return new FileSample(name, format, null, null, false, null, fields, null, List.of(), 0, false,
                    new BadRows(),
                    List.of(), e.getMessage());
        }
        if (first != null) {
            first.fieldNames().forEachRemaining(fields::add);
        }
        List<Item> items = new ArrayList<>();
        try (DatasetReader reader = DatasetReader.open(file, options)) {
            FileDatasetReader r = (FileDatasetReader) reader;
            String error = null;
            boolean complete = false;
            try {
                while (reader.rowsRead() < maxRows) {
                    Item item = reader.next();
                    if (item == null) {
                        complete = true;
                        break;
                    }
                    items.add(item);
                }
            } catch (IngestException e) {
                error = e.getMessage();
                complete = e.location() == null && reader.rowsRead() < maxRows; // the end-of-file field check
            }
            List<String> missing = new ArrayList<>();
            for (FieldGuard.Missing m : r.fieldGuard().missing()) {
                missing.add(r.fieldGuard().message(m, complete ? "any of its " + reader.rowsRead() + " rows"
                        : "the first " + reader.rowsRead() + " rows read"));
            }
            if (error != null && !missing.isEmpty() && missing.contains(error.substring(error.indexOf(": ") + 2))) {
                error = null; // the field check's error: said once, among the missing fields
            }
            return new FileSample(name, format, reader.layout(), reader.layoutDescription(), reader.groupsRows(),
                    reason(first, options, reader.layout()), fields, first, items, reader.rowsRead(), complete,
                    reader.badRows(), missing, error);
        } catch (IngestException e) {
            return new FileSample(name, format, null, null, false, null, fields, first, items, 0, false, new BadRows(),
                    List.of(), e.getMessage());
        }
    }

    /** Reads at most {@code maxRows} rows of a DuckDB query ({@link QueryReader}). */
    public static FileSample readQuery(String sql, IngestOptions options, long maxRows) throws IOException {
        List<Item> items = new ArrayList<>();
        try (QueryReader reader = QueryReader.open(sql, options)) {
            String error = null;
            boolean complete = false;
            try {
                while (reader.rowsRead() < maxRows) {
                    Item item = reader.next();
                    if (item == null) {
                        complete = true;
                        break;
                    }
                    items.add(item);
                }
            } catch (IngestException e) {
                error = e.getMessage();
            }
            List<String> columns = new ArrayList<>(reader.columns().values());
            return new FileSample(QueryReader.NAME, "duckdb-query", Layout.LONG, reader.layoutDescription(), true,
                    "a query's rows are read one response per row; its columns name the fields", columns, null,
                    items, reader.rowsRead(), complete, reader.badRows(), List.of(), error);
        } catch (IngestException e) {
            return new FileSample(QueryReader.NAME, "duckdb-query", null, null, false, null, List.of(), null,
                    List.of(), 0,
                    false, new BadRows(), List.of(), e.getMessage());
        }
    }

    /** Why the first row was read in this layout: the option that forced it, or the fields that decided it. */
    static String reason(JsonNode first, IngestOptions options, Layout layout) {
        IngestOptions o = options.effective();
        if (options.layout() != Layout.AUTO) {
            return "forced by --layout " + options.layout().cliName();
        }
        if (layout == Layout.LONG && options.namesLongFields()) {
            return "--prompt-field/--response-field name the fields of a one-response-per-row layout";
        }
        if (options.preset() != null) {
            return "--preset " + options.preset().cliName();
        }
        List<String> decisive = switch (layout) {
            case MULTI -> List.of("responses");
            case ULTRAFEEDBACK -> List.of("completions");
            case VLFEEDBACK -> List.of("completions", "img_path", "image");
            case PAIRWISE -> List.of("chosen", "rejected");
            case LONG -> first != null && first.has("output_2") && first.has("preference")
                    ? List.of("instruction", "output_2", "preference") : List.of("prompt", "response");
            default -> List.of();
        };
        List<String> present = decisive.stream().filter(f -> first != null && first.has(f)).toList();
        if (present.isEmpty()) {
            return "recognised from the first row's fields";
        }
        String which = "the first row has " + String.join(" and ", present.stream().map(f -> "'" + f + "'").toList());
        if (layout == Layout.LONG && present.contains("output_2") && o.preset() == null) {
            return which + ": an AlpacaEval annotation file (preset alpaca-eval)";
        }
        return which;
    }
}
