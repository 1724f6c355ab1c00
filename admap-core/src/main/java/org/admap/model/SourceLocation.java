package org.admap.model;

/**
 * Where a record came from: a file and a 1-based line (text formats) or row (Parquet,
 * JSON arrays without line information). Used in error messages as {@code file:line}.
 *
 * @param file the file name as the user gave it
 * @param line 1-based line or row number
 * @param unit "line" or "row", to say which
 */
public record SourceLocation(String file, long line, String unit) {

    public static SourceLocation line(String file, long line) {
        return new SourceLocation(file, line, "line");
    }

    public static SourceLocation row(String file, long row) {
        return new SourceLocation(file, row, "row");
    }

    @Override
    public String toString() {
        return "line".equals(unit) ? file + ":" + line : file + " row " + line;
    }
}
