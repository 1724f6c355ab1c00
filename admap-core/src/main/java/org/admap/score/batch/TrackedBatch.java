package org.admap.score.batch;

import org.admap.internal.store.BatchLog;

/** A batch being followed: its record as last polled, and how many of its requests are done. */
final class TrackedBatch {
    BatchLog.Entry entry;
    long done;

    TrackedBatch(BatchLog.Entry entry) {
        this.entry = entry;
    }
}
