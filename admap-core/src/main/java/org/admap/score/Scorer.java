package org.admap.score;

import org.admap.internal.score.ScoringJob;

/**
 * Gives responses their alignment scores: an LLM judge, a reward model, or similarity to a
 * reference answer. The map and the diagnosis never know which scorer produced a score.
 *
 * <p>A scorer is called from many threads at once, one {@link ScoreTask} per call, and
 * blocks while it waits for its server. It never throws for a problem with one response (a
 * reply that does not parse, a request the server refuses): it returns a failed
 * {@link ScoreOutcome} for it. It throws {@link ScoringAbortedException} only for problems
 * that would fail every call (a bad API key). Retries, rate limits and backoff are the
 * scorer's business (see {@link org.admap.internal.score.http.ApiClient}); caching, resuming,
 * concurrency, budget and storage are the {@link ScoringJob}'s.
 *
 * <p>A minimal scorer, scoring each response by its length, run on the responses of a
 * {@link org.admap.run.Run} {@code run} and mapped on (as written by {@code ApiExamplesTest}, on
 * {@code examples/demo.jsonl}):
 * <pre>{@code
 * Scorer byLength = new Scorer() {
 *     public ScorerConfig config() {
 *         return ScorerConfig.of("length", "chars", "v1", Map.of(), null);
 *     }
 *     public boolean wholeItems() {
 *         return false;
 *     }
 *     public List<ScoreOutcome> score(ScoreTask task) {
 *         ScoreTask.Target t = task.responses().get(0);
 *         return List.of(ScoreOutcome.ok(t.position(), t.text().length(), null, Usage.NONE, 0, 1));
 *     }
 *     public Usage estimate(ScoreTask task) {
 *         return Usage.NONE;
 *     }
 * };
 * Run.Scored scored = run.score(store -> byLength, "length", ScoringOptions.defaults(), Progress.Factory.NONE);
 * AlignmentMap byLengthMap = run.map("length", Correlation.COSINE).map();
 * }</pre>
 * The scores are stored under the source name ({@code length}), with the scorer's
 * {@link ScorerConfig} as their provenance; a second {@code score} call sends nothing.
 */
public interface Scorer extends AutoCloseable {

    /** What this scorer is: kind, model, prompt version, parameters. */
    ScorerConfig config();

    /**
     * Whether one call scores all pending responses of an instruction together (a judge
     * with {@code --per-call all}, reference scoring) rather than one response per call.
     */
    boolean wholeItems();

    /** Scores the task's responses, one outcome per response, in any order. */
    java.util.List<ScoreOutcome> score(ScoreTask task) throws InterruptedException;

    /** Expected tokens (and cost) of scoring the task, before calling: for dry runs and budgets. */
    Usage estimate(ScoreTask task);

    /**
     * Names of the sub-scores each outcome carries ({@link ScoreOutcome#aspects()}), stored
     * as sources of their own; empty for most scorers.
     */
    default java.util.List<String> aspectNames() {
        return java.util.List.of();
    }

    /**
     * Whether scores depend on the instruction's reference answer from the data as well as on
     * its prompt: then two items with the same prompt but different references are not
     * duplicates of each other (their tasks' prompt hashes cover the reference too).
     */
    default boolean usesReference() {
        return false;
    }

    /**
     * Whether the scorer sends a conversational prompt as its chat turns
     * ({@link ScoreTask#turns}) rather than as the flattened text: then a dialogue's tasks
     * carry the turns and their prompt hash covers them ({@link ScoreTask#promptHash(String,
     * java.util.List, String, boolean)}); plain prompts are unaffected.
     */
    default boolean usesTurns() {
        return false;
    }

    /**
     * Whether the scorer sends the prompt's images ({@link ScoreTask#images}): then an item's
     * images are read and hashed before its tasks are made, and their hashes are part of the
     * tasks' prompt hash (the cache key). Text-only prompts are unaffected.
     */
    default boolean usesImages() {
        return false;
    }

    /**
     * How many judgments each response gets ({@code --samples K}, times {@code --orders}):
     * every sample is its own task, stored, cached and resumed on its own. 1 for most scorers.
     */
    default int samples() {
        return 1;
    }

    /**
     * How many judgments the responses of this instruction get: {@link #samples()} for most
     * scorers; fewer for some instructions where only a share is judged again
     * ({@link CalibratedScorer}). Never more than {@link #samples()}.
     */
    default int samples(org.admap.model.Item item) {
        return samples();
    }

    /** The judgments still to make for the source, for the progress bar. */
    default long judgmentsToScore(org.admap.internal.store.RunStore store, String source, boolean includingFailed) {
        return store.responsesToScore(source, includingFailed, Math.max(1, samples()));
    }

    /**
     * What the scorer's calls are waiting for now (a pause a rate-limited server asked for),
     * in words for the progress line; empty when nothing holds them back.
     */
    default java.util.Optional<String> waiting() {
        return java.util.Optional.empty();
    }

    /** Releases connections; the default does nothing. */
    @Override
    default void close() {
    }
}
