package org.admap.ingest.group;

/**
 * What grouping did, for the ingest report and {@code summary.json}.
 *
 * @param rows         rows that went through grouping (one-response-per-row rows, and every
 *                     row under {@code --group-by-prompt})
 * @param instructions the instructions they became
 * @param responses    the distinct responses of those instructions
 * @param mergedRows   rows whose response (same instruction, text and model) an earlier row
 *                     already gave, merged into it (its score a further sample) instead of
 *                     becoming another response
 * @param comparisons  comparisons (rows of two responses) whose labels became wins and losses
 * @param pairLabels   the rule that turned comparisons into labels, or null when there were none
 */
public record GroupingReport(long rows, long instructions, long responses, long mergedRows, long comparisons,
                             String pairLabels) {

    /** Nothing was grouped. */
    public static final GroupingReport NONE = new GroupingReport(0, 0, 0, 0, 0, null);
}
