package org.admap.internal.score;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.admap.Progress;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreWriter;
import org.admap.internal.store.StoreException;
import org.admap.score.CalibratedScorer;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.Scorer;
import org.admap.score.ScoringAbortedException;
import org.admap.score.ScoringOptions;
import org.admap.score.ScoringReport;
import org.admap.score.Usage;

/**
 * Scores every response of a run that has no score yet from one source, concurrently, and
 * stores each result the moment it arrives. What is pending and how results become rows is
 * {@link PendingTasks}' business, shared with the Batch API path.
 *
 * <ul>
 *   <li><b>No call twice.</b> A response already scored under the source is skipped; one
 *       whose instruction and text were scored under the same configuration anywhere in the
 *       run (a duplicate) gets that score copied; duplicates within one run wait for the
 *       first call. After a crash, {@code kill -9} or Ctrl-C, a rerun sends only what has no
 *       stored result: at most the calls in flight at the kill are repeated.</li>
 *   <li><b>Nothing lost.</b> Results go to a writer thread that commits them in small
 *       transactions. On Ctrl-C or SIGTERM ({@link StopSignal}) no new call starts, the calls in
 *       flight finish (interrupted after {@link #IN_FLIGHT_AFTER_SIGNAL}), their results are
 *       committed and {@link #run()} returns an interrupted report naming the signal; when
 *       the JVM shuts down otherwise, a shutdown hook lets the writer finish what has arrived.</li>
 *   <li><b>Concurrency and budget.</b> {@code concurrency} calls in flight; before each
 *       call the estimated cost is reserved, and no call starts that could take the spend
 *       past {@code maxCostUsd}.</li>
 * </ul>
 */
public final class ScoringJob {

    private final RunStore store;
    private final Scorer scorer;
    private final String source;
    private final ScoringOptions options;
    private final Progress.Factory progress;

    /** How long the calls in flight may go on after Ctrl-C or SIGTERM before they are interrupted. */
    public static final Duration IN_FLIGHT_AFTER_SIGNAL = Duration.ofSeconds(20);

    private final java.util.BitSet items;

    public ScoringJob(RunStore store, Scorer scorer, String source, ScoringOptions options, Progress.Factory progress) {
        this(store, scorer, source, options, progress, null);
    }

    /**
     * A job over the items whose keys are set in {@code items} only (null: all items), as
     * {@code score --adaptive} runs its rounds.
     */
    public ScoringJob(RunStore store, Scorer scorer, String source, ScoringOptions options, Progress.Factory progress,
                      java.util.BitSet items) {
        this.store = store;
        this.scorer = scorer;
        this.source = source;
        this.options = options;
        this.progress = progress;
        this.items = items;
    }

    /** Signals the end of the item stream early. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    public ScoringReport run() throws InterruptedException {
        long start = System.nanoTime();
        BlockingQueue<Queued> results = new LinkedBlockingQueue<>();
        // Rows emitted on a scoring thread carry a future that the thread waits on (see below).
        ThreadLocal<List<CompletableFuture<Void>>> awaiting = new ThreadLocal<>();
        PendingTasks pending = PendingTasks.prepare(store, scorer, source, options.retryFailed(), options.dryRun(),
                options.reuseAcrossEndpoints(),
                row -> {
                    List<CompletableFuture<Void>> mine = awaiting.get();
                    CompletableFuture<Void> stored = mine == null ? null : new CompletableFuture<>();
                    if (mine != null) {
                        mine.add(stored);
                    }
                    results.add(new Queued(row, stored));
                });
        long total = items != null ? -1 : scorer.judgmentsToScore(store, source, options.retryFailed());
        if (scorer instanceof CalibratedScorer calibrated && !options.dryRun()) {
            calibrated.calibration().record(store, source);
        }

        Counters c = new Counters();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> abort = new AtomicReference<>();
        AtomicBoolean budgetHit = new AtomicBoolean();
        Budget budget = new Budget(options.maxCostUsd());
        Semaphore slots = new Semaphore(options.concurrency());
        ExecutorService pool = Executors.newFixedThreadPool(options.concurrency(), r -> {
            Thread t = new Thread(r, "admap-scorer");
            t.setDaemon(true);
            return t;
        });
        Writer writer = options.dryRun() ? null : new Writer(results, c, () -> {
            // Nothing more can be stored: stop at once; calls in flight would be paid for and lost.
            stop.set(true);
        });
        Runnable stopNow = () -> {
            stop.set(true);
            c.interrupted.set(true);
            if (writer != null) {
                writer.finish(Duration.ofSeconds(10));
            }
        };
        Thread hook = new Thread(stopNow, "admap-scoring-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // Ctrl-C or SIGTERM: the pass ends as at the end of the data, the calls in flight first.
        StopSignal signals = StopSignal.install(() -> {
            stop.set(true);
            c.interrupted.set(true);
        }, stopNow);
        RuntimeException failure = null;

        try (Progress bar = progress.start("scoring (" + source + ")", total,
                scorer.samples() > 1 ? "judgments" : "responses")) {
            if (writer != null) {
                writer.start(bar);
            }
            try {
                store.forEachItem(RunStore.INPUT, items, keyed -> {
                    if (stop.get()) {
                        throw new Stop();
                    }
                    List<ScoreTask> tasks = pending.of(keyed);
                    for (ScoreTask task : tasks) {
                        Usage estimate = scorer.estimate(task);
                        if (options.dryRun()) {
                            c.calls.incrementAndGet();
                            c.add(estimate);
                            continue;
                        }
                        if (!budget.reserve(estimate.costUsd())) {
                            budgetHit.set(true);
                            stop.set(true);
                            throw new Stop();
                        }
                        try {
                            slots.acquire();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new Stop();
                        }
                        if (stop.get()) {
                            slots.release();
                            budget.release(estimate.costUsd(), 0);
                            throw new Stop();
                        }
                        c.calls.incrementAndGet();
                        pool.execute(() -> {
                            double spent = 0;
                            List<CompletableFuture<Void>> stored = new ArrayList<>();
                            awaiting.set(stored);
                            try {
                                List<ScoreOutcome> outcomes = scorer.score(task);
                                for (ScoreOutcome o : outcomes) {
                                    spent += o.usage().costUsd();
                                    pending.emit(task, o);
                                }
                                // A call counts as in flight until its result is committed: the slot is
                                // held until then, so a kill repeats at most `concurrency` calls.
                                if (writer != null) {
                                    writer.await(CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)));
                                }
                            } catch (ScoringAbortedException e) {
                                abort.compareAndSet(null, e.getMessage());
                                stop.set(true);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (java.util.concurrent.ExecutionException e) {
                                stop.set(true); // the writer failed: it reports why
                            } catch (RuntimeException e) {
                                // A scorer bug must not lose the run: record it on the task's responses.
                                for (ScoreTask.Target t : task.responses()) {
                                    pending.emit(task, ScoreOutcome.failed(t.position(), "scorer error: " + e, null,
                                            Usage.NONE, 0, 1));
                                }
                            } catch (Error e) {
                                // Out of memory, or worse: nothing more can be relied on, so the run ends
                                // cleanly (what is stored stays) rather than losing calls in silence.
                                abort.compareAndSet(null, "scoring stopped: " + e
                                        + (e instanceof OutOfMemoryError ? " (lower --concurrency or"
                                                + " --max-response-mb, or give Java more memory)" : ""));
                                stop.set(true);
                            } finally {
                                awaiting.remove();
                                budget.release(estimate.costUsd(), spent);
                                slots.release();
                            }
                        });
                    }
                });
            } catch (Stop stopped) {
                // an early end: budget, abort or interrupt
            } catch (RuntimeException e) {
                // Reading the store or estimating failed: the calls already made are paid for, so they
                // finish and are stored before the error is reported, and no thread is left behind.
                failure = e;
                stop.set(true);
            }
            // An interrupt (a library user's Ctrl-C) stops the feeding only: the calls in flight still
            // finish and are stored before run() ends (then with InterruptedException), as on a signal.
            // Waiting with the flag set threw at once and left the writer storing results after run()
            // had ended, under a rerun's feet (it then counted some responses as neither stored nor scored).
            boolean interrupted = Thread.interrupted();
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                // in-flight calls finish (or time out) on their own, unless nothing can store their results
                // or a signal asked to stop a while ago (a call waiting out a rate limit is interrupted)
                boolean waitedEnough = signals.nanosSinceStop() > IN_FLIGHT_AFTER_SIGNAL.toNanos();
                if ((writer != null && writer.failed()) || waitedEnough) {
                    pool.shutdownNow();
                }
            }
            if (writer != null) {
                writer.finish(Duration.ofMinutes(5));
            }
            if (interrupted) {
                throw new InterruptedException("scoring (" + source + ") interrupted: the calls in flight are stored");
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            signals.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
            pool.shutdownNow();
        }
        return new ScoringReport(source, c.scored.get(), c.failed.get(), pending.alreadyScored(),
                pending.previouslyFailed(), pending.cached(), c.calls.get(), c.usage(), budgetHit.get(), abort.get(),
                        c.interrupted.get(),
                Duration.ofNanos(System.nanoTime() - start), signals.received());
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }

    /** A row waiting for the writer, and the future its scoring thread waits on (or null). */
    private record Queued(ScoreWriter.Row row, CompletableFuture<Void> stored) {
    }

    /** Running totals, shared by the threads. */
    private static final class Counters {
        final AtomicLong scored = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong calls = new AtomicLong();
        final AtomicLong tokensIn = new AtomicLong();
        final AtomicLong tokensOut = new AtomicLong();
        final AtomicLong microDollars = new AtomicLong();
        final AtomicBoolean interrupted = new AtomicBoolean();

        void add(Usage u) {
            tokensIn.addAndGet(u.tokensIn());
            tokensOut.addAndGet(u.tokensOut());
            microDollars.addAndGet(Math.round(u.costUsd() * 1e6));
        }

        Usage usage() {
            return new Usage(tokensIn.get(), tokensOut.get(), microDollars.get() / 1e6);
        }
    }

    /** The thread that stores results. */
    private final class Writer {
        private final BlockingQueue<Queued> queue;
        private final Counters c;
        private final AtomicBoolean done = new AtomicBoolean();
        private Thread thread;
        private volatile Throwable failure;

        private final Runnable onFailure;

        Writer(BlockingQueue<Queued> queue, Counters c, Runnable onFailure) {
            this.queue = queue;
            this.c = c;
            this.onFailure = onFailure;
        }

        boolean failed() {
            return failure != null;
        }

        /** Spend and failures so far, and what the calls wait for, if anything. */
        private String status() {
            String spend = String.format(Locale.ROOT, "$%.4f, %,d+%,d tokens, %d failed",
                    c.microDollars.get() / 1e6, c.tokensIn.get(), c.tokensOut.get(), c.failed.get());
            return scorer.waiting().map(w -> spend + "; " + w).orElse(spend);
        }

        /**
         * Waits until rows are committed, or the writer has failed (then at once: a dead
         * writer never commits them).
         *
         * @throws java.util.concurrent.ExecutionException when the rows will not be stored
         */
        void await(CompletableFuture<Void> rows) throws InterruptedException, java.util.concurrent.ExecutionException {
            while (true) {
                try {
                    rows.get(200, TimeUnit.MILLISECONDS);
                    return;
                } catch (java.util.concurrent.TimeoutException notYet) {
                    Throwable f = failure;
                    if (f != null) {
                        throw new java.util.concurrent.ExecutionException(f);
                    }
                }
            }
        }

        void start(Progress bar) {
            ScoreWriter out = store.openScoreWriter();
            long[] written = {0};
            long[] shown = {System.nanoTime()};
            thread = new Thread(() -> {
                try (out) {
                    List<Queued> batch = new ArrayList<>();
                    while (!(done.get() && queue.isEmpty())) {
                        Queued first = queue.poll(100, TimeUnit.MILLISECONDS);
                        if (first == null) {
                            if (System.nanoTime() - shown[0] > 1_000_000_000L) {
                                bar.status(status()); // a pause's countdown, while nothing arrives
                                shown[0] = System.nanoTime();
                            }
                            continue;
                        }
                        batch.add(first);
                        queue.drainTo(batch, 999);
                        try {
                            out.write(batch.stream().map(Queued::row).toList());
                        } catch (RuntimeException e) {
                            batch.forEach(q -> {
                                if (q.stored() != null) {
                                    q.stored().completeExceptionally(e);
                                }
                            });
                            throw e;
                        }
                        batch.forEach(q -> {
                            if (q.stored() != null) {
                                q.stored().complete(null);
                            }
                        });
                        for (ScoreWriter.Row r : batch.stream().map(Queued::row).toList()) {
                            if (!r.source().equals(source)) {
                                continue; // aspect rows count with their main row
                            }
                            written[0]++;
                            if (r.rawOutput() != null && r.rawOutput().startsWith("copied:")) {
                                continue;
                            }
                            if (r.ok()) {
                                c.scored.incrementAndGet();
                            } else {
                                c.failed.incrementAndGet();
                            }
                            c.add(new Usage(r.tokensIn(), r.tokensOut(), r.costUsd()));
                        }
                        batch.clear();
                        bar.advanceTo(written[0]);
                        bar.status(status());
                        shown[0] = System.nanoTime();
                    }
                } catch (Throwable t) {
                    failure = t;
                    onFailure.run();
                    for (Queued q; (q = queue.poll()) != null; ) {
                        if (q.stored() != null) {
                            q.stored().completeExceptionally(t);
                        }
                    }
                }
            }, "admap-score-writer");
            thread.start();
        }

        void finish(Duration limit) {
            done.set(true);
            try {
                thread.join(limit.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw new StoreException("storing scores failed, so scoring stopped: " + oneLine(failure)
                        + "; the scores stored before it are kept: run the same command again once it is fixed",
                        failure);
            }
        }
    }
}
