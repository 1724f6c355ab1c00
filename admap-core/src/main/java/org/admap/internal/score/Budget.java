package org.admap.internal.score;

/**
 * Keeps a scoring run under {@code --max-cost}: each call reserves its estimated cost
 * before it starts and settles its real cost when it ends; a call that could take
 * spent + reserved past the limit is not started. Thread-safe.
 */
public final class Budget {

    private final double limit;
    private double spent;
    private double reserved;

    /** @param limit USD, or NaN for no limit */
    public Budget(double limit) {
        this.limit = limit;
    }

    /** Reserves an estimated cost; false (and nothing reserved) when it would exceed the limit. */
    public synchronized boolean reserve(double estimate) {
        if (!Double.isNaN(limit) && spent + reserved + estimate > limit) {
            return false;
        }
        reserved += estimate;
        return true;
    }

    /** Replaces a reservation by what the call really cost. */
    public synchronized void release(double estimate, double actual) {
        reserved -= estimate;
        spent += actual;
    }

    public synchronized double spent() {
        return spent;
    }
}
