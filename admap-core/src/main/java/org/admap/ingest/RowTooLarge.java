package org.admap.ingest;

import java.util.Locale;

/**
 * The error for a row too large for Java's heap: reading it (a line's text, then its JSON
 * tree) ran out of memory. A clean one-line message naming the file, the line or row, how
 * much of it was read and what to do, wherever in the file the row is (the first row, read
 * to recognise the layout, included). Fatal, never a skippable row: the reader stopped
 * inside the row.
 */
final class RowTooLarge {

    private RowTooLarge() {
    }

    /**
     * @param where     the file and line ({@code data.jsonl:1}) or row
     * @param bytesRead bytes of the file read since the row began (at least the row's size so far)
     */
    static IngestException of(String where, long bytesRead) {
        long heap = Runtime.getRuntime().maxMemory();
        // a row's text as a String, then as a JSON tree, takes a few times its bytes
        long suggestGb = Math.max(4, (bytesRead * 8 + (1L << 30) - 1) >> 30);
        return IngestException.forFile(where, String.format(Locale.ROOT,
                "this row is too large for Java's heap (%s read of it when memory ran out; the heap is %,d MB):"
                        + " give admap more memory, e.g. ADMAP_JAVA_OPTS=-Xmx%dg, or shorten the row",
                bytesRead >= 1 << 20 ? String.format(Locale.ROOT, "%,d MB", bytesRead >> 20)
                        : String.format(Locale.ROOT, "%,d bytes", bytesRead), heap >> 20, suggestGb));
    }
}
