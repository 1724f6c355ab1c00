package org.admap.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.admap.Progress;
import org.admap.ingest.group.GroupingOptions;
import org.admap.ingest.group.PromptGrouping;
import org.admap.internal.store.InputFileRecord;
import org.admap.internal.store.ItemWriter;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreSourceInfo;
import org.admap.model.Item;

/**
 * Reads input files into a run store in one streaming pass per file: rows are parsed,
 * laid out into items and appended to the store as they come, so memory holds one row and
 * the set of ids seen, whatever the file size. Rows that are grouped into instructions
 * (one-response-per-row layouts, and every layout under {@code --group-by-prompt}) go
 * through {@link PromptGrouping} first, which holds them until the last file is read.
 */
public final class Ingest {

    /** Run-info key: the named score sources of the input ({@code --score-field NAME=FIELD}), comma-separated. */
    public static final String INFO_SCORE_SOURCES = "ingest.score_sources";
    /** The kind of a named input source in {@code score_sources}. */
    public static final String SOURCE_KIND = "input-field";

    private Ingest() {
    }

    /**
     * Reads every file into the store.
     *
     * @throws IngestException on bad input, naming file, line and field
     */
    public static IngestReport run(List<Path> files, IngestOptions options, RunStore store,
                                   Progress.Factory progress) throws IOException {
        return run(files, null, options, store, progress);
    }

    /**
     * Reads every file, then the rows of a DuckDB query ({@link QueryReader}), into the store.
     * The query is recorded as an input whose path is {@code query: } and its text, so that the
     * run's inputs and {@code summary.json} say exactly what was read.
     *
     * @param query a DuckDB query returning the long layout's columns, or null
     * @throws IngestException on bad input, naming file, line and field (query, row and column)
     */
    public static IngestReport run(List<Path> files, String query, IngestOptions options, RunStore store,
                                   Progress.Factory progress) throws IOException {
        if (files.isEmpty() && query == null) {
            throw new IllegalArgumentException("no input files");
        }
        long totalBytes = 0;
        for (Path f : files) {
            FileFormat.detect(f); // fail on a missing or empty file before reading any other
            totalBytes += Files.size(f);
        }
        TableMix.check(files, options); // tables to join, read as if each were a dataset
        List<IngestReport.FileReport> reports = new ArrayList<>();
        BadRows bad = new BadRows();
        RowNotes notes = new RowNotes();
        long before = 0;
        GroupingOptions grouping = options.grouping();
        PromptGrouping groups = new PromptGrouping(grouping);
        boolean grouped = false;
        int inputs = files.size() + (query == null ? 0 : 1);
        try (ItemWriter writer = store.openItemWriter();
             Progress bar = progress.start(inputs == 1 && query == null ? "reading " + files.get(0).getFileName()
                     : inputs == 1 ? "reading the query" : query == null ? "reading " + inputs + " files"
                     : "reading " + inputs + " inputs", totalBytes, "B")) {
            for (GroupingOptions.ScoreField sf : grouping.scoreFields()) {
                writer.addSource(sf.source(), fingerprint(sf, options));
            }
            int inputId = 0;
            for (Path f : files) {
                writer.setInput(inputId);
                try (DatasetReader reader = DatasetReader.open(f, options)) {
                    grouped |= drain(reader, writer, groups, inputId, bar, before);
                    before += reader.totalBytes();
                    bar.advanceTo(before);
                    FileFormat.Detected format = reader.format();
                    String formatName = format.format().name().toLowerCase(Locale.ROOT) + (format.gzip() ? ".gz" : "");
                    store.addInput(new InputFileRecord(inputId, f.toString(), formatName, format.gzip(),
                            reader.layoutDescription(), Files.size(f), Files.getLastModifiedTime(f).toInstant(),
                            reader.rowsRead(), reader.badRows().count()));
                    reports.add(new IngestReport.FileReport(f.toString(), formatName, reader.layoutDescription(),
                            reader.rowsRead(), reader.badRows().count()));
                    bad.addAll(reader.badRows());
                    notes.addAll(reader.notes());
                }
                inputId++;
            }
            if (query != null) {
                writer.setInput(inputId);
                try (DatasetReader reader = QueryReader.open(query, options)) {
                    grouped |= drain(reader, writer, groups, inputId, bar, before);
                    String path = QueryReader.NAME + ": " + query.strip();
                    store.addInput(new InputFileRecord(inputId, path, "duckdb-query", false,
                            reader.layoutDescription(), 0, java.time.Instant.now(), reader.rowsRead(),
                            reader.badRows().count()));
                    reports.add(new IngestReport.FileReport(path, "duckdb-query", reader.layoutDescription(),
                            reader.rowsRead(), reader.badRows().count()));
                    bad.addAll(reader.badRows());
                }
            }
            if (grouped) {
                groups.forEach(g -> {
                    writer.setInput(g.input());
                    writer.add(g.item(), g.byId());
                });
            }
            bar.status(writer.itemCount() + " items");
            registerSources(grouping, options, writer.sourceCounts(), store, files);
            return new IngestReport(reports, writer.itemCount(), writer.responseCount(), writer.renamedIds(), bad,
                    grouped ? groups.report() : null, writer.sourceCounts(), notes);
        }
    }

    /** A named source's fingerprint: its field and the transform, so two runs reading alike compare alike. */
    static String fingerprint(GroupingOptions.ScoreField sf, IngestOptions options) {
        return SOURCE_KIND + ":" + sf.field() + (options.scoreTransform().isIdentity() ? ""
                : "|" + options.scoreTransform());
    }

    /**
     * Records each named source in the store's {@code score_sources}, refusing one that no
     * row gave a score: a misspelt field would otherwise be an empty source found only later.
     */
    private static void registerSources(GroupingOptions grouping, IngestOptions options, Map<String, Long> counts,
                                        RunStore store, List<Path> files) {
        if (grouping.scoreFields().isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (GroupingOptions.ScoreField sf : grouping.scoreFields()) {
            if (counts.getOrDefault(sf.source(), 0L) == 0) {
                throw IngestException.forFile(files.isEmpty() ? "the query" : files.size() == 1
                        ? files.get(0).toString()
                        : files.size() + " files",
                        "--score-field " + sf.source() + "=" + sf.field() + ": no response has a score in field '"
                        + sf.field() + "' (check the field's name)");
            }
            store.addScoreSource(new ScoreSourceInfo(sf.source(), SOURCE_KIND, fingerprint(sf, options), null, null,
                    null, "field=" + sf.field() + (options.scoreTransform().isIdentity() ? ""
                    : ", transform=" + options.scoreTransform()), null));
            names.add(sf.source());
        }
        store.putInfo(INFO_SCORE_SOURCES, String.join(",", names));
    }

    /** Reads every row of one input into the writer, or into the grouping when its rows are grouped. */
    private static boolean drain(DatasetReader reader, ItemWriter writer, PromptGrouping groups, int inputId,
                                 Progress bar, long before) throws IOException {
        long rowsSeen = 0;
        boolean toGroups = groups.groups(reader.groupsRows());
        for (Item item; (item = reader.next()) != null; ) {
            if (toGroups) {
                groups.add(item, reader.groupsRows(), inputId);
            } else {
                writer.add(item, false);
            }
            if (++rowsSeen % 4096 == 0) {
                bar.advanceTo(before + reader.bytesRead());
                bar.status(writer.itemCount() + " items");
            }
        }
        return toGroups;
    }
}
