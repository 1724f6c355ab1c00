package org.admap.internal.score;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a scoring pass runs, caught so that the pass ends as it
 * would at the end of the data: no new calls, the calls in flight finish, what they return
 * is committed, the scorer is closed, the summary printed, and the program exits with the
 * signal's conventional status (128 + its number: 130, 143).
 *
 * <p>Why not a shutdown hook alone: once the JVM shuts down, every hook runs at once and the
 * program's own threads go on until it halts. ONNX Runtime's hook frees its native
 * environment while a scoring thread is inside the model (a segfault and a JVM crash
 * report), and the summary may or may not print. Caught here, the first signal only asks.
 *
 * <p>A second signal stops at once: {@code beforeHalt} runs (it commits what arrived) and the
 * JVM halts with that signal's status, skipping the shutdown hooks, as {@code kill -9} would
 * (which the run store survives; at most the calls in flight are repeated by a rerun).
 *
 * <p>Where the JVM does not let the signals be caught ({@code -Xrs}), nothing is installed
 * and the caller's shutdown hook is the only safeguard, as before.
 */
public final class StopSignal implements AutoCloseable {

    private static final String[] NAMES = {"INT", "TERM"};

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicLong receivedAt = new AtomicLong();

    private StopSignal() {
    }

    /**
     * Catches SIGINT and SIGTERM until {@link #close()}.
     *
     * @param onStop     runs on the first signal, on the signal's thread: ask the work to stop
     * @param beforeHalt runs on a second signal before the JVM halts: save what can be saved, briefly
     */
    public static StopSignal install(Runnable onStop, Runnable beforeHalt) {
        StopSignal s = new StopSignal();
        for (String name : NAMES) {
            try {
                Signal signal = new Signal(name);
                s.previous.put(signal, Signal.handle(signal, caught -> s.caught(caught, onStop, beforeHalt)));
            } catch (IllegalArgumentException | UnsupportedOperationException notHere) {
                // not catchable in this JVM or on this system: the shutdown hook is left
            }
        }
        return s;
    }

    private void caught(Signal signal, Runnable onStop, Runnable beforeHalt) {
        if (receivedAt.compareAndSet(0, System.nanoTime() | 1)) {
            received.set(signal.getNumber());
            onStop.run();
            return;
        }
        try {
            beforeHalt.run();
        } catch (RuntimeException e) {
            // halting anyway: the store survives, the rerun resends what was not committed
        } finally {
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
    }

    /** Whether any signal is caught (none where the JVM keeps them, {@code -Xrs}). */
    public boolean catching() {
        return !previous.isEmpty();
    }

    /** The number of the first signal caught (2 SIGINT, 15 SIGTERM), or 0. */
    public int received() {
        return received.get();
    }

    /** Nanoseconds since the first signal, or -1 when none was caught. */
    public long nanosSinceStop() {
        long at = receivedAt.get();
        return at == 0 ? -1 : System.nanoTime() - at;
    }

    /** Gives the signals back to whoever handled them before (the JVM: shut down). */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
        previous.clear();
    }
}
