package org.admap.spark.score;

import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.admap.score.ScoreOutcome;
import org.admap.score.Scorer;
import org.admap.score.ScoringAbortedException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;

/**
 * Scores one partition's responses on an executor: a scorer with a client of its own,
 * {@code concurrency} calls in flight, the executor's share of the rate limit
 * ({@link ExecutorLimiters}), and every result appended to the store in chunks as it comes
 * ({@link ChunkWriter}). A problem that would fail every call (a rejected key, an unknown
 * model) fails the task with the scorer's message.
 */
final class PartitionScoring {

    /** Results written per chunk: what a task that dies can lose at most. */
    static final int CHUNK = 64;

    /** What one task did. */
    record Counts(long ok, long failed) implements Serializable {
    }

    private PartitionScoring() {
    }

    static Counts run(Iterator<ResponseTask> tasks, ScorerSpec spec, String fingerprint, String storeDir,
                      Configuration conf, int executors) throws IOException, InterruptedException {
        if (!tasks.hasNext()) {
            return new Counts(0, 0);
        }
        TaskContext context = TaskContext.get();
        String taskName = context == null ? "local" : "p" + context.partitionId() + "-a" + context.attemptNumber();
        Path dir = new Path(storeDir);
        FileSystem fs = dir.getFileSystem(conf);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        boolean retried = context != null && (context.attemptNumber() > 0 || context.stageAttemptNumber() > 0);
        Set<ResponseKey> committed = retried ? CommittedChunks.of(fs, dir, context.partitionId()) : Set.of();
        AtomicReference<RuntimeException> abort = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(spec.concurrency());
        Semaphore slots = new Semaphore(spec.concurrency());
        try (Scorer scorer = spec.create(ExecutorLimiters.get(spec, executors));
             ChunkWriter writer = new ChunkWriter(fs, dir, taskName, fingerprint, spec.name(), CHUNK)) {
            while (tasks.hasNext() && abort.get() == null) {
                ResponseTask task = tasks.next();
                if (committed.contains(task.key())) {
                    ok.incrementAndGet(); // scored by a dead attempt of this partition, and stored
                    continue;
                }
                slots.acquire();
                pool.execute(() -> {
                    try {
                        List<ScoreOutcome> outcomes = scorer.score(task.toScoreTask());
                        for (ScoreOutcome o : outcomes) {
                            writer.add(task, o);
                            (o.isOk() ? ok : failed).incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (ScoringAbortedException | java.io.UncheckedIOException e) {
                        abort.compareAndSet(null, e);
                    } finally {
                        slots.release();
                    }
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(7, TimeUnit.DAYS)) {
                throw new IllegalStateException("scoring did not finish");
            }
        } finally {
            pool.shutdownNow();
        }
        if (abort.get() != null) {
            throw new IllegalStateException("scoring stopped: " + abort.get().getMessage(), abort.get());
        }
        return new Counts(ok.get(), failed.get());
    }
}
