package org.admap.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.admap.Progress;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.StoreBusyException;
import org.admap.internal.store.StoreException;
import org.admap.run.Run;

/**
 * The viewer's connections to the run store. The store is opened for the first of a burst of
 * requests and closed when the last request in progress ends (not after each: opening it
 * costs far more than most answers), so other admap commands (a {@code select} in another
 * terminal) can use the run while the viewer is idle. Reads run at the same time, each on a
 * connection of its own (a duplicate of the first); changes take turns on the first.
 *
 * <p>A scanned run has no store yet: the first request that needs one (a review, an export)
 * builds it, by the full ingest, saying so first; the build is crash-safe (a kill leaves the
 * run as it was, {@link Run#openStore}), and meanwhile the rest of the viewer keeps serving
 * from the columns.
 */
final class StoreConnections {

    private final RunDirectory run;
    private final Progress.Factory progress;
    private final Consumer<String> notices;
    /**
     * Requests use the store under the read lock, at the same time (each on its own
     * connection); closing the store (end of a burst, an export) takes the write lock, so it
     * waits for every request using it.
     */
    private final ReentrantReadWriteLock use = new ReentrantReadWriteLock();
    /** Changes to the store (a review) and map reloads take turns on the first connection. */
    private final ReentrantLock changes = new ReentrantLock(true);
    private final Object opening = new Object();
    private volatile RunStore first; // opened under opening, closed under use's write lock
    /** Idle duplicates of {@link #first}: one per request that reads at the same time. */
    private final ConcurrentLinkedDeque<RunStore> readers = new ConcurrentLinkedDeque<>();
    /** Requests being handled: the store is closed when the last of a burst ends. */
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong openings = new AtomicLong();

    /**
     * @param progress where building a scanned run's store reports
     * @param notices  a line for the person running the viewer (the store being built)
     */
    StoreConnections(RunDirectory run, Progress.Factory progress, Consumer<String> notices) {
        this.run = run;
        this.progress = progress;
        this.notices = notices;
    }

    /** A request begins. */
    void begin() {
        active.incrementAndGet();
    }

    /** A request ends: the last of a burst closes the store. */
    void end() {
        if (active.decrementAndGet() == 0) {
            closeIfIdle();
        }
    }

    /** How often the store was opened. */
    long openings() {
        return openings.get();
    }

    /** Whether a connection is open now. */
    boolean holds() {
        use.writeLock().lock();
        try {
            return first != null;
        } finally {
            use.writeLock().unlock();
        }
    }

    /** Runs {@code work} on the first connection, one at a time (changes, map reloads). */
    <T> T withStore(Function<RunStore, T> work) {
        use.readLock().lock();
        try {
            changes.lock();
            try {
                return work.apply(primary());
            } catch (RuntimeException e) {
                dropPrimary(); // a failed store is opened afresh by the next request
                throw e;
            } finally {
                changes.unlock();
            }
        } finally {
            use.readLock().unlock(); // closed by closeIfIdle when no request is in progress
        }
    }

    /**
     * Runs read-only {@code work} on a connection of its own (a duplicate of the first), so
     * item lookups, searches and review reads of concurrent requests do not take turns.
     */
    <T> T withReadStore(Function<RunStore, T> work) {
        use.readLock().lock();
        try {
            RunStore reader = readers.pollFirst();
            if (reader == null) {
                RunStore s = primary();
                synchronized (opening) {
                    reader = s.duplicate();
                }
            }
            T result;
            try {
                result = work.apply(reader);
            } catch (RuntimeException e) {
                reader.close(); // not handed to the next request
                throw e;
            }
            readers.addFirst(reader);
            return result;
        } finally {
            use.readLock().unlock();
        }
    }

    /** Work that opens the store itself (an export): waits for the requests using it, with the store closed. */
    <T> T withStoreClosed(StoreWork<T> work) throws IOException {
        withStore(s -> null); // a scanned run's store is built first
        use.writeLock().lock();
        try {
            close();
            return work.run();
        } finally {
            use.writeLock().unlock();
        }
    }

    /** Work on the run that may fail with an IOException. */
    @FunctionalInterface
    interface StoreWork<T> {
        T run() throws IOException;
    }

    /** Closes the store when no request is in progress (the end of a burst, or outside any request). */
    void closeIfIdle() {
        use.writeLock().lock();
        try {
            if (active.get() == 0) {
                close();
            }
        } finally {
            use.writeLock().unlock();
        }
    }

    /** Closes a failed first connection (under {@link #changes}); its duplicates keep the database open. */
    private void dropPrimary() {
        synchronized (opening) {
            RunStore s = first;
            if (s != null) {
                first = null;
                s.close();
            }
        }
    }

    /** The first connection, opened when a burst begins; call under use's read lock. */
    private RunStore primary() {
        RunStore s = first;
        if (s != null) {
            return s;
        }
        synchronized (opening) {
            if (first == null) {
                first = open();
            }
            return first;
        }
    }

    /** Closes every connection; call under use's write lock (no request is using one). */
    private void close() {
        RuntimeException failure = null;
        for (RunStore r; (r = readers.pollFirst()) != null; ) {
            try {
                r.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (first != null) {
            RunStore s = first;
            first = null;
            s.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Opens the run store, building a scanned run's first; waits a little when another process has it. */
    private RunStore open() {
        if (!Files.isRegularFile(run.store()) && Files.isRegularFile(run.deferredStore())) {
            build();
        }
        StoreBusyException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            RunStore store;
            try {
                store = RunStore.open(run.store());
                openings.incrementAndGet();
            } catch (StoreBusyException e) {
                last = e;
                sleep(250);
                continue;
            }
            return store;
        }
        throw new StoreException(last.getMessage() + "; try again in a moment", last);
    }

    /** Builds a scanned run's store (the full ingest of its inputs, once), saying so. */
    private void build() {
        notices.accept("admap serve: building the run store of " + run.dir() + " for reviews and exports (the full"
                + " ingest of its inputs, once; the map stays served meanwhile)...");
        long start = System.nanoTime();
        try {
            Run.openDeferred(run.dir(), progress).openStore().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        notices.accept(String.format(java.util.Locale.ROOT, "admap serve: run store built in %.1f s",
                (System.nanoTime() - start) / 1e9));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
