package org.admap.score.batch;

import java.time.Duration;
import java.util.List;
import org.admap.score.Usage;

/**
 * What a {@code score --batch} run did.
 *
 * @param source            the score source written
 * @param resumed           batches of earlier runs found open or not yet imported
 * @param submitted         batches created by this run (for a dry run: that it would create)
 * @param requests          requests in the batches this run created (for a dry run: that it would send)
 * @param imported          batches whose results this run stored
 * @param open              ids of batches still running when the run ended (collect them with another run)
 * @param scored            responses scored successfully from imported answers
 * @param failed            responses stored as failed (a failed request, an answer that does not parse)
 * @param copied            responses given the score of an identical response, no request of their own
 * @param alreadyScored     responses that had a score from the source before
 * @param previouslyFailed  responses whose earlier failure was left alone (no --retry-failed)
 * @param inOpenBatches     responses not sent again because a batch still open holds them
 * @param leftPending       requests whose batch ended without an answer to them (expired, cancelled,
 *                          failed): their responses are pending again and go into a new batch on the next
 *                          run
 * @param usage             tokens and cost of the imported answers (at Batch API prices); for a dry run,
 *                          the estimate for the requests it would submit
 * @param stoppedByBudget   whether fewer requests were submitted so as not to exceed --max-cost
 * @param abortReason       why the run stopped early, or null
 * @param notes             what the user should know, one line each (a batch that expired, ...)
 * @param elapsed           wall time
 */
public record BatchReport(String source, int resumed, int submitted, long requests, int imported, List<String> open,
                          long scored, long failed, long copied, long alreadyScored, long previouslyFailed,
                          long inOpenBatches, long leftPending, Usage usage, boolean stoppedByBudget,
                          String abortReason, List<String> notes, Duration elapsed) {

    public BatchReport {
        open = List.copyOf(open);
        notes = List.copyOf(notes);
    }
}
