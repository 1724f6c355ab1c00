package org.admap.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.admap.model.SourceLocation;

/**
 * Reads a JSON array of objects element by element with a streaming parser, so a large
 * array is never held whole. A syntax error ends the file: after it the parser cannot
 * find the next element, so it is reported as a file error even with
 * {@code --skip-bad-rows}.
 */
final class JsonArrayReader implements RecordReader {

    private final String display;
    private final CountingInputStream raw;
    private final JsonParser parser;
    private boolean started;
    private boolean broken;

    JsonArrayReader(Path path, boolean gzip) throws IOException {
        this.display = path.toString();
        this.raw = new CountingInputStream(Files.newInputStream(path));
        this.parser = JsonSupport.MAPPER.createParser(FileFormat.open(raw, gzip, display));
    }

    @Override
    public SourceRecord next() throws IOException {
        if (broken) {
            return null;
        }
        try {
            if (!started) {
                started = true;
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw IngestException.forFile(display, "expected a JSON array of objects");
                }
            }
            JsonToken token = parser.nextToken();
            if (token == null || token == JsonToken.END_ARRAY) {
                return null;
            }
            long line = parser.currentTokenLocation().getLineNr();
            SourceLocation location = SourceLocation.line(display, line);
            JsonNode node = parser.readValueAsTree();
            if (node == null || !node.isObject()) {
                throw new IngestException(location, null, "expected a JSON object in the array, got "
                        + RowFields.describe(node));
            }
            return new SourceRecord(node, location);
        } catch (JsonProcessingException e) {
            broken = true;
            long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw IngestException.forFile(display, (line > 0 ? "line " + line + ": " : "")
                    + "malformed JSON: " + JsonSupport.shortMessage(e));
        }
    }

    @Override
    public long bytesRead() {
        return raw.count();
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
