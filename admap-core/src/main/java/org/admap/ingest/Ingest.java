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
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no input files");
        }
        long totalBytes = 0;
        for (Path f : files) {
            FileFormat.detect(f); // fail on a missing or empty file before reading any other
            totalBytes += Files.size(f);
        }
        List<IngestReport.FileReport> reports = new ArrayList<>();
        BadRows bad = new BadRows();
        RowNotes notes = new RowNotes();
        long before = 0;
        try (ItemWriter writer = store.openItemWriter();
             Progress bar = progress.start(files.size() == 1 ? "reading " + files.get(0).getFileName()
                     : "reading " + files.size() + " files", totalBytes, "B")) {
            int inputId = 0;
            for (Path f : files) {
                writer.setInput(inputId);
                try (DatasetReader reader = DatasetReader.open(f, options)) {
                    long rowsSeen = 0;
                    for (Item item; (item = reader.next()) != null; ) {
                        writer.add(item, reader.groupsRows());
                        if (++rowsSeen % 4096 == 0) {
                            bar.advanceTo(before + reader.bytesRead());
                            bar.status(writer.itemCount() + " items");
                        }
                    }
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
            bar.status(writer.itemCount() + " items");
            return new IngestReport(reports, writer.itemCount(), writer.responseCount(), writer.renamedIds(), bad, notes);
        }
    }
}
