package org.admap.internal.ingest.scan;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes of prompt literals the scan may keep in memory, shared by its threads:
 * prompts kept need no second pass over the file for {@code map.csv}; beyond the budget,
 * chunks drop theirs and are read back, so memory stays bounded whatever the prompts' size.
 * Which chunks keep their prompts may vary from run to run; the output does not.
 */
final class PromptBudget {

    private final AtomicLong left;

    PromptBudget(long bytes) {
        this.left = new AtomicLong(bytes);
    }

    /** A quarter of the maximum heap. */
    static PromptBudget ofHeap() {
        return new PromptBudget(Runtime.getRuntime().maxMemory() / 4);
    }

    boolean take(long bytes) {
        if (left.addAndGet(-bytes) >= 0) {
            return true;
        }
        left.addAndGet(bytes);
        return false;
    }

    void giveBack(long bytes) {
        left.addAndGet(bytes);
    }
}
