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

    /**
     * Whether the layout reads its scores from the field the options name as
     * {@code scoreField}, so that a named score source ({@code --score-field NAME=FIELD}) can
     * be read by the same layout with that field. Layouts whose score fields are fixed
     * (pairwise: {@code score_chosen}/{@code score_rejected}) say no, and named sources are
     * refused for them rather than read as copies of their fixed scores.
     */
    default boolean readsScoreField() {
        return false;
    }

    /** The layout in words, for the summary: {@code multi-response}, {@code long (preset alpaca-eval)}. */
    String description();

    /** The layout. */
    Layout layout();

    /** The rows read so far that are counted by reason (Arena ties), or none. */
    default RowNotes notes() {
        return new RowNotes();
    }
}
