package org.admap.run;

import java.util.Map;
import java.util.function.Consumer;
import org.admap.Progress;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.store.RunStore;
import org.admap.map.FirstSamplesStability;
import org.admap.map.StabilityOptions;
import org.admap.score.AdaptiveSampling;
import org.admap.score.Scorer;
import org.admap.score.ScoringOptions;

/**
 * {@code score --adaptive} on a run: {@link AdaptiveSampling}'s loop with its passes as
 * {@link ScoringJob}s on the run's store and {@code region_p} as {@code admap map} estimates
 * it ({@link FirstSamplesStability}, the map's default stability options unless given).
 * What the source has spent before (the cost its stored scores record, kept as they arrive
 * and so across a kill) counts against {@code --max-cost}.
 */
public final class AdaptiveScoring {

    /** Opens the scorer that gives each response {@code samples} judgments. */
    @FunctionalInterface
    public interface ScorerForSamples {
        Scorer open(RunStore store, int samples) throws Exception;
    }

    /**
     * What the loop did, and how many samples each response has now.
     *
     * @param outcome            the loop's end
     * @param samplesPerResponse number of successful samples to number of responses with that many
     * @param ids                the ids of the instructions the loop saw, by key (for naming the unstable)
     */
    public record SamplingReport(AdaptiveSampling.Outcome outcome, Map<Integer, Long> samplesPerResponse,
                         Map<Integer, String> ids) {
    }

    private final Run run;
    private final ScorerForSamples scorer;
    private final String source;
    private final ScoringOptions options;
    private final AdaptiveSampling.AdaptiveSettings settings;
    private final StabilityOptions stability;

    public AdaptiveScoring(Run run, ScorerForSamples scorer, String source, ScoringOptions options,
                           AdaptiveSampling.AdaptiveSettings settings, StabilityOptions stability) {
        this.run = run;
        this.scorer = scorer;
        this.source = source;
        this.options = options;
        this.settings = settings;
        this.stability = stability;
    }

    /** Runs the rounds, each reported to {@code onRound} as it ends. */
    public SamplingReport run(Consumer<AdaptiveSampling.Round> onRound, Progress.Factory progress) throws Exception {
        try (RunStore store = run.openStore()) {
            Map<Integer, String> ids = new java.util.HashMap<>();
            AdaptiveSampling.Outcome o = loop(store, progress, ids).onRound(onRound).run();
            return new SamplingReport(o, samplesPerResponse(store), ids);
        }
    }

    /** Estimates the calls and the cost, calling nothing. */
    public AdaptiveSampling.Estimate estimate() throws Exception {
        try (RunStore store = run.openStore()) {
            return loop(store, Progress.Factory.NONE, new java.util.HashMap<>()).estimate();
        }
    }

    private AdaptiveSampling loop(RunStore store, Progress.Factory progress, Map<Integer, String> ids) {
        AdaptiveSampling.Pass pass = (items, samples, budget, dryRun) -> {
            ScoringOptions o = new ScoringOptions(options.concurrency(), options.retryFailed(), budget, dryRun,
                    options.reuseAcrossEndpoints());
            try (Scorer s = scorer.open(store, samples)) {
                return new ScoringJob(store, s, source, o, dryRun ? Progress.Factory.NONE : progress, items).run();
            }
        };
        AdaptiveSampling.RegionP regionP = samples -> store.scoreSource(source).isEmpty() ? Map.of()
                : FirstSamplesStability.regionP(store, source, samples, stability, ids::put);
        // The budget covers the source's whole adaptive scoring: its stored scores' cost counts against it,
        // so a rerun (after a kill, or after a stop at the budget) does not start from a fresh budget.
        double spent = store.scoreSource(source).isEmpty() ? 0 : store.scoreTotals(source).costUsd();
        return new AdaptiveSampling(settings, pass, regionP, spent)
                .choices(new org.admap.score.AdaptiveChoices(store, source, settings));
    }

    private Map<Integer, Long> samplesPerResponse(RunStore store) {
        return store.scoreSource(source).isEmpty() ? Map.of() : store.sampleCounts(source);
    }
}
