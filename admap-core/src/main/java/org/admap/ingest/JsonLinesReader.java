package org.admap.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.admap.model.SourceLocation;

/**
 * Reads JSON lines, one object per line. Each line is parsed on its own so that a
 * malformed line is reported with its number and, with {@code --skip-bad-rows}, skipped
 * without losing the rest of the file; so is a line that is not UTF-8 (never decoded to
 * U+FFFD in silence). Blank lines are ignored.
 */
final class JsonLinesReader implements RecordReader {

    private final String display;
    private final CountingInputStream raw;
    private final java.io.InputStream in;
    private final Utf8Lines lines;
    private long lineNumber;
    /** The line being read: the row's line if reading it runs out of memory. */
    private long rowLine;

    JsonLinesReader(Path path, boolean gzip) throws IOException {
        this.display = path.toString();
        this.raw = new CountingInputStream(Files.newInputStream(path));
        this.in = FileFormat.open(raw, gzip, display);
        this.lines = new Utf8Lines(in);
    }

    @Override
    public SourceRecord next() throws IOException {
        long start = raw.count();
        try {
            return read();
        } catch (OutOfMemoryError e) {
            // the line's text or its tree did not fit: the same message for the first row
            // (read to recognise the layout) as for any other
            throw RowTooLarge.of(display + ":" + rowLine, raw.count() - start);
        }
    }

    private SourceRecord read() throws IOException {
        String line;
        do {
            rowLine = lineNumber + 1;
            try {
                line = lines.next();
            } catch (Utf8Lines.Malformed e) {
                lineNumber++; // a bad row: counted and skipped with --skip-bad-rows, else the error
                throw new IngestException(SourceLocation.line(display, lineNumber), null, e.getMessage());
            }
            if (line == null) {
                return null;
            }
            lineNumber++;
            if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1); // byte-order mark
            }
        } while (line.isBlank());
        SourceLocation location = SourceLocation.line(display, lineNumber);
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
        return raw.count();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
