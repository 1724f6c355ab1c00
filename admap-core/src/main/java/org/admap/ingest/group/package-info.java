/**
 * The stage between the row layouts and the run store that gathers rows into instructions
 * ({@link org.admap.ingest.group.PromptGrouping}): rows of one-response-per-row layouts by id,
 * and under {@code --group-by-prompt} the rows of every layout by prompt; repeated rows of one
 * response become samples of its score, never more responses; comparisons become labels by
 * {@link org.admap.ingest.group.PairLabels}. {@link org.admap.ingest.group.GroupingOptions}
 * also names the further score sources a file is read with ({@code --score-field NAME=FIELD}).
 * Depends only on {@code org.admap.model}, so it works after any layout.
 */
package org.admap.ingest.group;
