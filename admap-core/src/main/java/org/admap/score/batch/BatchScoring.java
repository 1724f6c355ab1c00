package org.admap.score.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.admap.Progress;
import org.admap.internal.score.PendingTasks;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.score.http.ApiException;
import org.admap.internal.store.BatchLog;
import org.admap.internal.store.RunStore;
import org.admap.model.Item;
import org.admap.model.TextHash;
import org.admap.score.ScoreTask;
import org.admap.score.ScoringAbortedException;
import org.admap.score.Usage;

/**
 * Scores a run through the OpenAI Batch API: half the price of live calls, answers within
 * 24 hours. The same responses are pending as for live scoring ({@link PendingTasks}), each
 * task becomes one request line with the body its live call would send
 * ({@link BatchableScorer}), and the answers are stored through the same score rows.
 *
 * <ol>
 *   <li><b>Resume.</b> Batches of the source that earlier runs created and did not import
 *       (the run store's {@link BatchLog}) are polled and imported first. Their requests are
 *       never submitted again while they are open, nor once they are imported.</li>
 *   <li><b>Submit.</b> The pending tasks are written as request lines
 *       ({@code custom_id} = {@link CustomId}) into {@code DIR/batches/}, split into files of
 *       at most 50,000 lines and 190 MB, uploaded, and a batch is created for each
 *       ({@code completion_window} 24h) and recorded the moment it exists.</li>
 *   <li><b>Wait and import</b> (unless {@link Options#waitForResults()} is off): every open batch is
 *       polled until it ends; its output and error files are downloaded and stored as
 *       scores: answers through the scorer's own parsing (one that does not parse is a
 *       failed score with its raw text: no stricter second ask in batch mode), failed
 *       requests as failed scores with their error. Tokens are costed at half price.</li>
 * </ol>
 * A batch that expires, fails or is cancelled has what output exists imported; its other
 * requests are pending again and go into a new batch on the next run (the report says so).
 * A crash or Ctrl-C at any point loses nothing: an import is redone whole (rows replace
 * rows), and a batch is resumed by the next run.
 *
 * <p>This class runs the steps; the parts are its package's: {@link RequestShards} writes the
 * request files within the file limits and the {@link CostBudget}, {@link BatchPoller} follows
 * open batches, {@link BatchImporter} stores what they answered, {@link ScoreRowBuffer} writes
 * the score rows in transactions, and {@link BatchFolder} names the files.
 */
public final class BatchScoring {

    /**
     * How a batch run behaves. Start from {@link #defaults()} or {@link #builder()}; each
     * {@code with} method returns a copy with one setting changed.
     *
     * @param pollInterval       the wait between two polls of the open batches
     * @param waitForResults     whether to wait for the batches and import them; off: submit and end
     * @param retryFailed        whether responses whose earlier score failed are sent again
     * @param maxCostUsd         submit no more than this estimated cost at batch prices (NaN: no limit)
     * @param dryRun             count requests, files, tokens and cost; touch nothing
     * @param maxRequestsPerFile lines per request file (the Batch API takes 50,000)
     * @param maxBytesPerFile    bytes per request file (the Batch API takes 200 MB)
     * @param reuseAcrossEndpoints copy stored scores of this configuration made at any endpoint
     */
    public record Options(Duration pollInterval, boolean waitForResults, boolean retryFailed, double maxCostUsd,
                          boolean dryRun, int maxRequestsPerFile, long maxBytesPerFile,
                          boolean reuseAcrossEndpoints) {

        /** The Batch API's limit of requests per batch. */
        public static final int MAX_REQUESTS = 50_000;
        /** Bytes per request file: under the Batch API's 200 MB, with room to spare. */
        public static final long MAX_BYTES = 190_000_000L;

        public Options {
            if (pollInterval.isNegative()) {
                throw new IllegalArgumentException("--poll-interval must not be negative, got " + pollInterval);
            }
            if (maxRequestsPerFile < 1 || maxRequestsPerFile > MAX_REQUESTS) {
                throw new IllegalArgumentException("requests per batch must be within 1.." + MAX_REQUESTS + ", got "
                        + maxRequestsPerFile);
            }
            if (maxBytesPerFile < 1024) {
                throw new IllegalArgumentException("bytes per batch file must be at least 1024, got "
                        + maxBytesPerFile);
            }
            if (!Double.isNaN(maxCostUsd) && maxCostUsd < 0) {
                throw new IllegalArgumentException("--max-cost must not be negative, got " + maxCostUsd);
            }
        }

        /** Poll every 30 s, wait, the Batch API's limits, no budget. */
        public static Options defaults() {
            return builder().build();
        }

        /** A builder that starts from the {@linkplain #defaults() defaults}. */
        public static Builder builder() {
            return new Builder();
        }

        /** A builder that starts from these options. */
        public Builder toBuilder() {
            return new Builder().pollInterval(pollInterval).waitForResults(waitForResults).retryFailed(retryFailed)
                    .maxCost(maxCostUsd).dryRun(dryRun).fileLimits(maxRequestsPerFile, maxBytesPerFile)
                    .reuseAcrossEndpoints(reuseAcrossEndpoints);
        }

        public Options withPollInterval(Duration d) {
            return toBuilder().pollInterval(d).build();
        }

        public Options withWaitForResults(boolean w) {
            return toBuilder().waitForResults(w).build();
        }

        public Options withRetryFailed(boolean r) {
            return toBuilder().retryFailed(r).build();
        }

        public Options withMaxCost(double usd) {
            return toBuilder().maxCost(usd).build();
        }

        public Options withDryRun(boolean d) {
            return toBuilder().dryRun(d).build();
        }

        /** Copies stored scores of the same configuration made at any endpoint (see {@link PendingTasks}). */
        public Options withReuseAcrossEndpoints(boolean r) {
            return toBuilder().reuseAcrossEndpoints(r).build();
        }

        public Options withFileLimits(int requests, long bytes) {
            return toBuilder().fileLimits(requests, bytes).build();
        }

        /** Collects the settings of {@link Options}; {@link #build()} checks them. */
        public static final class Builder {
            private Duration pollInterval = Duration.ofSeconds(30);
            private boolean waitForResults = true;
            private boolean retryFailed;
            private double maxCostUsd = Double.NaN;
            private boolean dryRun;
            private int maxRequestsPerFile = MAX_REQUESTS;
            private long maxBytesPerFile = MAX_BYTES;
            private boolean reuseAcrossEndpoints;

            private Builder() {
            }

            public Builder pollInterval(Duration d) {
                this.pollInterval = d;
                return this;
            }

            public Builder waitForResults(boolean w) {
                this.waitForResults = w;
                return this;
            }

            public Builder retryFailed(boolean r) {
                this.retryFailed = r;
                return this;
            }

            /** @param usd the budget in US dollars at batch prices; NaN: none */
            public Builder maxCost(double usd) {
                this.maxCostUsd = usd;
                return this;
            }

            public Builder dryRun(boolean d) {
                this.dryRun = d;
                return this;
            }

            public Builder fileLimits(int requests, long bytes) {
                this.maxRequestsPerFile = requests;
                this.maxBytesPerFile = bytes;
                return this;
            }

            public Builder reuseAcrossEndpoints(boolean r) {
                this.reuseAcrossEndpoints = r;
                return this;
            }

            /** The options; fails with the setting's name when one is out of range. */
            public Options build() {
                return new Options(pollInterval, waitForResults, retryFailed, maxCostUsd, dryRun, maxRequestsPerFile,
                        maxBytesPerFile, reuseAcrossEndpoints);
            }
        }
    }

    private final RunStore store;
    private final BatchableScorer scorer;
    private final BatchApi api;
    private final ApiClient client;
    private final String source;
    private final Options options;
    private final Progress.Factory progress;
    private final BatchFolder folder;
    private final List<String> notes = new ArrayList<>();
    private Consumer<String> events = e -> { };

    /**
     * @param client the Files and Batches API (OpenAI's, or a compatible server's), with the key
     */
    public BatchScoring(RunStore store, BatchableScorer scorer, ApiClient client, String source, Options options,
                        Progress.Factory progress) {
        this.store = store;
        this.scorer = scorer;
        this.client = client;
        this.api = new BatchApi(client);
        this.source = source;
        this.options = options;
        this.progress = progress;
        this.folder = new BatchFolder(store.file().toAbsolutePath().getParent().resolve("batches"));
    }

    /**
     * Receives a line for each step a user may want to see while a run waits for hours:
     * a batch submitted (its id), the wait begun, a batch ended and imported.
     */
    public BatchScoring onEvent(Consumer<String> listener) {
        this.events = listener;
        return this;
    }

    /** The folder of the request files ({@code DIR/batches}). */
    public Path folder() {
        return folder.path();
    }

    /** Resumes, submits, waits and imports as the options say. */
    public BatchReport run() throws InterruptedException, IOException {
        long start = System.nanoTime();
        BatchTotals totals = new BatchTotals();
        List<TrackedBatch> open = new ArrayList<>();
        int resumed = 0;
        int submitted = 0;
        long requests = 0;
        String abort = null;
        boolean budgetHit = false;
        PendingTasks pending = null;
        Usage estimate = Usage.NONE;
        String baseUrl = client.settings().baseUrl().toString();
        BatchImporter importer = new BatchImporter(store, scorer, api, baseUrl, folder, notes, events);
        BatchPoller poller = new BatchPoller(api, importer, source, options.pollInterval(), progress, notes, events);
        RequestShards shards = new RequestShards(store, scorer, source, folder, options);
        try (BatchLog log = BatchLog.of(store);
             ScoreRowBuffer rows = new ScoreRowBuffer(options.dryRun() ? null : store.openScoreWriter(), source,
                     totals)) {
            PendingTasks first = PendingTasks.prepare(store, scorer, source, options.retryFailed(), options.dryRun(),
                    options.reuseAcrossEndpoints(), rows);
            String fingerprint = first.fingerprint();
            for (BatchLog.Entry e : log.unimported(source)) {
                if (!e.fingerprint().equals(fingerprint)) {
                    notes.add("batch " + e.batchId() + " was made with another configuration of '" + source
                            + "': left alone");
                    continue;
                }
                open.add(new TrackedBatch(e));
            }
            resumed = open.size();
            try {
                if (!options.dryRun() && !open.isEmpty()) {
                    poller.follow(open, first, log, rows, totals, options.waitForResults());
                }
                rows.flush();

                pending = PendingTasks.prepare(store, scorer, source, options.retryFailed(), options.dryRun(),
                        options.reuseAcrossEndpoints(), rows);
                hold(pending, open);
                RequestShards.Selection selection = shards.select(pending, fingerprint);
                rows.flush();
                budgetHit = selection.budgetHit;
                estimate = selection.estimate;
                if (options.dryRun()) {
                    requests = selection.requests;
                    // by request count; the bytes are not known without writing the lines
                    submitted = shards.filesFor(requests);
                } else {
                    for (RequestShards.RequestFile f : selection.files) {
                        try {
                            open.add(new TrackedBatch(submit(f, fingerprint, log)));
                            submitted++;
                            requests += f.lines;
                        } finally {
                            Files.deleteIfExists(f.path);
                        }
                    }
                    if (options.waitForResults() && !open.isEmpty()) {
                        poller.follow(open, pending, log, rows, totals, true);
                    }
                }
            } catch (ScoringAbortedException e) {
                abort = e.getMessage();
            } catch (ApiException e) {
                abort = e.getMessage() + "; what is stored stays, and the next run resumes the recorded batches";
            } finally {
                rows.flush();
                if (abort != null) {
                    folder.deleteUnsubmitted(source);
                }
            }
        }
        if (options.dryRun()) {
            totals.usage = estimate;
        }
        return new BatchReport(source, resumed, submitted, requests, totals.imported,
                open.stream().map(t -> t.entry.batchId()).toList(), totals.scored, totals.failed,
                pending == null ? 0 : pending.cached(), pending == null ? 0 : pending.alreadyScored(),
                pending == null ? 0 : pending.previouslyFailed(), pending == null ? 0 : pending.held(),
                totals.leftPending, totals.usage, budgetHit, abort, notes,
                Duration.ofNanos(System.nanoTime() - start));
    }

    // ---- resuming ------------------------------------------------------------------------------

    /** Marks the responses of the batches still open as held: neither sent again nor duplicated. */
    private void hold(PendingTasks pending, List<TrackedBatch> open) throws ApiException, InterruptedException,
            IOException {
        Map<Integer, List<int[]>> held = new HashMap<>(); // item key -> (position, sample)
        for (TrackedBatch t : open) {
            for (CustomId id : requestIds(t.entry)) {
                for (int pos : id.positions()) {
                    held.computeIfAbsent(id.itemKey(), k -> new ArrayList<>()).add(new int[] {pos, id.sample()});
                }
            }
        }
        if (held.isEmpty()) {
            return;
        }
        BitSet keys = new BitSet();
        held.keySet().forEach(keys::set);
        store.forEachItem(RunStore.INPUT, keys, keyed -> {
            Item item = keyed.item(); // the key PendingTasks gives its tasks, so that held duplicates are found
            String promptHash = ScoreTask.promptHash(item.fullPrompt(), ScoreTask.turnsFor(item, scorer),
                    ScoreTask.imagesFor(item, scorer), item.reference(), scorer.usesReference());
            for (int[] at : held.get(keyed.key())) {
                int pos = at[0];
                if (pos < keyed.item().responses().size()) {
                    pending.hold(keyed.key(), pos, at[1], promptHash,
                            TextHash.of(keyed.item().responses().get(pos).text()));
                }
            }
        });
    }

    /** The custom ids of a batch's requests: from its request file here, else from the API. */
    private List<CustomId> requestIds(BatchLog.Entry e) throws ApiException, InterruptedException, IOException {
        Path local = folder.requestFile(e.batchId());
        List<String> lines;
        if (Files.isRegularFile(local)) {
            try (Stream<String> s = Files.lines(local, StandardCharsets.UTF_8)) {
                lines = s.toList();
            }
        } else if (options.dryRun()) {
            notes.add("batch " + e.batchId() + " is open and its request file " + local + " is gone; a dry run"
                    + " calls nothing, so its requests are counted as pending");
            return List.of();
        } else {
            lines = List.of(api.content(e.inputFileId()).split("\n"));
        }
        List<CustomId> ids = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                CustomId id = CustomId.parse(BatchApi.JSON.readTree(line).path("custom_id").asText(null));
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** Uploads a request file, creates its batch and records it at once. */
    private BatchLog.Entry submit(RequestShards.RequestFile f, String fingerprint, BatchLog log)
            throws ApiException, InterruptedException, IOException {
        String fileId = api.upload(f.path);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("admap_source", source);
        metadata.put("admap_fingerprint", fingerprint);
        JsonNode batch = api.create(fileId, scorer.batchEndpoint(), metadata);
        Instant now = Instant.now();
        BatchLog.Entry e = new BatchLog.Entry(batch.path("id").asText(), source, fingerprint, fileId,
                batch.path("status").asText("validating"), f.lines, BatchApi.fileId(batch.path("output_file_id")),
                BatchApi.fileId(batch.path("error_file_id")), false, now, now);
        log.add(e);
        Path kept = folder.requestFile(e.batchId());
        Files.move(f.path, kept, StandardCopyOption.REPLACE_EXISTING);
        events.accept("submitted batch " + e.batchId() + ": " + f.lines + " requests (" + kept + ")");
        return e;
    }
}
