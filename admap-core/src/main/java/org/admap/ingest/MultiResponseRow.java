package org.admap.ingest;

import java.io.IOException;
import org.admap.model.Item;
import org.admap.model.SourceLocation;

/**
 * Reads one JSON line of admap's multi-response layout into an {@link Item} exactly as the
 * full ingest does with the default options (the same JSON reader, the same layout), so that
 * a command that reads a few rows back from the input by offset (a run's columns) gets the
 * items the run store would hold.
 */
public final class MultiResponseRow {

    private static final MultiResponseLayout LAYOUT = new MultiResponseLayout(IngestOptions.defaults());

    private MultiResponseRow() {
    }

    /**
     * The item of one line.
     *
     * @param line     the line's bytes (UTF-8, without its line end)
     * @param location where it lies, for error messages
     * @throws IngestException when the row is not valid JSON or not of the layout
     */
    public static Item read(byte[] line, SourceLocation location) {
        try {
            return LAYOUT.read(new SourceRecord(JsonSupport.MAPPER.readTree(line), location));
        } catch (IOException e) {
            throw new IngestException(location, null, "malformed JSON: " + JsonSupport.shortMessage(e));
        }
    }
}
