package org.admap.score.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.admap.Progress;
import org.admap.internal.score.PendingTasks;
import org.admap.internal.score.http.ApiException;
import org.admap.internal.store.BatchLog;

/**
 * Follows open batches: polls each, records what the poll said in the {@link BatchLog}, shows
 * progress, and hands each batch that has ended to the {@link BatchImporter}.
 */
final class BatchPoller {

    private final BatchApi api;
    private final BatchImporter importer;
    private final String source;
    private final Duration pollInterval;
    private final Progress.Factory progress;
    private final List<String> notes;
    private final Consumer<String> events;

    BatchPoller(BatchApi api, BatchImporter importer, String source, Duration pollInterval, Progress.Factory progress,
                List<String> notes, Consumer<String> events) {
        this.api = api;
        this.importer = importer;
        this.source = source;
        this.pollInterval = pollInterval;
        this.progress = progress;
        this.notes = notes;
        this.events = events;
    }

    /**
     * Polls the open batches and imports each that has ended; with {@code untilDone}, polls
     * every poll interval until none is open, else once. Imported batches leave the list.
     */
    void follow(List<TrackedBatch> open, PendingTasks pending, BatchLog log, ScoreRowBuffer rows, BatchTotals totals,
                boolean untilDone) throws ApiException, InterruptedException, IOException {
        long total = open.stream().mapToLong(t -> t.entry.requestCount()).sum();
        long finished = 0;
        if (untilDone && open.stream().anyMatch(t -> !t.entry.terminal())) {
            events.accept(String.format(Locale.ROOT, "waiting for %d batch%s (%s), polling every %s s; Ctrl-C is"
                            + " safe: the next 'score --batch' resumes %s", open.size(), open.size() == 1 ? "" : "es",
                    open.stream().map(t -> t.entry.batchId()).collect(Collectors.joining(", ")),
                    BigDecimal.valueOf(pollInterval.toMillis(), 3).stripTrailingZeros()
                            .toPlainString(), open.size() == 1 ? "it" : "them"));
        }
        try (Progress bar = progress.start("Batch API (" + source + ")", total, "requests")) {
            while (true) {
                for (Iterator<TrackedBatch> it = open.iterator(); it.hasNext(); ) {
                    TrackedBatch t = it.next();
                    if (!t.entry.terminal()) {
                        poll(t, log);
                    }
                    if (t.entry.terminal()) {
                        importer.importBatch(t.entry, pending, log, rows, totals);
                        finished += t.entry.requestCount();
                        it.remove();
                    }
                }
                bar.advanceTo(finished + open.stream().mapToLong(t -> t.done).sum());
                bar.status(open.isEmpty() ? "done" : open.stream()
                        .collect(Collectors.groupingBy(t -> t.entry.status(), TreeMap::new, Collectors.counting()))
                        .entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", ")));
                if (open.isEmpty() || !untilDone) {
                    return;
                }
                Thread.sleep(pollInterval.toMillis());
            }
        }
    }

    private void poll(TrackedBatch t, BatchLog log) throws ApiException, InterruptedException {
        JsonNode batch = api.retrieve(t.entry.batchId());
        String status = batch.path("status").asText(t.entry.status());
        String output = BatchApi.fileId(batch.path("output_file_id"));
        String error = BatchApi.fileId(batch.path("error_file_id"));
        JsonNode counts = batch.path("request_counts");
        t.done = counts.path("completed").asLong(0) + counts.path("failed").asLong(0);
        log.update(t.entry.batchId(), status, output, error);
        BatchLog.Entry e = t.entry;
        t.entry = new BatchLog.Entry(e.batchId(), e.source(), e.fingerprint(), e.inputFileId(), status,
                e.requestCount(), output != null ? output : e.outputFileId(), error != null ? error : e.errorFileId(),
                e.imported(), e.created(), Instant.now());
        if ("failed".equals(status)) {
            JsonNode first = batch.path("errors").path("data").path(0);
            if (!first.isMissingNode()) {
                notes.add("batch " + e.batchId() + " failed: " + first.path("message").asText(first.toString())
                        + (first.path("line").isNumber() ? " (line " + first.path("line").asInt() + ")" : ""));
            }
        }
    }
}
