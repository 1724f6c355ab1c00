package org.admap.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.admap.model.SourceLocation;

/**
 * The JSON lines that begin in one byte range {@code [start, end)} of a file, for a parallel
 * reader that gives each range to another task. As Hadoop's {@code LineRecordReader} does,
 * a range other than the first skips the line it starts inside (its owner is the range
 * before), and every range reads the line crossing its end through to that line's end: each
 * line is read by exactly one range. Lines end as in {@link Utf8Lines} (LF, CR LF, lone CR).
 *
 * <p>The first range's rows carry their line numbers. A later range does not know how many
 * lines come before it without reading them, so its rows carry their line's byte offset
 * ({@code FILE, the line at byte N}) and its errors the line counted from the range's first
 * ({@link #lineNumber()}), which {@link JsonLinesSplit} turns into the file's own.
 */
final class RangeLines implements RecordReader {

    private final String display;
    private final InputStream in;
    private final Utf8Lines lines;
    /** The file offset of the stream's first byte. */
    private final long base;
    private final long start;
    private final long end;
    private long firstLine = -1;
    private long lineStart;
    private long lineNumber;

    /**
     * @param display the file as the user named it
     * @param in      the file's bytes from offset {@code start - 1} (from 0 when {@code start} is 0)
     * @param start   the range's first byte
     * @param end     the first byte after the range ({@code Long.MAX_VALUE}: to the end of the file)
     */
    RangeLines(String display, InputStream in, long start, long end) {
        this.display = display;
        this.in = new BufferedInputStream(in, 1 << 16);
        this.lines = new Utf8Lines(this.in);
        this.base = start == 0 ? 0 : start - 1;
        this.start = start;
        this.end = end;
    }

    /** The file offset of the first line this range owns (skipping the one it starts inside). */
    long firstLineStart() throws IOException {
        if (firstLine < 0) {
            if (start > 0) {
                try {
                    lines.next(); // from the byte before the range through the first line end at or after it
                } catch (Utf8Lines.Malformed e) {
                    // the previous range's line: its owner reports it
                }
            }
            firstLine = base + lines.offset();
        }
        return firstLine;
    }

    private SourceLocation location() {
        return start == 0 ? SourceLocation.line(display, lineNumber) : SourceLocation.byteOffset(display, lineStart);
    }

    /** The line of the row last returned (or failed), counted from the range's first line. */
    long lineNumber() {
        return lineNumber;
    }

    /** The file offset at which the line of the row last returned (or failed) begins. */
    long lineStart() {
        return lineStart;
    }

    @Override
    public SourceRecord next() throws IOException {
        firstLineStart();
        String line;
        do {
            lineStart = base + lines.offset();
            if (lineStart >= end) {
                return null;
            }
            try {
                line = lines.next();
            } catch (Utf8Lines.Malformed e) {
                lineNumber++;
                throw new IngestException(location(), null, e.getMessage());
            }
            if (line == null) {
                return null;
            }
            lineNumber++;
            if (lineStart == 0 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1); // byte-order mark
            }
        } while (line.isBlank());
        SourceLocation location = location();
        JsonNode node;
        try {
            node = JsonSupport.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IngestException(location, null, "malformed JSON: " + JsonSupport.shortMessage(e));
        }
        if (!node.isObject()) {
            throw new IngestException(location, null, "expected a JSON object per line, got "
                    + RowFields.describe(node));
        }
        return new SourceRecord(node, location);
    }

    @Override
    public long bytesRead() {
        return base + lines.offset() - start;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * The lines that end before byte {@code offset}, a line's first byte: LF, CR LF and a lone
     * CR each end one, as {@link Utf8Lines} reads them.
     */
    static long linesBefore(InputStream fromStart, long offset) throws IOException {
        long count = 0;
        long read = 0;
        boolean cr = false;
        byte[] buf = new byte[1 << 16];
        while (read < offset) {
            int n = fromStart.read(buf, 0, (int) Math.min(buf.length, offset - read));
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    count++; // LF, or the LF of CR LF
                    cr = false;
                } else {
                    if (cr) {
                        count++; // a lone CR
                    }
                    cr = b == '\r';
                }
            }
            read += n;
        }
        return cr ? count + 1 : count; // a CR just before a line's start ends the line before it
    }
}
