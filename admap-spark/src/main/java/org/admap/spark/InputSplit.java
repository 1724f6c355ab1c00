package org.admap.spark;

import java.io.Serializable;

/**
 * The part of one input file that one task reads: the whole file, a byte range of a JSON-lines
 * file (the lines that begin in it), or a run of a Parquet file's row groups. Splits of a file
 * follow each other in file order, so reading them in order reads the file in order.
 *
 * @param file  the index of the file in the job's input list
 * @param uri   the file, fully qualified
 * @param kind  what {@code start} and {@code end} count
 * @param start the first byte ({@link Kind#LINES}) or row group ({@link Kind#ROW_GROUPS}); 0 for a whole file
 * @param end   the first byte or row group after the split; unused for a whole file
 */
public record InputSplit(int file, String uri, Kind kind, long start, long end) implements Serializable {

    /** How a split is read. */
    public enum Kind {
        /** The whole file by one task, with the core's reader (any format, gzip included). */
        FILE,
        /** The JSON lines that begin in the byte range {@code [start, end)}. */
        LINES,
        /** The Parquet row groups {@code [start, end)}. */
        ROW_GROUPS
    }

    /** A whole file. */
    public static InputSplit whole(int file, String uri) {
        return new InputSplit(file, uri, Kind.FILE, 0, 0);
    }
}
