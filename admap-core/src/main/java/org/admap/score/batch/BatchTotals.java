package org.admap.score.batch;

import org.admap.score.Usage;

/** What a batch run stored, counted as it goes: the numbers of its {@link BatchReport}. */
final class BatchTotals {
    long scored;
    long failed;
    /** Requests of ended batches that got no answer: pending again. */
    long leftPending;
    int imported;
    Usage usage = Usage.NONE;
}
