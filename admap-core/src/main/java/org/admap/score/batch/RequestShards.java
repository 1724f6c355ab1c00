package org.admap.score.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.internal.score.PendingTasks;
import org.admap.internal.store.RunStore;
import org.admap.score.ScoreTask;
import org.admap.score.Usage;

/**
 * Writes the pending tasks of a run as request lines, in files of at most so many lines and
 * bytes (the Batch API's limits), within a {@link CostBudget} at batch prices (half the live
 * estimate). In a dry run it counts the requests and their cost and writes nothing.
 */
final class RequestShards {

    /** One request file being written. */
    static final class RequestFile {
        final Path path;
        final OutputStream out;
        int lines;
        long bytes;

        RequestFile(Path path) throws IOException {
            this.path = path;
            this.out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        }
    }

    /** What was written: the files, the requests in them, and whether the budget cut them short. */
    static final class Selection {
        final List<RequestFile> files = new ArrayList<>();
        long requests;
        boolean budgetHit;
        Usage estimate = Usage.NONE;
    }

    /** Signals the end of the item stream early. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private final RunStore store;
    private final BatchableScorer scorer;
    private final String source;
    private final BatchFolder folder;
    private final int maxRequestsPerFile;
    private final long maxBytesPerFile;
    private final double maxCostUsd;
    private final boolean dryRun;

    RequestShards(RunStore store, BatchableScorer scorer, String source, BatchFolder folder,
                  BatchScoring.Options options) {
        this.store = store;
        this.scorer = scorer;
        this.source = source;
        this.folder = folder;
        this.maxRequestsPerFile = options.maxRequestsPerFile();
        this.maxBytesPerFile = options.maxBytesPerFile();
        this.maxCostUsd = options.maxCostUsd();
        this.dryRun = options.dryRun();
    }

    /** Writes the pending tasks as request files (counts them only, in a dry run). */
    Selection select(PendingTasks pending, String fingerprint) throws IOException {
        Selection s = new Selection();
        if (!dryRun) {
            Files.createDirectories(folder.path());
            folder.deleteUnsubmitted(source);
        }
        String endpoint = scorer.batchEndpoint();
        CostBudget budget = new CostBudget(maxCostUsd);
        RequestFile[] current = {null};
        try {
            store.forEachItem(RunStore.INPUT, null, keyed -> {
                for (ScoreTask task : pending.of(keyed)) {
                    Usage full = scorer.estimate(task);
                    Usage half = new Usage(full.tokensIn(), full.tokensOut(), full.costUsd() / 2);
                    if (!budget.admit(half.costUsd())) {
                        s.budgetHit = true;
                        throw new Stop();
                    }
                    s.estimate = s.estimate.plus(half);
                    s.requests++;
                    if (dryRun) {
                        continue;
                    }
                    try {
                        write(task, fingerprint, endpoint, s, current);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        } catch (Stop stopped) {
            // the budget is reached
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            if (current[0] != null) {
                current[0].out.close();
            }
        }
        return s;
    }

    /** The number of files {@code requests} lines need by count alone (a dry run does not know the bytes). */
    int filesFor(long requests) {
        return (int) ((requests + maxRequestsPerFile - 1) / maxRequestsPerFile);
    }

    private void write(ScoreTask task, String fingerprint, String endpoint, Selection s, RequestFile[] current)
            throws IOException {
        ObjectNode line = BatchApi.JSON.createObjectNode();
        line.put("custom_id", CustomId.of(fingerprint, task).toString());
        line.put("method", "POST");
        line.put("url", endpoint);
        line.set("body", scorer.batchRequest(task));
        byte[] bytes = BatchApi.JSON.writeValueAsBytes(line);
        if (bytes.length + 1 > maxBytesPerFile) {
            throw new IllegalArgumentException("the request for instruction " + task.itemId() + " takes "
                    + bytes.length + " bytes, more than a batch file may hold (" + maxBytesPerFile + ")");
        }
        RequestFile f = current[0];
        if (f == null || f.lines >= maxRequestsPerFile || f.bytes + bytes.length + 1 > maxBytesPerFile) {
            if (f != null) {
                f.out.close();
            }
            f = new RequestFile(folder.unsubmitted(source, s.files.size() + 1));
            current[0] = f;
            s.files.add(f);
        }
        f.out.write(bytes);
        f.out.write('\n');
        f.lines++;
        f.bytes += bytes.length + 1;
    }
}
