package org.admap.score;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
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
        BlockingQueue<ScoreWriter.Row> results = new LinkedBlockingQueue<>();
        Map<String, List<long[]>> followers = new ConcurrentHashMap<>();
        Map<String, Boolean> leaders = new HashMap<>();
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
                    List<ScoreTask> tasks = tasksOf(keyed, state, fingerprint, config, c, results, followers, leaders);
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
                            try {
                                List<ScoreOutcome> outcomes = scorer.score(task);
                                for (ScoreOutcome o : outcomes) {
                                    spent += o.usage().costUsd();
                                    emit(task, o, fingerprint, config, results, followers);
                                }
                            } catch (ScoringAbortedException e) {
                                abort.compareAndSet(null, e.getMessage());
                                stop.set(true);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (RuntimeException e) {
                                // A scorer bug must not lose the run: record it on the task's responses.
                                for (ScoreTask.Target t : task.responses()) {
                                    emit(task, ScoreOutcome.failed(t.position(), "scorer error: " + e, null,
                                            Usage.NONE, 0, 1), fingerprint, config, results, followers);
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
                                    Counters c, BlockingQueue<ScoreWriter.Row> results,
                                    Map<String, List<long[]>> followers, Map<String, Boolean> leaders) {
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
                    results.add(row(keyed.key(), pos, fingerprint, promptHash, hash, cached, null,
                            "copied: identical instruction and response scored before", Usage.NONE, 0, 0, null,
                            config));
                }
                continue;
            }
            String contentKey = promptHash + ":" + hash;
            if (leaders.putIfAbsent(contentKey, Boolean.TRUE) != null) {
                // The same instruction and text is already on its way: take its result when it comes.
                c.cached.incrementAndGet();
                followers.computeIfAbsent(contentKey, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(new long[] {keyed.key(), pos});
                continue;
            }
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

    private void emit(ScoreTask task, ScoreOutcome o, String fingerprint, ScorerConfig config,
                      BlockingQueue<ScoreWriter.Row> results, Map<String, List<long[]>> followers) {
        ScoreTask.Target target = task.responses().stream().filter(t -> t.position() == o.position()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the scorer answered for a response it was not given"));
        results.add(row(task.itemKey(), o.position(), fingerprint, task.promptHash(), target.hash(), o.value(),
                o.error(), o.rawOutput(), o.usage(), o.latencyMs(), o.attempts(), o.callOrder(), config));
        o.aspects().forEach((aspect, value) -> results.add(aspectRow(task.itemKey(), o.position(), aspect, fingerprint,
                task.promptHash(), target.hash(), value, config)));
        List<long[]> waiting = followers.remove(task.promptHash() + ":" + target.hash());
        if (waiting != null) {
            for (long[] f : waiting) {
                results.add(row((int) f[0], (int) f[1], fingerprint, task.promptHash(), target.hash(), o.value(),
                        o.error(), o.isOk() ? "copied: identical instruction and response scored in this run"
                                : o.rawOutput(), Usage.NONE, 0, 0, o.callOrder(), config));
            }
        }
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
        private final BlockingQueue<ScoreWriter.Row> queue;
        private final Counters c;
        private final AtomicBoolean done = new AtomicBoolean();
        private Thread thread;
        private volatile Throwable failure;

        Writer(BlockingQueue<ScoreWriter.Row> queue, Counters c) {
            this.queue = queue;
            this.c = c;
        }

        void start(Progress bar) {
            ScoreWriter out = store.openScoreWriter();
            long[] written = {0};
            thread = new Thread(() -> {
                try (out) {
                    List<ScoreWriter.Row> batch = new ArrayList<>();
                    while (!(done.get() && queue.isEmpty())) {
                        ScoreWriter.Row first = queue.poll(100, TimeUnit.MILLISECONDS);
                        if (first == null) {
                            continue;
                        }
                        batch.add(first);
                        queue.drainTo(batch, 999);
                        out.write(batch);
                        for (ScoreWriter.Row r : batch) {
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
