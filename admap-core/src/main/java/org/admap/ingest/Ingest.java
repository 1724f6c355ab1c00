package org.admap.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.admap.Progress;
import org.admap.model.Item;
import org.admap.store.InputFileRecord;
import org.admap.store.ItemWriter;
import org.admap.store.RunStore;

/**
 * Reads input files into a run store in one streaming pass per file: rows are parsed,
 * laid out into items and appended to the store as they come, so memory holds one row and
 * the set of ids seen, whatever the file size.
 */
public final class Ingest {

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
        long before = 0;
        int inputs = files.size() + (query == null ? 0 : 1);
        try (ItemWriter writer = store.openItemWriter();
             Progress bar = progress.start(inputs == 1 && query == null ? "reading " + files.get(0).getFileName()
                     : inputs == 1 ? "reading the query" : query == null ? "reading " + inputs + " files"
                     : "reading " + inputs + " inputs", totalBytes, "B")) {
            int inputId = 0;
            for (Path f : files) {
                writer.setInput(inputId);
                try (DatasetReader reader = DatasetReader.open(f, options)) {
                    drain(reader, writer, bar, before);
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
                }
                inputId++;
            }
            if (query != null) {
                writer.setInput(inputId);
                try (DatasetReader reader = QueryReader.open(query, options)) {
                    drain(reader, writer, bar, before);
                    String path = QueryReader.NAME + ": " + query.strip();
                    store.addInput(new InputFileRecord(inputId, path, "duckdb-query", false,
                            reader.layoutDescription(), 0, java.time.Instant.now(), reader.rowsRead(),
                            reader.badRows().count()));
                    reports.add(new IngestReport.FileReport(path, "duckdb-query", reader.layoutDescription(),
                            reader.rowsRead(), reader.badRows().count()));
                    bad.addAll(reader.badRows());
                }
            }
            bar.status(writer.itemCount() + " items");
            return new IngestReport(reports, writer.itemCount(), writer.responseCount(), writer.renamedIds(), bad);
        }
    }

    private static void drain(DatasetReader reader, ItemWriter writer, Progress bar, long before) throws IOException {
        long rowsSeen = 0;
        for (Item item; (item = reader.next()) != null; ) {
            writer.add(item, reader.groupsRows());
            if (++rowsSeen % 4096 == 0) {
                bar.advanceTo(before + reader.bytesRead());
                bar.status(writer.itemCount() + " items");
            }
        }
    }
}
