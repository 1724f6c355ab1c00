package org.admap.internal.score.http;

import java.time.Duration;
import java.util.Optional;

/**
 * Spaces requests so that they stay under a requests-per-minute and a tokens-per-minute
 * limit, and holds every thread back while the server has asked to pause (a 429, or a
 * limit reported exhausted in its headers). Smooth rather than bursty: each request takes
 * the next free slot, so N threads starting at once are spread out evenly.
 *
 * <p>Thread-safe; shared by all the threads of one scorer.
 */
public final class RateLimiter {

    private final double requestsPerMinute;
    private final double tokensPerMinute;
    private long nextRequestSlot;
    private long nextTokenSlot;
    private long pausedUntil;
    private String pauseReason;

    /**
     * @param requestsPerMinute 0 for no limit
     * @param tokensPerMinute   0 for no limit
     */
    public RateLimiter(double requestsPerMinute, double tokensPerMinute) {
        if (requestsPerMinute < 0 || tokensPerMinute < 0) {
            throw new IllegalArgumentException("rate limits must not be negative");
        }
        this.requestsPerMinute = requestsPerMinute;
        this.tokensPerMinute = tokensPerMinute;
    }

    /** No limits, no pauses unless a server asks. */
    public static RateLimiter unlimited() {
        return new RateLimiter(0, 0);
    }

    /** Waits until a request of {@code tokens} estimated tokens may be sent. */
    public void acquire(long tokens) throws InterruptedException {
        long wakeAt;
        synchronized (this) {
            long now = System.nanoTime();
            long start = Math.max(now, pausedUntil);
            if (requestsPerMinute > 0) {
                long slot = Math.max(start, nextRequestSlot);
                nextRequestSlot = slot + (long) (60e9 / requestsPerMinute);
                start = slot;
            }
            if (tokensPerMinute > 0) {
                long slot = Math.max(start, nextTokenSlot);
                nextTokenSlot = slot + (long) (60e9 * Math.max(1, tokens) / tokensPerMinute);
                start = slot;
            }
            wakeAt = start;
        }
        while (true) {
            long wait = wakeAt - System.nanoTime();
            synchronized (this) {
                // A pause asked for after this slot was taken still applies.
                wait = Math.max(wait, pausedUntil - System.nanoTime());
            }
            if (wait <= 0) {
                return;
            }
            Thread.sleep(Math.max(1, wait / 1_000_000));
        }
    }

    /** Holds every request back for {@code duration} from now (the server asked). */
    public void pause(Duration duration) {
        pause(duration, "the server asked");
    }

    /**
     * Holds every request back for {@code duration} from now, for a reason shown while it
     * lasts ({@link #waiting}).
     */
    public synchronized void pause(Duration duration, String reason) {
        long until = System.nanoTime() + Math.max(0, Math.min(duration.toNanos(), Long.MAX_VALUE / 4));
        if (until > pausedUntil) {
            pausedUntil = until;
            pauseReason = reason;
        }
    }

    /** What requests wait for now, in words ("waiting 4 min 10 s: ..."), or empty when nothing holds them. */
    public synchronized Optional<String> waiting() {
        long left = pausedUntil - System.nanoTime();
        if (left <= 0 || pauseReason == null) {
            return Optional.empty();
        }
        return Optional.of("waiting " + RetryPolicy.inWords(Duration.ofNanos(left)) + ": " + pauseReason);
    }
}
