package org.admap.ingest;

import java.io.IOException;
import java.io.InputStream;
import org.admap.model.Item;
import org.admap.model.SourceLocation;

/**
 * Reads one byte range of an uncompressed JSON-lines file, so that a parallel job (admap on
 * Spark) can read one big file with many tasks: together, the ranges {@code [0, s1)},
 * {@code [s1, s2)}, ... give every row of the file exactly once, each as
 * {@link DatasetReader#open} would have read it. The ranges agree on the layout: each
 * recognises it from the file's first readable row, not from its own.
 *
 * <p>A range after the first does not know its lines' numbers without reading the file up to
 * it, so:
 * <ul>
 *   <li>an error that stops the read names the file and its line ({@code FILE:LINE: field
 *       ...}, the single machine's message): the lines before the range are counted then,
 *       by reading the file up to it, a cost only a failing read pays;</li>
 *   <li>its items' {@link Item#source()}, and the examples of rows skipped with
 *       {@code --skip-bad-rows} in {@link #badRows()}, name their line's byte offset
 *       ({@code FILE, the line at byte N});</li>
 *   <li>a named field no row has ({@link FieldGuard#check}) is not checked here, since
 *       another range may have it: the caller checks {@link #fieldGuard()} over all ranges.</li>
 * </ul>
 * <pre>{@code
 * try (JsonLinesSplit split = JsonLinesSplit.open("big.jsonl", offset -> open(offset), 1L << 27, 2L << 27,
 *         IngestOptions.defaults())) {
 *     for (Item item; (item = split.next()) != null; ) {
 *         long where = split.rowOffset(); // the byte its line begins at: its place in the file
 *     }
 * }
 * }</pre>
 */
public final class JsonLinesSplit implements DatasetReader {

    /** Opens the file's bytes from an offset (a Hadoop stream after {@code seek}). */
    @FunctionalInterface
    public interface Opener {
        InputStream open(long offset) throws IOException;
    }

    private final String display;
    private final Opener opener;
    private final RangeLines records;
    private final RowLayout layout;
    private final NamedScores named;
    private final Columns columns;
    private final FieldGuard fields;
    private final boolean skipBadRows;
    private final BadRows badRows = new BadRows();
    private final long start;
    private final long end;
    private long rows;
    private long rowOffset = -1;

    private JsonLinesSplit(String display, Opener opener, RangeLines records, RowLayout layout, NamedScores named,
                           IngestOptions options, long start, long end) {
        this.display = display;
        this.opener = opener;
        this.records = records;
        this.layout = layout;
        this.named = named;
        this.columns = options.columns();
        this.fields = FieldGuard.of(options, layout.layout());
        this.skipBadRows = options.skipBadRows();
        this.start = start;
        this.end = end;
    }

    /**
     * Opens the range {@code [start, end)} of the file shown as {@code display}.
     *
     * @throws IngestException when no row of the whole file parses, or its first fits no layout
     */
    public static JsonLinesSplit open(String display, Opener opener, long start, long end, IngestOptions options)
            throws IOException {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad range [" + start + ", " + end + ") of " + display);
        }
        SourceRecord first = firstRow(display, opener, options);
        RowLayout layout = LayoutDetector.detect(first.node(), options, display);
        NamedScores named = NamedScores.of(layout, first.node(), options, display);
        RangeLines records = new RangeLines(display, opener.open(start == 0 ? 0 : start - 1), start, end);
        JsonLinesSplit split = new JsonLinesSplit(display, opener, records, layout, named, options, start, end);
        if (start > 0) {
            // the file's first row is the guard's first, as on a single machine: required fields are checked
            // there (by the range that holds it), and its fields are among those a message lists
            split.fields.see(first);
        }
        return split;
    }

    /** The file's first row that parses (after any renaming of columns): what decides the layout. */
    private static SourceRecord firstRow(String display, Opener opener, IngestOptions options) throws IOException {
        long bad = 0;
        try (RangeLines head = new RangeLines(display, opener.open(0), 0, Long.MAX_VALUE)) {
            while (true) {
                SourceRecord r;
                try {
                    r = head.next();
                } catch (IngestException e) {
                    if (!options.skipBadRows()) {
                        throw new IngestException(e.location(), e.field(), e.problem()); // lines from 0: the file's
                    }
                    bad++;
                    continue;
                }
                if (r == null) {
                    throw IngestException.forFile(display, bad == 0 ? "holds no rows"
                            : "holds no readable rows (" + bad + " bad)");
                }
                return options.columns().isEmpty() ? r : new SourceRecord(options.columns().apply(r.node()),
                        r.location());
            }
        }
    }

    @Override
    public Item next() throws IOException {
        while (true) {
            SourceRecord record;
            try {
                record = records.next();
            } catch (IngestException e) {
                rows++;
                rowOffset = records.lineStart();
                skipOrThrow(e);
                continue;
            }
            if (record == null) {
                return null;
            }
            rows++;
            rowOffset = records.lineStart();
            try {
                if (!columns.isEmpty()) {
                    record = new SourceRecord(columns.apply(record.node()), record.location());
                }
                fields.see(record);
                Item item = layout.read(record);
                return named == null ? item : named.attach(item, record);
            } catch (IngestException e) {
                skipOrThrow(e);
            }
        }
    }

    private void skipOrThrow(IngestException e) throws IOException {
        if (skipBadRows && e.isRowProblem()) {
            badRows.add(e);
            return;
        }
        throw inFile(e);
    }

    /** The error with the file's own line number in place of the range's. */
    private IngestException inFile(IngestException e) throws IOException {
        SourceLocation at = e.location();
        if (at == null || !"byte".equals(at.unit())) {
            return e;
        }
        long before;
        try (InputStream in = opener.open(0)) {
            before = RangeLines.linesBefore(in, records.firstLineStart());
        }
        return new IngestException(SourceLocation.line(at.file(), before + records.lineNumber()), e.field(),
                e.problem());
    }

    /** The byte offset at which the line of the item last returned begins: its place in the file. */
    public long rowOffset() {
        return rowOffset;
    }

    /** The named fields this range's rows had; to be checked over all the file's ranges. */
    public FieldGuard fieldGuard() {
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
        return new FileFormat.Detected(java.nio.file.Path.of(display), FileFormat.JSONL, false);
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
        return end == Long.MAX_VALUE ? -1 : end - start;
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
