package org.admap.score;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.admap.Progress;
import org.admap.model.Item;
import org.admap.model.Response;
import org.admap.model.TextHash;
import org.admap.store.KeyedItem;
import org.admap.store.RunStore;
import org.admap.store.ScoreSourceInfo;
import org.admap.store.ScoreState;
import org.admap.store.ScoreWriter;

/**
 * Scores every response of a run that has no score yet from one source, concurrently, and
 * stores each result the moment it arrives.
 *
 * <ul>
 *   <li><b>No call twice.</b> A response already scored under the source is skipped; one
 *       whose instruction and text were scored under the same configuration anywhere in the
 *       run (a duplicate) gets that score copied; duplicates within one run wait for the
 *       first call. After a crash, {@code kill -9} or Ctrl-C, a rerun sends only what has no
 *       stored result: at most the calls in flight at the kill are repeated.</li>
 *   <li><b>Nothing lost.</b> Results go to a writer thread that commits them in small
 *       transactions; on Ctrl-C a shutdown hook lets it finish what has arrived.</li>
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

    public ScoringJob(RunStore store, Scorer scorer, String source, ScoringOptions options, Progress.Factory progress) {
        this.store = store;
        this.scorer = scorer;
        this.source = source;
        this.options = options;
        this.progress = progress;
    }

    /** Signals the end of the item stream early. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    public ScoringReport run() throws InterruptedException {
        long start = System.nanoTime();
        ScorerConfig config = scorer.config();
        String fingerprint = config.fingerprint();
        checkSource(config, fingerprint);
        ScoreState state = store.loadScoreState(source, fingerprint);
        long total = store.responsesToScore(source, options.retryFailed());

        Counters c = new Counters();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> abort = new AtomicReference<>();
        AtomicBoolean budgetHit = new AtomicBoolean();
        Budget budget = new Budget(options.maxCostUsd());
        BlockingQueue<Queued> results = new LinkedBlockingQueue<>();
        Map<String, Leader> leaders = new ConcurrentHashMap<>();
        Semaphore slots = new Semaphore(options.concurrency());
        ExecutorService pool = Executors.newFixedThreadPool(options.concurrency(), r -> {
            Thread t = new Thread(r, "admap-scorer");
            t.setDaemon(true);
            return t;
        });
        Writer writer = options.dryRun() ? null : new Writer(results, c);
        Thread hook = new Thread(() -> {
            stop.set(true);
            c.interrupted.set(true);
            if (writer != null) {
                writer.finish(Duration.ofSeconds(10));
            }
        }, "admap-scoring-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        RuntimeException failure = null;

        try (Progress bar = progress.start("scoring (" + source + ")", total, "responses")) {
            if (writer != null) {
                writer.start(bar);
            }
            try {
                store.forEachItem(RunStore.INPUT, null, keyed -> {
                    if (stop.get()) {
                        throw new Stop();
                    }
                    List<ScoreTask> tasks = tasksOf(keyed, state, fingerprint, config, c, results, leaders);
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
                            try {
                                List<ScoreOutcome> outcomes = scorer.score(task);
                                for (ScoreOutcome o : outcomes) {
                                    spent += o.usage().costUsd();
                                    stored.add(emit(task, o, fingerprint, config, results, leaders));
                                }
                                // A call counts as in flight until its result is committed: the slot is
                                // held until then, so a kill repeats at most `concurrency` calls.
                                CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new))
                                        .get(5, TimeUnit.MINUTES);
                            } catch (ScoringAbortedException e) {
                                abort.compareAndSet(null, e.getMessage());
                                stop.set(true);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                                abort.compareAndSet(null, "storing scores failed: " + e.getMessage());
                                stop.set(true);
                            } catch (RuntimeException e) {
                                // A scorer bug must not lose the run: record it on the task's responses.
                                for (ScoreTask.Target t : task.responses()) {
                                    emit(task, ScoreOutcome.failed(t.position(), "scorer error: " + e, null,
                                            Usage.NONE, 0, 1), fingerprint, config, results, leaders);
                                }
                            } finally {
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
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                // in-flight calls finish (or time out) on their own
            }
            if (writer != null) {
                writer.finish(Duration.ofMinutes(5));
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
            pool.shutdownNow();
        }
        return new ScoringReport(source, c.scored.get(), c.failed.get(), c.already.get(), c.previouslyFailed.get(),
                c.cached.get(), c.calls.get(), c.usage(), budgetHit.get(), abort.get(), c.interrupted.get(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private void checkSource(ScorerConfig config, String fingerprint) {
        var existing = store.scoreSource(source);
        if (existing.isPresent() && !existing.get().fingerprint().equals(fingerprint)) {
            ScoreSourceInfo e = existing.get();
            throw new IllegalArgumentException("the score source '" + source + "' of this run was made with another"
                    + " configuration (" + e.kind() + ", model " + e.model() + ", prompt " + e.promptVersion() + ", "
                    + e.parameters() + "); give this one its own name with --name, or use the same options");
        }
        if (existing.isEmpty() && !options.dryRun()) {
            store.addScoreSource(new ScoreSourceInfo(source, config.kind(), fingerprint, config.endpoint(),
                    config.model(), config.promptVersion(), config.parametersText(), Instant.now()));
        }
        if (!options.dryRun()) {
            for (String aspect : scorer.aspectNames()) {
                String name = source + "." + aspect;
                if (store.scoreSource(name).isEmpty()) {
                    store.addScoreSource(new ScoreSourceInfo(name, config.kind() + "-aspect", fingerprint + "." + aspect,
                            config.endpoint(), config.model(), config.promptVersion(), config.parametersText(),
                            Instant.now()));
                }
            }
        }
    }

    /** The tasks of one item: what is pending, after skipping, copying and deduplicating. */
    private List<ScoreTask> tasksOf(KeyedItem keyed, ScoreState state, String fingerprint, ScorerConfig config,
                                    Counters c, BlockingQueue<Queued> results,
                                    Map<String, Leader> leaders) {
        Item item = keyed.item();
        String prompt = item.fullPrompt();
        String promptHash = TextHash.of(prompt);
        List<ScoreTask.Target> pending = new ArrayList<>();
        List<Response> rs = item.responses();
        for (int pos = 0; pos < rs.size(); pos++) {
            ScoreState.Status status = state.status(keyed.key(), pos);
            if (status == ScoreState.Status.OK) {
                c.already.incrementAndGet();
                continue;
            }
            if (status == ScoreState.Status.FAILED && !options.retryFailed()) {
                c.previouslyFailed.incrementAndGet();
                continue;
            }
            String text = rs.get(pos).text();
            String hash = TextHash.of(text);
            Double cached = state.cached(promptHash, hash);
            if (cached != null) {
                c.cached.incrementAndGet();
                if (!options.dryRun()) {
                    results.add(new Queued(row(keyed.key(), pos, fingerprint, promptHash, hash, cached, null,
                            "copied: identical instruction and response scored before", Usage.NONE, 0, 0, null,
                            config), null));
                }
                continue;
            }
            String contentKey = promptHash + ":" + hash;
            Leader leader = leaders.get(contentKey);
            if (leader != null) {
                // The same instruction and text was sent in this run: take its result.
                c.cached.incrementAndGet();
                ScoreWriter.Row copy = leader.follow(keyed.key(), pos);
                if (copy != null && !options.dryRun()) {
                    results.add(new Queued(copy, null));
                }
                continue;
            }
            leaders.put(contentKey, new Leader());
            pending.add(new ScoreTask.Target(pos, text, hash));
        }
        if (pending.isEmpty()) {
            return List.of();
        }
        if (scorer.wholeItems()) {
            return List.of(new ScoreTask(keyed.key(), item.id(), prompt, promptHash, item.reference(), pending));
        }
        List<ScoreTask> tasks = new ArrayList<>(pending.size());
        for (ScoreTask.Target t : pending) {
            tasks.add(new ScoreTask(keyed.key(), item.id(), prompt, promptHash, item.reference(), List.of(t)));
        }
        return tasks;
    }

    /** Queues an outcome's rows; the returned future completes when they are committed. */
    private CompletableFuture<Void> emit(ScoreTask task, ScoreOutcome o, String fingerprint, ScorerConfig config,
                                         BlockingQueue<Queued> results, Map<String, Leader> leaders) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        ScoreTask.Target target = task.responses().stream().filter(t -> t.position() == o.position()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the scorer answered for a response it was not given"));
        o.aspects().forEach((aspect, value) -> results.add(new Queued(aspectRow(task.itemKey(), o.position(), aspect,
                fingerprint, task.promptHash(), target.hash(), value, config), null)));
        results.add(new Queued(row(task.itemKey(), o.position(), fingerprint, task.promptHash(), target.hash(),
                o.value(), o.error(), o.rawOutput(), o.usage(), o.latencyMs(), o.attempts(), o.callOrder(), config),
                stored));
        Leader leader = leaders.get(task.promptHash() + ":" + target.hash());
        if (leader != null) {
            ScoreWriter.Row copy = row(0, 0, fingerprint, task.promptHash(), target.hash(), o.value(), o.error(),
                    o.isOk() ? "copied: identical instruction and response scored in this run" : o.rawOutput(),
                    Usage.NONE, 0, 0, o.callOrder(), config);
            for (ScoreWriter.Row r : leader.finish(copy)) {
                results.add(new Queued(r, null));
            }
        }
        return stored;
    }

    /**
     * The first call for an (instruction, response text) in this run and the identical
     * responses waiting for its result. Following and finishing are atomic with respect to
     * each other, so a follower arriving just after the result still gets it.
     */
    private static final class Leader {
        private final List<long[]> followers = new ArrayList<>();
        private ScoreWriter.Row result;

        /** Registers a follower; returns its row at once when the result is already in. */
        synchronized ScoreWriter.Row follow(int itemKey, int position) {
            if (result != null) {
                return at(result, itemKey, position);
            }
            followers.add(new long[] {itemKey, position});
            return null;
        }

        /** Records the result (a template row) and returns the rows of the followers so far. */
        synchronized List<ScoreWriter.Row> finish(ScoreWriter.Row template) {
            result = template;
            List<ScoreWriter.Row> rows = new ArrayList<>(followers.size());
            for (long[] f : followers) {
                rows.add(at(template, (int) f[0], (int) f[1]));
            }
            followers.clear();
            return rows;
        }

        private static ScoreWriter.Row at(ScoreWriter.Row t, int itemKey, int position) {
            return new ScoreWriter.Row(itemKey, position, t.source(), t.fingerprint(), t.promptHash(),
                    t.responseHash(), t.value(), t.error(), t.rawOutput(), 0, 0, 0, 0, 0, t.callOrder(), t.endpoint(),
                    t.model(), t.created());
        }
    }

    /** A row waiting for the writer, and who waits for it to be committed (or null). */
    private record Queued(ScoreWriter.Row row, CompletableFuture<Void> stored) {
    }

    private ScoreWriter.Row row(int itemKey, int position, String fingerprint, String promptHash, String responseHash,
                                double value, String error, String raw, Usage usage, long latency, int attempts,
                                String callOrder, ScorerConfig config) {
        return new ScoreWriter.Row(itemKey, position, source, fingerprint, promptHash, responseHash,
                error == null ? value : Double.NaN, error, raw, usage.tokensIn(), usage.tokensOut(), usage.costUsd(),
                latency, attempts, callOrder, config.endpoint(), config.model(), Instant.now());
    }

    /** Aspect sub-scores live in sources of their own ({@code judge.honesty}), made by the same call. */
    private ScoreWriter.Row aspectRow(int itemKey, int position, String aspect, String fingerprint, String promptHash,
                                      String responseHash, double value, ScorerConfig config) {
        String aspectSource = source + "." + aspect;
        return new ScoreWriter.Row(itemKey, position, aspectSource, fingerprint + "." + aspect, promptHash,
                responseHash, value, null, null, 0, 0, 0, 0, 0, null, config.endpoint(), config.model(), Instant.now());
    }

    /** Running totals, shared by the threads. */
    private static final class Counters {
        final AtomicLong scored = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong already = new AtomicLong();
        final AtomicLong previouslyFailed = new AtomicLong();
        final AtomicLong cached = new AtomicLong();
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

        Writer(BlockingQueue<Queued> queue, Counters c) {
            this.queue = queue;
            this.c = c;
        }

        void start(Progress bar) {
            ScoreWriter out = store.openScoreWriter();
            long[] written = {0};
            thread = new Thread(() -> {
                try (out) {
                    List<Queued> batch = new ArrayList<>();
                    while (!(done.get() && queue.isEmpty())) {
                        Queued first = queue.poll(100, TimeUnit.MILLISECONDS);
                        if (first == null) {
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
                        bar.status(String.format(Locale.ROOT, "$%.4f, %d failed", c.microDollars.get() / 1e6,
                                c.failed.get()));
                    }
                } catch (Throwable t) {
                    failure = t;
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
                throw new IllegalStateException("storing scores failed: " + failure.getMessage(), failure);
            }
        }
    }
}
