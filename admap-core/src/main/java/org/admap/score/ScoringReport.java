package org.admap.score;

import java.time.Duration;

/**
 * What a scoring run did.
 *
 * @param source           the score source written
 * @param scored           responses scored successfully by a call in this run
 * @param failed           responses whose call failed in this run (stored as failed)
 * @param alreadyScored    responses that had a score from this source before the run
 * @param previouslyFailed responses whose earlier failure was left alone (no --retry-failed)
 * @param cached           responses given the stored score of an identical response (no call)
 * @param calls            calls made (tasks sent)
 * @param usage            tokens and cost of this run's calls (for a dry run: estimated)
 * @param stoppedByBudget  whether the run stopped before exceeding --max-cost
 * @param abortReason      why the run was aborted, or null
 * @param interrupted      whether the run was interrupted (Ctrl-C, SIGTERM)
 * @param elapsed          wall time
 * @param signal           the number of the signal that stopped the run (2 SIGINT, 15 SIGTERM), or 0
 */
public record ScoringReport(String source, long scored, long failed, long alreadyScored, long previouslyFailed,
                            long cached, long calls, Usage usage, boolean stoppedByBudget, String abortReason,
                            boolean interrupted, Duration elapsed, int signal) {

    /** Responses still without a score from the source after the run. */
    public boolean complete() {
        return !stoppedByBudget && abortReason == null && !interrupted && failed == 0 && previouslyFailed == 0;
    }
}
