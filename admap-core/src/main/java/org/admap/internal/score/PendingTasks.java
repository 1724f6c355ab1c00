package org.admap.internal.score;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.admap.internal.store.KeyedItem;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreSourceInfo;
import org.admap.internal.store.ScoreState;
import org.admap.internal.store.ScoreWriter;
import org.admap.model.Item;
import org.admap.model.Response;
import org.admap.model.TextHash;
import org.admap.score.Endpoint;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.Scorer;
import org.admap.score.ScorerConfig;
import org.admap.score.Usage;

/**
 * What of a run still needs a call from one score source, and how results become score
 * rows: the selection and storage rules shared by live scoring ({@link ScoringJob}) and the
 * Batch API ({@link org.admap.score.batch.BatchScoring}).
 *
 * <ul>
 *   <li>A response already scored under the source is skipped (a failed one too, unless
 *       failures are retried).</li>
 *   <li>One whose instruction and text were scored under the same configuration anywhere in
 *       the run gets that score copied, without a call.</li>
 *   <li>Duplicates within one pass wait for the first one's result ({@link #emit} copies
 *       it to them).</li>
 *   <li>A response {@linkplain #hold held} elsewhere (its request is in an open batch) is
 *       not pending, and its duplicates wait for it.</li>
 * </ul>
 * Rows go to the consumer given, which must be thread-safe: {@link #emit} is called from
 * scoring threads. {@link #of} is called from one thread.
 */
public final class PendingTasks {

    private final Scorer scorer;
    private final String source;
    private final ScorerConfig config;
    private final String fingerprint;
    private final ScoreState state;
    private final boolean retryFailed;
    private final boolean dryRun;
    private final Consumer<ScoreWriter.Row> out;
    private final Map<String, Leader> leaders = new ConcurrentHashMap<>();
    private final Set<Held> held = new HashSet<>();
    private final AtomicLong already = new AtomicLong();
    private final AtomicLong previouslyFailed = new AtomicLong();
    private final AtomicLong cached = new AtomicLong();
    private final AtomicLong waiting = new AtomicLong();
    private final int samples;

    private PendingTasks(Scorer scorer, String source, ScoreState state, boolean retryFailed, boolean dryRun,
                         Consumer<ScoreWriter.Row> out) {
        this.scorer = scorer;
        this.source = source;
        this.config = scorer.config();
        this.fingerprint = config.fingerprint();
        this.state = state;
        this.retryFailed = retryFailed;
        this.dryRun = dryRun;
        this.out = out;
        this.samples = Math.max(1, scorer.samples());
    }

    /**
     * Checks that the source belongs to this scorer's configuration (recording it, and its
     * aspect sources, when new and not a dry run) and loads what it has already scored; only
     * scores made at the scorer's endpoint are copied.
     *
     * @param out receives the rows to store (copies now, results through {@link #emit}); thread-safe
     * @throws IllegalArgumentException when the source was made with another configuration or endpoint
     */
    public static PendingTasks prepare(RunStore store, Scorer scorer, String source, boolean retryFailed,
                                       boolean dryRun, Consumer<ScoreWriter.Row> out) {
        return prepare(store, scorer, source, retryFailed, dryRun, false, out);
    }

    /**
     * Like {@link #prepare(RunStore, Scorer, String, boolean, boolean, Consumer)}; with
     * {@code acrossEndpoints}, a score of the same configuration made at any endpoint is
     * copied (one model behind OpenAI, Azure or a proxy), and a source may go on at another
     * endpoint. A copy's provenance names the source and the endpoint it came from.
     */
    public static PendingTasks prepare(RunStore store, Scorer scorer, String source, boolean retryFailed,
                                       boolean dryRun, boolean acrossEndpoints, Consumer<ScoreWriter.Row> out) {
        ScorerConfig config = scorer.config();
        String fingerprint = config.fingerprint();
        checkSource(store, scorer, source, config, fingerprint, dryRun, acrossEndpoints);
        String here = config.endpoint();
        return new PendingTasks(scorer, source, store.loadScoreState(source, fingerprint,
                acrossEndpoints ? endpoint -> true : endpoint -> Endpoint.same(endpoint, here)), retryFailed, dryRun,
                out);
    }

    private static void checkSource(RunStore store, Scorer scorer, String source, ScorerConfig config,
                                    String fingerprint, boolean dryRun, boolean acrossEndpoints) {
        var existing = store.scoreSource(source);
        if (existing.isPresent() && !existing.get().fingerprint().equals(fingerprint)) {
            ScoreSourceInfo e = existing.get();
            throw new IllegalArgumentException("the score source '" + source + "' of this run was made with another"
                    + " configuration (" + e.kind() + ", model " + e.model() + ", prompt " + e.promptVersion() + ", "
                    + e.parameters() + "); give this one its own name with --name, or use the same options");
        }
        if (existing.isPresent() && !acrossEndpoints && !Endpoint.same(existing.get().endpoint(), config.endpoint())) {
            throw new IllegalArgumentException("the score source '" + source + "' of this run was scored at "
                    + Endpoint.key(existing.get().endpoint()) + ", not at " + config.endpointKey() + ": give this"
                    + " server its own name with --name, or add --reuse-across-endpoints if both serve the same"
                    + " model (OpenAI, Azure, a proxy)");
        }
        if (existing.isEmpty() && !dryRun) {
            store.addScoreSource(new ScoreSourceInfo(source, config.kind(), fingerprint, config.endpoint(),
                    config.model(), config.promptVersion(), config.parametersText(), Instant.now()));
        }
        if (!dryRun) {
            for (String aspect : scorer.aspectNames()) {
                String name = source + "." + aspect;
                if (store.scoreSource(name).isEmpty()) {
                    store.addScoreSource(new ScoreSourceInfo(name, config.kind() + "-aspect", fingerprint + "."
                            + aspect,
                            config.endpoint(), config.model(), config.promptVersion(), config.parametersText(),
                            Instant.now()));
                }
            }
        }
    }

    /** The fingerprint of the scorer's configuration. */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Marks a response as out for scoring elsewhere (in an open batch): it is not pending,
     * and responses identical to it wait for its result instead of being sent. Call before
     * {@link #of}.
     */
    public void hold(int itemKey, int position, String promptHash, String responseHash) {
        hold(itemKey, position, 0, promptHash, responseHash);
    }

    /**
     * Like {@link #hold(int, int, String, String)} for one of a response's repeated judgments:
     * only that sample is held, so a batch of sample 0 leaves samples 1.. pending.
     */
    public void hold(int itemKey, int position, int sample, String promptHash, String responseHash) {
        held.add(new Held(itemKey, position, sample));
        leaders.putIfAbsent(contentKey(promptHash, responseHash, sample), new Leader());
    }

    /**
     * The tasks of one item: what is pending, after skipping, copying and deduplicating, for
     * each of the scorer's {@linkplain Scorer#samples samples} (sample by sample, so a sample
     * missing after a kill is sent again on its own).
     */
    public List<ScoreTask> of(KeyedItem keyed) {
        Item item = keyed.item();
        String prompt = item.fullPrompt();
        List<org.admap.model.Turn> turns = ScoreTask.turnsFor(item, scorer);
        List<org.admap.model.ImageRef> images = ScoreTask.imagesFor(item, scorer);
        String promptHash = ScoreTask.promptHash(prompt, turns, images, item.reference(), scorer.usesReference());
        List<Response> rs = item.responses();
        List<ScoreTask> tasks = new ArrayList<>();
        int judgments = Math.min(samples, Math.max(1, scorer.samples(item)));
        for (int sample = 0; sample < judgments; sample++) {
            List<ScoreTask.Target> pending = new ArrayList<>();
            for (int pos = 0; pos < rs.size(); pos++) {
                ScoreState.Status status = state.status(keyed.key(), pos, sample);
                if (status == ScoreState.Status.OK) {
                    already.incrementAndGet();
                    continue;
                }
                if (status == ScoreState.Status.FAILED && !retryFailed) {
                    previouslyFailed.incrementAndGet();
                    continue;
                }
                if (!held.isEmpty() && held.contains(new Held(keyed.key(), pos, sample))) {
                    waiting.incrementAndGet();
                    continue;
                }
                String text = rs.get(pos).text();
                String hash = TextHash.of(text);
                ScoreState.Cached copy = state.cached(promptHash, hash, sample);
                if (copy != null) {
                    cached.incrementAndGet();
                    if (!dryRun) {
                        out.accept(row(keyed.key(), pos, sample, promptHash, hash, copy.value(), null,
                                copiedFrom(copy), Usage.NONE, 0, 0, null,
                                copy.endpoint() != null ? copy.endpoint() : config.endpoint(), copy.spread(),
                                copy.method()));
                    }
                    continue;
                }
                String contentKey = contentKey(promptHash, hash, sample);
                Leader leader = leaders.get(contentKey);
                if (leader != null) {
                    // The same instruction and text was sent in this pass: take its result, now or when it comes.
                    cached.incrementAndGet();
                    ScoreWriter.Row waitingCopy = leader.follow(keyed.key(), pos);
                    if (waitingCopy != null && !dryRun) {
                        out.accept(waitingCopy);
                    }
                    continue;
                }
                leaders.put(contentKey, new Leader());
                pending.add(new ScoreTask.Target(pos, text, hash));
            }
            if (pending.isEmpty()) {
                continue;
            }
            if (scorer.wholeItems()) {
                tasks.add(new ScoreTask(keyed.key(), item.id(), prompt, promptHash, item.reference(), pending,
                        sample, turns, images));
                continue;
            }
            for (ScoreTask.Target t : pending) {
                tasks.add(new ScoreTask(keyed.key(), item.id(), prompt, promptHash, item.reference(), List.of(t),
                        sample, turns, images));
            }
        }
        return tasks;
    }

    /** The provenance of a copied score: where it came from (its endpoint as a key: never a credential). */
    private static String copiedFrom(ScoreState.Cached copy) {
        if (copy.source() == null) {
            return "copied: identical instruction and response scored before";
        }
        return "copied: identical instruction and response scored before by '" + copy.source() + "' at "
                + Endpoint.key(copy.endpoint());
    }

    private static String contentKey(String promptHash, String responseHash, int sample) {
        return promptHash + ":" + responseHash + ":" + sample;
    }

    /** Stores an outcome of a task (and its aspects), and copies it to the duplicates waiting for it. */
    public void emit(ScoreTask task, ScoreOutcome o) {
        emit(task, o, config.endpoint());
    }

    /**
     * Like {@link #emit(ScoreTask, ScoreOutcome)}, recording another endpoint as where the
     * score came from (a batch's address).
     */
    public void emit(ScoreTask task, ScoreOutcome o, String endpoint) {
        ScoreTask.Target target = task.responses().stream().filter(t -> t.position() == o.position()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the scorer answered for a response it was not given"));
        int sample = task.sample();
        out.accept(row(task.itemKey(), o.position(), sample, task.promptHash(), target.hash(), o.value(), o.error(),
                o.rawOutput(), o.usage(), o.latencyMs(), o.attempts(), o.callOrder(), endpoint, o.spread(),
                o.method()));
        o.aspects().forEach((aspect, value) -> out.accept(aspectRow(task.itemKey(), o.position(), sample, aspect,
                task.promptHash(), target.hash(), value, endpoint)));
        Leader leader = leaders.get(contentKey(task.promptHash(), target.hash(), sample));
        if (leader != null) {
            ScoreWriter.Row template = row(0, 0, sample, task.promptHash(), target.hash(), o.value(), o.error(),
                    o.isOk() ? "copied: identical instruction and response scored in this run" : o.rawOutput(),
                    Usage.NONE, 0, 0, o.callOrder(), endpoint, o.spread(), o.method());
            for (ScoreWriter.Row copy : leader.finish(template)) {
                out.accept(copy);
            }
        }
    }

    private ScoreWriter.Row row(int itemKey, int position, int sample, String promptHash, String responseHash,
                                double value, String error, String raw, Usage usage, long latency, int attempts,
                                String callOrder, String endpoint, double spread, String method) {
        boolean ok = error == null;
        return new ScoreWriter.Row(itemKey, position, source, fingerprint, promptHash, responseHash,
                ok ? value : Double.NaN, error, raw, usage.tokensIn(), usage.tokensOut(), usage.costUsd(),
                latency, attempts, callOrder, endpoint, config.model(), Instant.now(), sample,
                ok ? spread : Double.NaN, method);
    }

    /** Aspect sub-scores live in sources of their own ({@code judge.honesty}), made by the same call. */
    private ScoreWriter.Row aspectRow(int itemKey, int position, int sample, String aspect, String promptHash,
                                      String responseHash, double value, String endpoint) {
        return new ScoreWriter.Row(itemKey, position, source + "." + aspect, fingerprint + "." + aspect, promptHash,
                responseHash, value, null, null, 0, 0, 0, 0, 0, null, endpoint, config.model(), Instant.now(), sample,
                Double.NaN, ScoreWriter.PLAIN);
    }

    /** Responses that had a score from the source before. */
    public long alreadyScored() {
        return already.get();
    }

    /** Responses whose earlier failure was left alone. */
    public long previouslyFailed() {
        return previouslyFailed.get();
    }

    /** Responses given (or waiting for) the score of an identical response, without a call of their own. */
    public long cached() {
        return cached.get();
    }

    /** Responses skipped because they are {@linkplain #hold held} elsewhere. */
    public long held() {
        return waiting.get();
    }

    /** Whether duplicates are still waiting for a result that this pass has not emitted. */
    public boolean hasWaitingDuplicates() {
        return leaders.values().stream().anyMatch(Leader::hasFollowers);
    }

    /**
     * The first response sent for an (instruction, response text) in this pass and the
     * identical responses waiting for its result. Following and finishing are atomic with
     * respect to each other, so a follower arriving just after the result still gets it.
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

        synchronized boolean hasFollowers() {
            return !followers.isEmpty();
        }

        private static ScoreWriter.Row at(ScoreWriter.Row t, int itemKey, int position) {
            return new ScoreWriter.Row(itemKey, position, t.source(), t.fingerprint(), t.promptHash(),
                    t.responseHash(), t.value(), t.error(), t.rawOutput(), 0, 0, 0, 0, 0, t.callOrder(), t.endpoint(),
                    t.model(), t.created(), t.sample(), t.spread(), t.method());
        }
    }

    /** A judgment out for scoring elsewhere: a response's sample. */
    private record Held(int itemKey, int position, int sample) {
    }
}
