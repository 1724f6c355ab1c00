package org.admap.model;

/**
 * Where a record came from: a file and a 1-based line (text formats) or row (Parquet,
 * JSON arrays without line information). Used in error messages as {@code file:line}.
 *
 * @param file the file name as the user gave it
 * @param line 1-based line or row number, or a line's byte offset
 * @param unit "line", "row" or "byte", to say which
 */
public record SourceLocation(String file, long line, String unit) {

    public static SourceLocation line(String file, long line) {
        return new SourceLocation(file, line, "line");
    }

    public static SourceLocation row(String file, long row) {
        return new SourceLocation(file, row, "row");
    }

    /**
     * The line that begins at byte {@code offset} of {@code file}, where its number is not known
     * without reading the file up to it (a split of a file read by a parallel job).
     */
    public static SourceLocation byteOffset(String file, long offset) {
        return new SourceLocation(file, offset, "byte");
    }

    @Override
    public String toString() {
        return switch (unit) {
            case "line" -> file + ":" + line;
            case "byte" -> file + ", the line at byte " + line;
            default -> file + " row " + line;
        };
    }
}
