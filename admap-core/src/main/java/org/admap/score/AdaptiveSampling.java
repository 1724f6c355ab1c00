package org.admap.score;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Spends extra judgments where the map needs them ({@code score --adaptive}): after every
 * response has its first {@code K} samples, each round adds one sample to every response of
 * the instructions whose {@code region_p} is below a threshold, until none is below it, the
 * responses have {@code samplesMax} samples, or the next round's estimated cost would take
 * the spend past the budget.
 *
 * <p>The budget covers the whole adaptive scoring of the source, not one invocation: what the
 * source had spent before this invocation (its stored scores' cost, given to the constructor)
 * counts against it. A rerun after a kill, or a second invocation after a stop at the budget,
 * therefore goes on with what is left rather than with a fresh budget; raising
 * {@code --max-cost} is how a user buys more rounds.
 *
 * <p>Round {@code r} (1-based) brings the chosen instructions to {@code K + r} samples and
 * chooses them by {@code region_p} from the first {@code K + r - 1} samples of every response
 * alone. Every sample is stored under its own index, and each round's choice is recorded
 * ({@link Choices}) before its calls, so a rerun after a kill or after the end replays the same
 * choices and calls only what is missing (nothing, after the end). Choosing again would not do:
 * an instruction chosen for the first time in a later round gets several samples at once, which
 * a rerun would count in an earlier round's first {@code K + r - 1}.
 *
 * <p>How a pass scores and how {@code region_p} is estimated are given from outside
 * ({@link Pass}, {@link RegionP}), so that the stopping rules can be tested on their own:
 *
 * <pre>{@code
 * AdaptiveSampling.Outcome o = new AdaptiveSampling(new AdaptiveSettings(2, 6, 0.9, 20.0),
 *         (items, samples, budget, dryRun) -> job(items, samples, budget, dryRun).run(),
 *         samples -> FirstSamplesStability.regionP(store, source, samples, StabilityOptions.DEFAULTS))
 *     .onRound(r -> System.out.println(r))
 *     .run();
 * o.stop();        // STABLE, SAMPLES_MAX, BUDGET, NO_UNCERTAINTY or INCOMPLETE
 * o.unstable();    // the instructions left below the threshold
 * }</pre>
 */
public final class AdaptiveSampling {

    /**
     * One scoring pass: brings every response of {@code items} (null: all) to {@code samples}
     * judgments, spending at most {@code budgetUsd} (NaN: no limit), or only estimates it.
     */
    @FunctionalInterface
    public interface Pass {
        ScoringReport score(BitSet items, int samples, double budgetUsd, boolean dryRun) throws Exception;
    }

    /**
     * Per instruction key, its {@code region_p} from the first {@code samples} judgments of
     * every response; an instruction that is not on the map is absent.
     */
    @FunctionalInterface
    public interface RegionP {
        Map<Integer, Double> of(int samples) throws Exception;
    }

    /**
     * Where the rounds' choices are kept. A round that chose instructions for the first time
     * gives them several samples at once, so on a rerun their first {@code K + r - 1} samples
     * hold judgments that did not exist when round {@code r} chose; a rerun therefore replays a
     * recorded choice rather than choosing again.
     */
    public interface Choices {
        /** Records nothing and replays nothing. */
        Choices NONE = new Choices() {
            @Override
            public List<Integer> recorded(int round) {
                return null;
            }

            @Override
            public void record(int round, List<Integer> chosen) {
            }
        };

        /** The instruction keys round {@code round} chose, as recorded; null when not recorded. */
        List<Integer> recorded(int round);

        /** Records the instruction keys round {@code round} chose, before the round's calls. */
        void record(int round, List<Integer> chosen);
    }

    /**
     * What the loop aims at.
     *
     * @param initialSamples {@code K}: the samples every response gets first (at least 1)
     * @param samplesMax     the most samples a response gets (at least {@code K})
     * @param threshold      an instruction whose {@code region_p} is below it gets more samples
     * @param maxCostUsd     the budget of the source's adaptive scoring over all rounds and invocations,
     *                       earlier spend included (NaN: none)
     */
    public record AdaptiveSettings(int initialSamples, int samplesMax, double threshold, double maxCostUsd) {

        public AdaptiveSettings {
            if (initialSamples < 1) {
                throw new IllegalArgumentException("--samples must be 1 or more, got " + initialSamples);
            }
            if (samplesMax < initialSamples) {
                throw new IllegalArgumentException("--samples-max (" + samplesMax + ") must be at least --samples ("
                        + initialSamples + ")");
            }
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException("--adaptive-threshold must be in (0, 1], got " + threshold);
            }
            if (!Double.isNaN(maxCostUsd) && maxCostUsd < 0) {
                throw new IllegalArgumentException("--max-cost must not be negative, got " + maxCostUsd);
            }
        }
    }

    /** Why the loop ended. */
    public enum Stop {
        /** No instruction on the map is below the threshold. */
        STABLE,
        /** Instructions are below the threshold, but their responses have {@code samplesMax} samples. */
        SAMPLES_MAX,
        /** The next round's estimated cost (or a pass's own budget check) would pass the budget. */
        BUDGET,
        /**
         * No score has a standard error (one judgment each, without a log-probability spread):
         * {@code region_p} is unknown, so no instruction can be chosen.
         */
        NO_UNCERTAINTY,
        /** A pass did not finish (interrupted or aborted): the same command goes on. */
        INCOMPLETE
    }

    /**
     * One round.
     *
     * @param round   0 for the first {@code K} samples of every response, then 1, 2, ...
     * @param samples the samples the round brings its instructions' responses to
     * @param below   the instructions it gave a sample (below the threshold; round 0: all, -1)
     * @param report  its scoring pass
     * @param costUsd what the source has spent so far, earlier invocations and this round included
     */
    public record Round(int round, int samples, int below, ScoringReport report, double costUsd) {
    }

    /**
     * The loop's end.
     *
     * @param rounds    the rounds run
     * @param stop      why it ended
     * @param unstable  the keys of the instructions still below the threshold when it ended (by
     *                  {@code region_p} from the samples at that point); empty when stable
     * @param calls     the calls of all rounds of this invocation
     * @param costUsd   their cost
     * @param nextCostUsd with {@link Stop#BUDGET} before a round: that round's estimated cost; else NaN
     * @param spentBeforeUsd what the source had spent before this invocation
     */
    public record Outcome(List<Round> rounds, Stop stop, List<Integer> unstable, long calls, double costUsd,
                          double nextCostUsd, double spentBeforeUsd) {

        /** What the source has spent in all: earlier invocations and this one; the budget covers it. */
        public double totalCostUsd() {
            return spentBeforeUsd + costUsd;
        }
    }

    /**
     * A dry run's estimate: the extra calls depend on the scores, so only bounds are certain.
     *
     * @param initial   the pass that gives every response its first {@code K} samples
     * @param perRound  one more sample for every response: the most one round can cost
     * @param upTo      every response brought to {@code samplesMax}: the most all rounds can cost
     *                  (this includes {@code initial})
     * @param belowNow  instructions below the threshold by the samples already stored (-1: none
     *                  stored with a standard error yet, so nothing is known)
     * @param next      the next round as things stand (null when {@code belowNow} is -1 or 0)
     * @param spentUsd  what the source has spent already, which the budget covers too
     */
    public record Estimate(ScoringReport initial, ScoringReport perRound, ScoringReport upTo, int belowNow,
                           ScoringReport next, double spentUsd) {
    }

    private final AdaptiveSettings settings;
    private final Pass pass;
    private final RegionP regionP;
    private final double spentBeforeUsd;
    private Consumer<Round> listener = r -> { };
    private Choices choices = Choices.NONE;

    /** A loop on a source that has spent nothing yet. */
    public AdaptiveSampling(AdaptiveSettings settings, Pass pass, RegionP regionP) {
        this(settings, pass, regionP, 0);
    }

    /**
     * @param spentBeforeUsd what the source has spent before this invocation (the cost of its stored
     *                       scores): it counts against {@link AdaptiveSettings#maxCostUsd()}
     */
    public AdaptiveSampling(AdaptiveSettings settings, Pass pass, RegionP regionP, double spentBeforeUsd) {
        if (!(spentBeforeUsd >= 0)) {
            throw new IllegalArgumentException("the spend so far must be 0 or more, got " + spentBeforeUsd);
        }
        this.settings = settings;
        this.pass = pass;
        this.regionP = regionP;
        this.spentBeforeUsd = spentBeforeUsd;
    }

    /** Receives every round as it ends (to print a line each). */
    public AdaptiveSampling onRound(Consumer<Round> l) {
        this.listener = l;
        return this;
    }

    /** Keeps the rounds' choices in {@code c} and replays those it has (see {@link Choices}). */
    public AdaptiveSampling choices(Choices c) {
        this.choices = c;
        return this;
    }

    /** Runs round 0 and then the rounds until a stopping rule holds. */
    public Outcome run() throws Exception {
        List<Round> rounds = new ArrayList<>();
        long calls = 0;
        double spent = spentBeforeUsd; // the source's, earlier invocations included
        int k = settings.initialSamples();
        ScoringReport first = pass.score(null, k, left(spent), false);
        calls += first.calls();
        spent += first.usage().costUsd();
        rounds.add(round(0, k, -1, first, spent));
        if (!finished(first)) {
            return outcome(rounds, first.stoppedByBudget() ? Stop.BUDGET : Stop.INCOMPLETE, List.of(), calls,
                    spent, Double.NaN);
        }
        while (true) {
            int next = rounds.size();
            List<Integer> below = choices.recorded(next);
            if (below == null) {
                Map<Integer, Double> p = regionP.of(k);
                if (p.isEmpty()) {
                    return outcome(rounds, Stop.NO_UNCERTAINTY, List.of(), calls, spent, Double.NaN);
                }
                below = below(p);
                if (!below.isEmpty() && k < settings.samplesMax()) {
                    choices.record(next, below);
                }
            }
            if (below.isEmpty()) {
                return outcome(rounds, Stop.STABLE, below, calls, spent, Double.NaN);
            }
            if (k >= settings.samplesMax()) {
                return outcome(rounds, Stop.SAMPLES_MAX, below, calls, spent, Double.NaN);
            }
            BitSet items = bits(below);
            double left = left(spent);
            if (!Double.isNaN(left)) {
                ScoringReport estimate = pass.score(items, k + 1, Double.NaN, true);
                if (estimate.usage().costUsd() > left) {
                    return outcome(rounds, Stop.BUDGET, below, calls, spent, estimate.usage().costUsd());
                }
            }
            ScoringReport r = pass.score(items, k + 1, left, false);
            calls += r.calls();
            spent += r.usage().costUsd();
            k++;
            rounds.add(round(rounds.size(), k, below.size(), r, spent));
            if (!finished(r)) {
                return outcome(rounds, r.stoppedByBudget() ? Stop.BUDGET : Stop.INCOMPLETE, below, calls, spent,
                        Double.NaN);
            }
        }
    }

    /** What the budget leaves after {@code spent} (never below 0); NaN without a budget. */
    private double left(double spent) {
        return Double.isNaN(settings.maxCostUsd()) ? Double.NaN : Math.max(0, settings.maxCostUsd() - spent);
    }

    private Outcome outcome(List<Round> rounds, Stop stop, List<Integer> unstable, long calls, double spent,
                            double next) {
        return new Outcome(rounds, stop, unstable, calls, spent - spentBeforeUsd, next, spentBeforeUsd);
    }

    /** Estimates, calling nothing: see {@link Estimate}. */
    public Estimate estimate() throws Exception {
        int k = settings.initialSamples();
        ScoringReport initial = pass.score(null, k, Double.NaN, true);
        ScoringReport perRound = pass.score(null, k + 1, Double.NaN, true);
        ScoringReport upTo = pass.score(null, settings.samplesMax(), Double.NaN, true);
        Map<Integer, Double> now = regionP.of(k);
        if (now.isEmpty()) {
            return new Estimate(initial, perRound, upTo, -1, null, spentBeforeUsd);
        }
        List<Integer> below = below(now);
        ScoringReport next = below.isEmpty() || k >= settings.samplesMax() ? null
                : pass.score(bits(below), k + 1, Double.NaN, true);
        return new Estimate(initial, perRound, upTo, below.size(), next, spentBeforeUsd);
    }

    private Round round(int index, int samples, int below, ScoringReport r, double spent) {
        Round round = new Round(index, samples, below, r, spent);
        listener.accept(round);
        return round;
    }

    /**
     * Whether a pass ran to its end. Failed scores do not stop the loop (their responses have
     * one sample fewer, which {@code region_p} reflects); --retry-failed sends them again.
     */
    private static boolean finished(ScoringReport r) {
        return !r.stoppedByBudget() && r.abortReason() == null && !r.interrupted();
    }

    private List<Integer> below(Map<Integer, Double> p) {
        List<Integer> keys = new ArrayList<>();
        p.forEach((key, value) -> {
            if (value < settings.threshold()) {
                keys.add(key);
            }
        });
        return keys;
    }

    private static BitSet bits(List<Integer> keys) {
        BitSet b = new BitSet();
        keys.forEach(b::set);
        return b;
    }
}
