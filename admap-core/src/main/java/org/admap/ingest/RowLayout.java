package org.admap.ingest;

import org.admap.model.Item;

/** Turns one row of a file into an item, in one layout. */
interface RowLayout {

    /**
     * Reads one row.
     *
     * @throws IngestException naming the row and field when the row does not fit
     */
    Item read(SourceRecord record);

    /**
     * Whether each row holds one response of an instruction that other rows share (the
     * one-row-per-response layout): such items are merged by id, across files.
     */
    boolean groupsRows();

    /** The layout in words, for the summary: {@code multi-response}, {@code long (preset alpaca-eval)}. */
    String description();

    /** The layout. */
    Layout layout();

    /** The rows read so far that are counted by reason (Arena ties), or none. */
    default RowNotes notes() {
        return new RowNotes();
    }
}
