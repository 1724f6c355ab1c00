package org.admap.ingest;

import java.io.Closeable;
import java.io.IOException;

/**
 * Reads the rows of one input file in one file format, streaming: a row at a time, never
 * the whole file. Implementations exist for JSON lines, JSON arrays, CSV and Parquet.
 */
interface RecordReader extends Closeable {

    /**
     * Returns the next row, or null at the end of the file.
     *
     * @throws IngestException when a row cannot be parsed (a malformed JSON line); the
     *                         reader stays usable, so the caller may skip the row
     */
    SourceRecord next() throws IOException;

    /** Bytes of the (possibly compressed) file consumed so far, for progress bars. */
    long bytesRead();
}
