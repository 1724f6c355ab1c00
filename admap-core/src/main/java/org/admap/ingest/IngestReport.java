package org.admap.ingest;

import java.util.List;
import java.util.Map;
import org.admap.ingest.group.GroupingReport;

/**
 * What an ingest read: per file and in total.
 *
 * @param files      one entry per input file, in order
 * @param items      instructions stored
 * @param responses  responses stored
 * @param renamedIds instructions whose id repeated an earlier one, stored as {@code id#2}...
 * @param badRows    rows skipped under {@code --skip-bad-rows}, over all files
 * @param grouping   what grouping rows into instructions did, or null when no row was grouped
 * @param sources    responses scored by each named source ({@code --score-field NAME=FIELD})
 * @param notes      rows read but counted by reason (Arena ties), over all files
 */
public record IngestReport(List<FileReport> files, long items, long responses, long renamedIds, BadRows badRows,
                           GroupingReport grouping, Map<String, Long> sources, RowNotes notes) {

    public IngestReport {
        files = List.copyOf(files);
        sources = sources == null ? Map.of() : Map.copyOf(sources);
        notes = notes == null ? new RowNotes() : notes;
    }

    /** A report without grouping, named sources or row notes. */
    public IngestReport(List<FileReport> files, long items, long responses, long renamedIds, BadRows badRows) {
        this(files, items, responses, renamedIds, badRows, null, Map.of(), new RowNotes());
    }

    /**
     * One file.
     *
     * @param path    the file as given
     * @param format  its format, e.g. {@code jsonl.gz}
     * @param layout  the layout it was read in, in words
     * @param rows    rows read
     * @param badRows rows skipped
     */
    public record FileReport(String path, String format, String layout, long rows, long badRows) {
    }
}
