package org.admap.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import org.admap.model.Item;

/**
 * Reads the instructions of one preference-data file, one at a time.
 *
 * <p>Open one with {@link #open}; the file format (JSON lines, JSON array, CSV/TSV,
 * Parquet, each optionally gzip) and the layout are recognised unless the options say
 * otherwise. Counting the instructions and responses of a file {@code input}:
 * <pre>{@code
 * int items = 0;
 * int responses = 0;
 * long skipped;
 * try (DatasetReader reader = DatasetReader.open(input, IngestOptions.defaults())) {
 *     for (Item item = reader.next(); item != null; item = reader.next()) {
 *         items++;
 *         responses += item.responses().size();
 *     }
 *     skipped = reader.badRows().count();
 * }
 * }</pre>
 * ({@code ApiExamplesTest} runs this on {@code examples/demo.jsonl}: 50 items, 200 responses.)
 * Bad rows throw an {@link IngestException} naming file, line and field, unless
 * {@link IngestOptions#skipBadRows()} is set, in which case they are counted in
 * {@link #badRows()} and skipped.
 *
 * <p>For one-row-per-response layouts ({@link #groupsRows()}), each item holds a single
 * response, and items with the same id are to be merged by the caller (the run store does).
 */
public interface DatasetReader extends Closeable {

    /** Opens a file, recognising its format and, unless given, its layout. */
    static DatasetReader open(Path file, IngestOptions options) throws IOException {
        return FileDatasetReader.open(file, options);
    }

    /**
     * Returns the next item, or null at the end.
     *
     * @throws IngestException on bad input (unless bad rows are skipped)
     */
    Item next() throws IOException;

    /** The layout the file is read in, after recognition. */
    Layout layout();

    /** The layout in words, for summaries. */
    String layoutDescription();

    /** The file format and compression. */
    FileFormat.Detected format();

    /** Whether items are single responses to be merged by id (see the class comment). */
    boolean groupsRows();

    /** Rows read so far, good and bad. */
    long rowsRead();

    /** The rows skipped so far, by reason. */
    BadRows badRows();

    /** Rows read so far that are counted by reason, such as Arena ties (see {@link RowNotes}). */
    default RowNotes notes() {
        return new RowNotes();
    }

    /** Bytes of the file consumed so far, for progress. */
    long bytesRead();

    /** The file's size in bytes. */
    long totalBytes();
}
