package org.admap.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.admap.model.Item;

/** A {@link DatasetReader} over one file: a {@link RecordReader} for the format, a {@link RowLayout}. */
final class FileDatasetReader implements DatasetReader {

    private final FileFormat.Detected format;
    private final RecordReader records;
    private final RowLayout layout;
    /** The named score sources' reader, or null when none are named. */
    private final NamedScores named;
    private final boolean skipBadRows;
    private final long totalBytes;
    private final BadRows badRows;
    private final Columns columns;
    private final FieldGuard fields;
    private final PromptImages images;
    private SourceRecord pending;
    private long rows;
    /** The row being read: named if reading it runs out of memory. */
    private long reading;

    private FileDatasetReader(FileFormat.Detected format, RecordReader records, RowLayout layout, NamedScores named,
                              SourceRecord first, long rowsBeforeFirst, BadRows badRows, boolean skipBadRows,
                              Columns columns, FieldGuard fields) throws IOException {
        this.columns = columns;
        this.format = format;
        this.fields = fields;
        this.records = records;
        this.layout = layout;
        this.named = named;
        this.pending = first;
        this.rows = rowsBeforeFirst;
        this.badRows = badRows;
        this.skipBadRows = skipBadRows;
        this.totalBytes = Files.size(format.path());
        Path dir = format.path().toAbsolutePath().getParent();
        this.images = new PromptImages(dir);
    }

    static DatasetReader open(Path file, IngestOptions options) throws IOException {
        FileFormat.Detected format = FileFormat.detect(file);
        RecordReader records = recordReader(format);
        try {
            // The first row that parses decides the layout; malformed rows before it count as bad.
            BadRows bad = new BadRows();
            long rowsBefore = 0;
            SourceRecord first = null;
            while (first == null) {
                try {
                    first = records.next();
                    if (first == null) {
                        throw IngestException.forFile(file.toString(), rowsBefore == 0 ? "holds no rows"
                                : "holds no readable rows (" + rowsBefore + " bad)");
                    }
                } catch (IngestException e) {
                    if (!options.skipBadRows() || !e.isRowProblem()) {
                        throw e;
                    }
                    bad.add(e);
                    rowsBefore++;
                }
            }
            Columns columns = options.columns();
            if (!columns.isEmpty()) {
                first = new SourceRecord(columns.apply(first.node()), first.location());
            }
            RowLayout layout = LayoutDetector.detect(first.node(), options, file.toString());
            NamedScores named = NamedScores.of(layout, first.node(), options, file.toString());
            return new FileDatasetReader(format, records, layout, named, first, rowsBefore, bad,
                    options.skipBadRows(), columns, FieldGuard.of(options, layout.layout()));
        } catch (OutOfMemoryError e) {
            records.close();
            throw RowTooLarge.of(file + ", the first row", records.bytesRead());
        } catch (IOException | RuntimeException e) {
            records.close();
            throw e;
        }
    }

    /** A reader of the rows of a file in its format. */
    static RecordReader recordReader(FileFormat.Detected format) throws IOException {
        Path file = format.path();
        return switch (format.format()) {
            case JSONL -> new JsonLinesReader(file, format.gzip());
            case JSON -> new JsonArrayReader(file, format.gzip());
            case CSV -> new CsvReader(file, format.gzip(), ',');
            case TSV -> new CsvReader(file, format.gzip(), '\t');
            case PARQUET -> new ParquetReader(file);
        };
    }

    @Override
    public Item next() throws IOException {
        long start = records.bytesRead();
        try {
            return read();
        } catch (OutOfMemoryError e) {
            // a reader that knows the row's line says so itself (JSON lines); this names the row
            throw RowTooLarge.of(format.path() + ", row " + reading, records.bytesRead() - start);
        }
    }

    private Item read() throws IOException {
        while (true) {
            reading = rows + 1;
            SourceRecord record;
            boolean renamed = pending != null; // the first row was renamed before the layout was recognised
            try {
                record = pending != null ? pending : records.next();
                pending = null;
            } catch (IngestException e) {
                rows++;
                skipOrThrow(e);
                continue;
            }
            if (record == null) {
                fields.check(format.path().toString());
                return null;
            }
            rows++;
            try {
                if (!renamed && !columns.isEmpty()) {
                    record = new SourceRecord(columns.apply(record.node()), record.location());
                }
                fields.see(record); // the names the layout reads, after any --columns renaming
                Item item = layout.read(record);
                java.util.List<org.admap.model.ImageRef> refs = images.of(record);
                if (!refs.isEmpty()) {
                    item = item.withImages(refs);
                }
                return named == null ? item : named.attach(item, record);
            } catch (IngestException e) {
                skipOrThrow(e);
            }
        }
    }

    private void skipOrThrow(IngestException e) {
        if (!skipBadRows || !e.isRowProblem()) {
            throw e;
        }
        badRows.add(e);
    }

    /** The check of the fields the options name, over the rows read so far. */
    FieldGuard fieldGuard() {
        return fields;
    }

    @Override
    public Layout layout() {
        return layout.layout();
    }

    @Override
    public String layoutDescription() {
        return layout.description();
    }

    @Override
    public FileFormat.Detected format() {
        return format;
    }

    @Override
    public boolean groupsRows() {
        return layout.groupsRows();
    }

    @Override
    public long rowsRead() {
        return rows;
    }

    @Override
    public BadRows badRows() {
        return badRows;
    }

    @Override
    public RowNotes notes() {
        return layout.notes();
    }

    @Override
    public long bytesRead() {
        return records.bytesRead();
    }

    @Override
    public long totalBytes() {
        return totalBytes;
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
