package org.admap.score.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.admap.Progress;
import org.admap.model.Item;
import org.admap.model.TextHash;
import org.admap.score.PendingTasks;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.ScoringAbortedException;
import org.admap.score.Usage;
import org.admap.score.http.ApiClient;
import org.admap.score.http.ApiException;
import org.admap.store.BatchLog;
import org.admap.store.KeyedItem;
import org.admap.store.RunStore;
import org.admap.store.ScoreWriter;

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
 */
public final class BatchScoring {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUESTS = ".requests.jsonl";
    /** Lines of a batch that ended before they ran: their requests are pending again, not failed. */
    private static final Set<String> NOT_RUN = Set.of("batch_expired", "batch_cancelled");

    /**
     * How a batch run behaves.
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
            boolean dryRun,
                          int maxRequestsPerFile, long maxBytesPerFile, boolean reuseAcrossEndpoints) {

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
            return new Options(Duration.ofSeconds(30), true, false, Double.NaN, false, MAX_REQUESTS, MAX_BYTES,
                    false);
        }

        public Options withPollInterval(Duration d) {
            return new Options(d, waitForResults, retryFailed, maxCostUsd, dryRun, maxRequestsPerFile, maxBytesPerFile,
                    reuseAcrossEndpoints);
        }

        public Options withWaitForResults(boolean w) {
            return new Options(pollInterval, w, retryFailed, maxCostUsd, dryRun, maxRequestsPerFile, maxBytesPerFile,
                    reuseAcrossEndpoints);
        }

        public Options withRetryFailed(boolean r) {
            return new Options(pollInterval, waitForResults, r, maxCostUsd, dryRun, maxRequestsPerFile,
                    maxBytesPerFile, reuseAcrossEndpoints);
        }

        public Options withMaxCost(double usd) {
            return new Options(pollInterval, waitForResults, retryFailed, usd, dryRun, maxRequestsPerFile,
                    maxBytesPerFile, reuseAcrossEndpoints);
        }

        public Options withDryRun(boolean d) {
            return new Options(pollInterval, waitForResults, retryFailed, maxCostUsd, d, maxRequestsPerFile,
                    maxBytesPerFile, reuseAcrossEndpoints);
        }

        /** Copies stored scores of the same configuration made at any endpoint (see {@link PendingTasks}). */
        public Options withReuseAcrossEndpoints(boolean r) {
            return new Options(pollInterval, waitForResults, retryFailed, maxCostUsd, dryRun, maxRequestsPerFile,
                    maxBytesPerFile, r);
        }

        public Options withFileLimits(int requests, long bytes) {
            return new Options(pollInterval, waitForResults, retryFailed, maxCostUsd, dryRun, requests, bytes,
                    reuseAcrossEndpoints);
        }
    }

    private final RunStore store;
    private final BatchableScorer scorer;
    private final BatchApi api;
    private final ApiClient client;
    private final String source;
    private final Options options;
    private final Progress.Factory progress;
    private final Path folder;
    private final List<String> notes = new ArrayList<>();
    private Consumer<String> events = e -> { };

    /**
     * @param client the Files and Batches API (OpenAI's, or a compatible server's), with the key
     */
    public BatchScoring(RunStore store, BatchableScorer scorer, ApiClient client, String source, Options options,
                        Progress.Factory progress) {
        if (scorer.samples() > 1) {
            // A request line's custom_id names a task's responses, not which judgment of them it is.
            throw new IllegalArgumentException("--batch sends one judgment per response: --samples above 1 and"
                    + " --orders 2 score live only (drop --batch)");
        }
        this.store = store;
        this.scorer = scorer;
        this.client = client;
        this.api = new BatchApi(client);
        this.source = source;
        this.options = options;
        this.progress = progress;
        this.folder = store.file().toAbsolutePath().getParent().resolve("batches");
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
        return folder;
    }

    /** A batch being followed: its record and what the last poll said. */
    private static final class Tracked {
        BatchLog.Entry entry;
        long done;

        Tracked(BatchLog.Entry entry) {
            this.entry = entry;
        }
    }

    /** Totals of what was stored. */
    private static final class Totals {
        long scored;
        long failed;
        long leftPending;
        int imported;
        Usage usage = Usage.NONE;
    }

    /** Signals the end of the item stream early. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    /** Resumes, submits, waits and imports as the options say. */
    public BatchReport run() throws InterruptedException, IOException {
        long start = System.nanoTime();
        Totals totals = new Totals();
        List<Tracked> open = new ArrayList<>();
        int resumed = 0;
        int submitted = 0;
        long requests = 0;
        String abort = null;
        boolean budgetHit = false;
        PendingTasks pending = null;
        Usage estimate = Usage.NONE;
        try (BatchLog log = BatchLog.of(store); Rows rows = new Rows(options.dryRun() ? null : store.openScoreWriter(),
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
                open.add(new Tracked(e));
            }
            resumed = open.size();
            try {
                if (!options.dryRun() && !open.isEmpty()) {
                    follow(open, first, log, rows, totals, options.waitForResults());
                }
                rows.flush();

                pending = PendingTasks.prepare(store, scorer, source, options.retryFailed(), options.dryRun(),
                        options.reuseAcrossEndpoints(), rows);
                hold(pending, open);
                Selection selection = select(pending, fingerprint);
                rows.flush();
                budgetHit = selection.budgetHit;
                estimate = selection.estimate;
                if (options.dryRun()) {
                    requests = selection.requests;
                    // by request count; the bytes are not known without writing the lines
                    submitted = (int) ((requests + options.maxRequestsPerFile() - 1) / options.maxRequestsPerFile());
                } else {
                    for (RequestFile f : selection.files) {
                        try {
                            open.add(new Tracked(submit(f, fingerprint, log)));
                            submitted++;
                            requests += f.lines;
                        } finally {
                            Files.deleteIfExists(f.path);
                        }
                    }
                    if (options.waitForResults() && !open.isEmpty()) {
                        follow(open, pending, log, rows, totals, true);
                    }
                }
            } catch (ScoringAbortedException e) {
                abort = e.getMessage();
            } catch (ApiException e) {
                abort = e.getMessage() + "; what is stored stays, and the next run resumes the recorded batches";
            } finally {
                rows.flush();
                if (abort != null) {
                    deleteUnsubmitted();
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

    // ---- following batches -------------------------------------------------------------------

    /**
     * Polls the open batches and imports each that has ended; with {@code untilDone}, polls
     * every {@link Options#pollInterval()} until none is open, else once. Imported batches
     * leave the list.
     */
    private void follow(List<Tracked> open, PendingTasks pending, BatchLog log, Rows rows, Totals totals,
                        boolean untilDone) throws ApiException, InterruptedException, IOException {
        long total = open.stream().mapToLong(t -> t.entry.requestCount()).sum();
        long finished = 0;
        if (untilDone && open.stream().anyMatch(t -> !t.entry.terminal())) {
            events.accept(String.format(Locale.ROOT, "waiting for %d batch%s (%s), polling every %s s; Ctrl-C is"
                            + " safe: the next 'score --batch' resumes %s", open.size(), open.size() == 1 ? "" : "es",
                    open.stream().map(t -> t.entry.batchId()).collect(Collectors.joining(", ")),
                    java.math.BigDecimal.valueOf(options.pollInterval().toMillis(), 3).stripTrailingZeros()
                            .toPlainString(), open.size() == 1 ? "it" : "them"));
        }
        try (Progress bar = progress.start("Batch API (" + source + ")", total, "requests")) {
            while (true) {
                for (Iterator<Tracked> it = open.iterator(); it.hasNext(); ) {
                    Tracked t = it.next();
                    if (!t.entry.terminal()) {
                        poll(t, log);
                    }
                    if (t.entry.terminal()) {
                        importBatch(t.entry, pending, log, rows, totals);
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
                Thread.sleep(options.pollInterval().toMillis());
            }
        }
    }

    private void poll(Tracked t, BatchLog log) throws ApiException, InterruptedException {
        JsonNode batch = api.retrieve(t.entry.batchId());
        String status = batch.path("status").asText(t.entry.status());
        String output = text(batch.path("output_file_id"));
        String error = text(batch.path("error_file_id"));
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

    /** Stores what a batch that has ended answered, and marks it imported. */
    private void importBatch(BatchLog.Entry e, PendingTasks pending, BatchLog log, Rows rows, Totals totals)
            throws ApiException, InterruptedException, IOException {
        Map<Integer, List<Answer>> byItem = new HashMap<>();
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
                Answer a = Answer.parse(line);
                if (a == null || !a.id.fingerprint().equals(e.fingerprint())) {
                    foreign++;
                } else if (a.notRun) {
                    notRun++;
                } else {
                    byItem.computeIfAbsent(a.id.itemKey(), k -> new ArrayList<>()).add(a);
                }
            }
        }
        BitSet keys = new BitSet();
        byItem.keySet().forEach(keys::set);
        String endpoint = client.settings().baseUrl() + "/batches/" + e.batchId();
        long[] stored = {0};
        store.forEachItem(RunStore.INPUT, keys, keyed -> {
            for (Answer a : byItem.get(keyed.key())) {
                ScoreTask task = taskOf(keyed, a.id);
                if (task == null) {
                    notes.add("batch " + e.batchId() + ": " + a.id + " names responses this run does not have;"
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
        Files.deleteIfExists(requestFile(e.batchId()));
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

    private List<ScoreOutcome> outcomes(ScoreTask task, Answer a) {
        if (a.error == null) {
            try {
                return scorer.batchOutcomes(task, a.body);
            } catch (RuntimeException ex) {
                return failAll(task, "scorer error: " + ex, a.raw);
            }
        }
        return failAll(task, "batch request failed: " + a.error, a.raw);
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
        List<org.admap.model.Turn> turns = ScoreTask.turnsFor(item, scorer);
        List<org.admap.model.ImageRef> images = ScoreTask.imagesFor(item, scorer);
        return new ScoreTask(keyed.key(), item.id(), prompt,
                ScoreTask.promptHash(prompt, turns, images, item.reference(), scorer.usesReference()),
                item.reference(), targets, 0, turns, images);
    }

    /** One line of an output or error file. */
    private record Answer(CustomId id, JsonNode body, String error, boolean notRun, String raw) {

        static Answer parse(String line) {
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                return null;
            }
            CustomId id = CustomId.parse(n.path("custom_id").asText(null));
            if (id == null) {
                return null;
            }
            JsonNode error = n.path("error");
            JsonNode response = n.path("response");
            int status = response.path("status_code").asInt(-1);
            if (status == 200 && response.path("body").isObject()) {
                return new Answer(id, response.path("body"), null, false, line);
            }
            if (error.isObject()) {
                String code = error.path("code").asText("");
                return new Answer(id, null, (code.isEmpty() ? "" : code + ": ") + error.path("message").asText(""),
                        NOT_RUN.contains(code), line);
            }
            JsonNode message = response.path("body").path("error").path("message");
            return new Answer(id, null, "HTTP " + status + (message.isTextual() ? ": " + message.asText() : ""), false,
                    line);
        }
    }

    // ---- selecting and submitting --------------------------------------------------------------

    /** Marks the responses of the batches still open as held: neither sent again nor duplicated. */
    private void hold(PendingTasks pending, List<Tracked> open) throws ApiException, InterruptedException,
            IOException {
        Map<Integer, List<Integer>> held = new HashMap<>();
        for (Tracked t : open) {
            for (CustomId id : requestIds(t.entry)) {
                held.computeIfAbsent(id.itemKey(), k -> new ArrayList<>()).addAll(id.positions());
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
            for (int pos : held.get(keyed.key())) {
                if (pos < keyed.item().responses().size()) {
                    pending.hold(keyed.key(), pos, promptHash, TextHash.of(keyed.item().responses().get(pos).text()));
                }
            }
        });
    }

    /** The custom ids of a batch's requests: from its request file here, else from the API. */
    private List<CustomId> requestIds(BatchLog.Entry e) throws ApiException, InterruptedException, IOException {
        Path local = requestFile(e.batchId());
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
                CustomId id = CustomId.parse(JSON.readTree(line).path("custom_id").asText(null));
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** One request file being written. */
    private static final class RequestFile {
        final Path path;
        final OutputStream out;
        int lines;
        long bytes;

        RequestFile(Path path) throws IOException {
            this.path = path;
            this.out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        }
    }

    private static final class Selection {
        final List<RequestFile> files = new ArrayList<>();
        long requests;
        boolean budgetHit;
        Usage estimate = Usage.NONE;
    }

    /** Writes the pending tasks as request files (counts them only, in a dry run). */
    private Selection select(PendingTasks pending, String fingerprint) throws IOException {
        Selection s = new Selection();
        if (!options.dryRun()) {
            Files.createDirectories(folder);
            deleteUnsubmitted();
        }
        String endpoint = scorer.batchEndpoint();
        double[] reserved = {0};
        RequestFile[] current = {null};
        try {
            store.forEachItem(RunStore.INPUT, null, keyed -> {
                for (ScoreTask task : pending.of(keyed)) {
                    Usage full = scorer.estimate(task);
                    Usage half = new Usage(full.tokensIn(), full.tokensOut(), full.costUsd() / 2);
                    if (!Double.isNaN(options.maxCostUsd()) && reserved[0] + half.costUsd() > options.maxCostUsd()) {
                        s.budgetHit = true;
                        throw new Stop();
                    }
                    reserved[0] += half.costUsd();
                    s.estimate = s.estimate.plus(half);
                    s.requests++;
                    if (options.dryRun()) {
                        continue;
                    }
                    try {
                        write(task, fingerprint, endpoint, s, current);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
        } catch (Stop stopped) {
            // the budget is reached
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } finally {
            if (current[0] != null) {
                current[0].out.close();
            }
        }
        return s;
    }

    private void write(ScoreTask task, String fingerprint, String endpoint, Selection s, RequestFile[] current)
            throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("custom_id", CustomId.of(fingerprint, task).toString());
        line.put("method", "POST");
        line.put("url", endpoint);
        line.set("body", scorer.batchRequest(task));
        byte[] bytes = JSON.writeValueAsBytes(line);
        if (bytes.length + 1 > options.maxBytesPerFile()) {
            throw new IllegalArgumentException("the request for instruction " + task.itemId() + " takes "
                    + bytes.length + " bytes, more than a batch file may hold (" + options.maxBytesPerFile() + ")");
        }
        RequestFile f = current[0];
        if (f == null || f.lines >= options.maxRequestsPerFile() || f.bytes + bytes.length
                + 1 > options.maxBytesPerFile()) {
            if (f != null) {
                f.out.close();
            }
            f = new RequestFile(folder.resolve(safe(source) + "+" + (s.files.size() + 1) + REQUESTS));
            current[0] = f;
            s.files.add(f);
        }
        f.out.write(bytes);
        f.out.write('\n');
        f.lines++;
        f.bytes += bytes.length + 1;
    }

    /** Uploads a request file, creates its batch and records it at once. */
    private BatchLog.Entry submit(RequestFile f, String fingerprint, BatchLog log)
            throws ApiException, InterruptedException, IOException {
        String fileId = api.upload(f.path);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("admap_source", source);
        metadata.put("admap_fingerprint", fingerprint);
        JsonNode batch = api.create(fileId, scorer.batchEndpoint(), metadata);
        Instant now = Instant.now();
        BatchLog.Entry e = new BatchLog.Entry(batch.path("id").asText(), source, fingerprint, fileId,
                batch.path("status").asText("validating"), f.lines, text(batch.path("output_file_id")),
                text(batch.path("error_file_id")), false, now, now);
        log.add(e);
        Files.move(f.path, requestFile(e.batchId()), StandardCopyOption.REPLACE_EXISTING);
        events.accept("submitted batch " + e.batchId() + ": " + f.lines + " requests (" + requestFile(e.batchId())
                + ")");
        return e;
    }

    /** Request files written but never submitted (a run that stopped between writing and creating). */
    private void deleteUnsubmitted() throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        String prefix = safe(source) + "+";
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Path requestFile(String batchId) {
        return folder.resolve(safe(batchId) + REQUESTS);
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static String text(JsonNode n) {
        return n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }

    // ---- storing -------------------------------------------------------------------------------

    /** Collects score rows and writes them in transactions of up to 1,000, counting what they hold. */
    private final class Rows implements Consumer<ScoreWriter.Row>, AutoCloseable {
        private final ScoreWriter writer;
        private final Totals totals;
        private final List<ScoreWriter.Row> buffer = new ArrayList<>();

        Rows(ScoreWriter writer, Totals totals) {
            this.writer = writer;
            this.totals = totals;
        }

        @Override
        public synchronized void accept(ScoreWriter.Row r) {
            if (writer == null) {
                return;
            }
            buffer.add(r);
            if (r.source().equals(source) && (r.rawOutput() == null || !r.rawOutput().startsWith("copied:"))) {
                if (r.ok()) {
                    totals.scored++;
                } else {
                    totals.failed++;
                }
                totals.usage = totals.usage.plus(new Usage(r.tokensIn(), r.tokensOut(), r.costUsd()));
            }
            if (buffer.size() >= 1000) {
                flush();
            }
        }

        synchronized void flush() {
            if (writer != null && !buffer.isEmpty()) {
                writer.write(buffer);
                buffer.clear();
            }
        }

        @Override
        public void close() {
            flush();
            if (writer != null) {
                writer.close();
            }
        }
    }
}
