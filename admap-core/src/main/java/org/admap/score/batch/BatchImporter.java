package org.admap.score.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.admap.internal.score.PendingTasks;
import org.admap.internal.score.http.ApiException;
import org.admap.internal.store.BatchLog;
import org.admap.internal.store.KeyedItem;
import org.admap.internal.store.RunStore;
import org.admap.model.ImageRef;
import org.admap.model.Item;
import org.admap.model.TextHash;
import org.admap.model.Turn;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.Usage;

/**
 * Stores what a batch that has ended answered: its output and error files are downloaded,
 * each answer is parsed by the scorer ({@link BatchableScorer#batchOutcomes}) into scores of
 * the task its custom id names, a failed request becomes failed scores with its error, and
 * the batch is marked imported. Requests without an answer are pending again (counted in
 * {@link BatchTotals#leftPending}, and said in a note).
 */
final class BatchImporter {

    private final RunStore store;
    private final BatchableScorer scorer;
    private final BatchApi api;
    private final String baseUrl;
    private final BatchFolder folder;
    private final List<String> notes;
    private final Consumer<String> events;

    /** @param baseUrl the API's base URL: a stored score's endpoint is its batch's URL under it */
    BatchImporter(RunStore store, BatchableScorer scorer, BatchApi api, String baseUrl, BatchFolder folder,
                  List<String> notes, Consumer<String> events) {
        this.store = store;
        this.scorer = scorer;
        this.api = api;
        this.baseUrl = baseUrl;
        this.folder = folder;
        this.notes = notes;
        this.events = events;
    }

    /** Stores the answers of the ended batch {@code e} through {@code pending}, and marks it imported. */
    void importBatch(BatchLog.Entry e, PendingTasks pending, BatchLog log, ScoreRowBuffer rows, BatchTotals totals)
            throws ApiException, InterruptedException, IOException {
        Map<Integer, List<BatchAnswer>> byItem = new HashMap<>();
        long notRun = 0;
        long foreign = 0;
        for (String fileId : new String[] {e.outputFileId(), e.errorFileId()}) {
            if (fileId == null) {
                continue;
            }
            for (String line : api.content(fileId).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                BatchAnswer a = BatchAnswer.parse(line);
                if (a == null || !a.id().fingerprint().equals(e.fingerprint())) {
                    foreign++;
                } else if (a.notRun()) {
                    notRun++;
                } else {
                    byItem.computeIfAbsent(a.id().itemKey(), k -> new ArrayList<>()).add(a);
                }
            }
        }
        BitSet keys = new BitSet();
        byItem.keySet().forEach(keys::set);
        String endpoint = baseUrl + "/batches/" + e.batchId();
        long[] stored = {0};
        store.forEachItem(RunStore.INPUT, keys, keyed -> {
            for (BatchAnswer a : byItem.get(keyed.key())) {
                ScoreTask task = taskOf(keyed, a.id());
                if (task == null) {
                    notes.add("batch " + e.batchId() + ": " + a.id() + " names responses this run does not have;"
                            + " skipped");
                    continue;
                }
                for (ScoreOutcome o : outcomes(task, a)) {
                    pending.emit(task, o, endpoint);
                }
                stored[0]++;
            }
        });
        rows.flush();
        log.markImported(e.batchId());
        events.accept("batch " + e.batchId() + " " + e.status() + ": " + stored[0] + " answers imported");
        Files.deleteIfExists(folder.requestFile(e.batchId()));
        totals.imported++;
        long missing = Math.max(0, e.requestCount() - stored[0]);
        totals.leftPending += missing;
        if (missing > 0) {
            notes.add(String.format(Locale.ROOT, "batch %s ended %s: %,d of its %,d requests got no answer%s; their"
                            + " responses are pending again and go into a new batch (the next run of score --batch"
                            + " submits them)", e.batchId(),
                    e.status(), missing, e.requestCount(), notRun > 0 ? " (" + notRun + " not run before it ended)"
                            : ""));
        }
        if (foreign > 0) {
            notes.add("batch " + e.batchId() + ": " + foreign + " answer lines were not admap's requests of this"
                    + " configuration; skipped");
        }
    }

    private List<ScoreOutcome> outcomes(ScoreTask task, BatchAnswer a) {
        if (a.error() == null) {
            try {
                return scorer.batchOutcomes(task, a.body());
            } catch (RuntimeException ex) {
                return failAll(task, "scorer error: " + ex, a.raw());
            }
        }
        return failAll(task, "batch request failed: " + a.error(), a.raw());
    }

    private static List<ScoreOutcome> failAll(ScoreTask task, String reason, String raw) {
        List<ScoreOutcome> out = new ArrayList<>();
        for (ScoreTask.Target t : task.responses()) {
            out.add(ScoreOutcome.failed(t.position(), reason, raw, Usage.NONE, 0, 1));
        }
        return out;
    }

    /** The task a custom id names, rebuilt from the store exactly as {@link PendingTasks} built it. */
    private ScoreTask taskOf(KeyedItem keyed, CustomId id) {
        Item item = keyed.item();
        String prompt = item.fullPrompt();
        List<ScoreTask.Target> targets = new ArrayList<>();
        for (int pos : id.positions()) {
            if (pos >= item.responses().size()) {
                return null;
            }
            String text = item.responses().get(pos).text();
            targets.add(new ScoreTask.Target(pos, text, TextHash.of(text)));
        }
        List<Turn> turns = ScoreTask.turnsFor(item, scorer);
        List<ImageRef> images = ScoreTask.imagesFor(item, scorer);
        return new ScoreTask(keyed.key(), item.id(), prompt,
                ScoreTask.promptHash(prompt, turns, images, item.reference(), scorer.usesReference()),
                item.reference(), targets, id.sample(), turns, images);
    }
}
