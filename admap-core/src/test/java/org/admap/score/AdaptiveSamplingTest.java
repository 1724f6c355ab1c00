package org.admap.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stopping rules of {@link AdaptiveSampling} on a fake run: instruction {@code i} is
 * stable ({@code region_p} 0.95) once its first {@code k} samples number at least
 * {@code need[i]}, else 0.5; every judgment costs $1 (one call).
 */
class AdaptiveSamplingTest {

    /** A fake run: per instruction, its samples so far; its responses are one per instruction. */
    static final class World {
        final int[] samples;
        final int[] need;
        final List<Integer> askedAt = new ArrayList<>();
        long calls;

        World(int... need) {
            this.need = need;
            this.samples = new int[need.length];
        }

        ScoringReport pass(BitSet items, int k, double budget, boolean dryRun) {
            long made = 0;
            boolean stopped = false;
            for (int i = 0; i < samples.length; i++) {
                if (items != null && !items.get(i)) {
                    continue;
                }
                for (int have = samples[i]; have < k; have++) {
                    if (!dryRun && !Double.isNaN(budget) && made + 1 > budget) {
                        stopped = true;
                        break;
                    }
                    made++;
                    if (!dryRun) {
                        samples[i]++;
                    }
                }
            }
            if (!dryRun) {
                calls += made;
            }
            return new ScoringReport("judge", dryRun ? 0 : made, 0, 0, 0, 0, made, new Usage(made, made, made),
                    stopped, null, false, Duration.ZERO, 0);
        }

        Map<Integer, Double> regionP(int k) {
            askedAt.add(k);
            Map<Integer, Double> p = new LinkedHashMap<>();
            for (int i = 0; i < need.length; i++) {
                p.put(i, Math.min(samples[i], k) >= need[i] ? 0.95 : 0.5);
            }
            return p;
        }

        AdaptiveSampling loop(int initial, int max, double maxCost) {
            return new AdaptiveSampling(new AdaptiveSampling.AdaptiveSettings(initial, max, 0.9, maxCost), this::pass,
                    this::regionP);
        }
    }

    @Test
    void roundsStopWhenNoInstructionIsBelowTheThresholdAndOnlyTheUnstableGetMoreSamples() throws Exception {
        World w = new World(2, 3, 2, 5, 4);
        List<AdaptiveSampling.Round> seen = new ArrayList<>();
        AdaptiveSampling.Outcome o = w.loop(2, 6, Double.NaN).onRound(seen::add).run();

        assertThat(o.stop()).isEqualTo(AdaptiveSampling.Stop.STABLE);
        assertThat(o.unstable()).isEmpty();
        assertThat(w.samples).containsExactly(2, 3, 2, 5, 4);
        assertThat(o.rounds()).extracting(AdaptiveSampling.Round::below).containsExactly(-1, 3, 2, 1);
        assertThat(o.rounds()).extracting(AdaptiveSampling.Round::samples).containsExactly(2, 3, 4, 5);
        assertThat(seen).isEqualTo(o.rounds());
        assertThat(o.calls()).isEqualTo(10 + 3 + 2 + 1).isEqualTo(w.calls);
        assertThat(o.costUsd()).isEqualTo(16.0);
        // Each choice counts only the samples below the round's target: 2, 3, 4, then 5 to see it stable.
        assertThat(w.askedAt).containsExactly(2, 3, 4, 5);
    }

    @Test
    void samplesMaxIsNeverPassedAndTheInstructionsLeftUnstableAreNamed() throws Exception {
        World w = new World(2, 9, 3, 7);
        AdaptiveSampling.Outcome o = w.loop(2, 4, Double.NaN).run();

        assertThat(o.stop()).isEqualTo(AdaptiveSampling.Stop.SAMPLES_MAX);
        assertThat(w.samples).containsExactly(2, 4, 3, 4);
        assertThat(o.unstable()).containsExactly(1, 3);
    }

    @Test
    void theLoopStopsBeforeARoundWhoseEstimatedCostWouldPassTheBudget() throws Exception {
        World w = new World(2, 6, 6, 6, 6);
        // Round 0: 10 calls; rounds of 4 calls each: 14, 18, then 22 > 20 is not started.
        AdaptiveSampling.Outcome o = w.loop(2, 6, 20).run();

        assertThat(o.stop()).isEqualTo(AdaptiveSampling.Stop.BUDGET);
        assertThat(o.costUsd()).isEqualTo(18.0).isLessThanOrEqualTo(20.0);
        assertThat(w.calls).isEqualTo(18);
        assertThat(o.nextCostUsd()).isEqualTo(4.0);
        assertThat(o.unstable()).containsExactly(1, 2, 3, 4);
        assertThat(w.samples).containsExactly(2, 4, 4, 4, 4);
    }

    @Test
    void theBudgetCoversWhatEarlierInvocationsSpentSoARerunGetsNoFreshBudget() throws Exception {
        World w = new World(2, 6, 6, 6, 6);
        // A first invocation stops at its budget of 14: round 0 (10 calls) and one round of 4.
        AdaptiveSampling.Outcome first = w.loop(2, 6, 14).run();
        assertThat(first.stop()).isEqualTo(AdaptiveSampling.Stop.BUDGET);
        assertThat(w.calls).isEqualTo(14);

        // With --max-cost 20 the source has 6 left: one more round of 4, not 20 more.
        AdaptiveSampling.Outcome second = new AdaptiveSampling(new AdaptiveSampling.AdaptiveSettings(2, 6, 0.9, 20),
                w::pass, w::regionP, w.calls).run();
        assertThat(second.stop()).isEqualTo(AdaptiveSampling.Stop.BUDGET);
        assertThat(second.calls()).isEqualTo(4);
        assertThat(second.costUsd()).isEqualTo(4.0);
        assertThat(second.spentBeforeUsd()).isEqualTo(14.0);
        assertThat(second.totalCostUsd()).isEqualTo(18.0).isLessThanOrEqualTo(20.0);
        assertThat(second.nextCostUsd()).isEqualTo(4.0);
        assertThat(second.rounds()).last().extracting(AdaptiveSampling.Round::costUsd).isEqualTo(18.0);
        assertThat(w.calls).isEqualTo(18);

        // The same budget again: nothing left for a round, nothing called.
        AdaptiveSampling.Outcome third = new AdaptiveSampling(new AdaptiveSampling.AdaptiveSettings(2, 6, 0.9, 20),
                w::pass, w::regionP, w.calls).run();
        assertThat(third.stop()).isEqualTo(AdaptiveSampling.Stop.BUDGET);
        assertThat(third.calls()).isZero();
        assertThat(w.calls).isEqualTo(18);
    }

    @Test
    void aSourceThatSpentTheWholeBudgetBeforeCallsNothingEvenInRoundZero() throws Exception {
        World w = new World(2, 6);
        AdaptiveSampling.Outcome o = new AdaptiveSampling(new AdaptiveSampling.AdaptiveSettings(2, 6, 0.9, 5),
                w::pass, w::regionP, 5).run();
        assertThat(o.stop()).isEqualTo(AdaptiveSampling.Stop.BUDGET);
        assertThat(w.calls).isZero();
        assertThat(o.totalCostUsd()).isEqualTo(5.0);
    }

    @Test
    void aBudgetTooSmallForTheFirstPassStopsThere() throws Exception {
        World w = new World(2, 6);
        AdaptiveSampling.Outcome o = w.loop(2, 6, 3).run();

        assertThat(o.stop()).isEqualTo(AdaptiveSampling.Stop.BUDGET);
        assertThat(o.rounds()).hasSize(1);
        assertThat(w.calls).isEqualTo(3);
        assertThat(w.askedAt).as("no region_p without the first samples").isEmpty();
    }

    @Test
    void aRerunAfterTheEndMakesTheSameChoicesAndNoCall() throws Exception {
        World w = new World(2, 3, 5, 9);
        AdaptiveSampling.Outcome first = w.loop(2, 6, Double.NaN).run();
        long calls = w.calls;
        AdaptiveSampling.Outcome again = w.loop(2, 6, Double.NaN).run();

        assertThat(again.calls()).isZero();
        assertThat(w.calls).isEqualTo(calls);
        assertThat(again.stop()).isEqualTo(first.stop()).isEqualTo(AdaptiveSampling.Stop.SAMPLES_MAX);
        assertThat(again.rounds()).extracting(AdaptiveSampling.Round::below)
                .isEqualTo(first.rounds().stream().map(AdaptiveSampling.Round::below).toList());
    }

    /** Choices kept in a map, as the run store keeps them. */
    static final class Kept implements AdaptiveSampling.Choices {
        final Map<Integer, List<Integer>> rounds = new LinkedHashMap<>();

        @Override
        public List<Integer> recorded(int round) {
            return rounds.get(round);
        }

        @Override
        public void record(int round, List<Integer> chosen) {
            rounds.put(round, List.copyOf(chosen));
        }
    }

    @Test
    void aRerunReplaysTheRecordedChoicesRatherThanChoosingFromJudgmentsStoredSince() throws Exception {
        World w = new World(2, 3, 5, 9);
        Kept kept = new Kept();
        AdaptiveSampling.Outcome first = w.loop(2, 6, Double.NaN).choices(kept).run();
        assertThat(kept.rounds.keySet()).containsExactly(1, 2, 3, 4);
        assertThat(kept.rounds.get(1)).containsExactly(1, 2, 3);
        int asked = w.askedAt.size();

        // A rerun asks region_p only where no choice is recorded: at the end, to see why it stops.
        AdaptiveSampling.Outcome again = w.loop(2, 6, Double.NaN).choices(kept).run();
        assertThat(again.calls()).isZero();
        assertThat(again.rounds()).extracting(AdaptiveSampling.Round::below)
                .isEqualTo(first.rounds().stream().map(AdaptiveSampling.Round::below).toList());
        assertThat(w.askedAt.subList(asked, w.askedAt.size())).containsExactly(6);

        // A recorded choice is followed even where region_p would now say otherwise.
        World other = new World(2, 2, 2);
        Kept forced = new Kept();
        forced.record(1, List.of(2));
        AdaptiveSampling.Outcome o = other.loop(2, 6, Double.NaN).choices(forced).run();
        assertThat(o.rounds()).extracting(AdaptiveSampling.Round::below).containsExactly(-1, 1);
        assertThat(other.samples).containsExactly(2, 2, 3);
    }

    @Test
    void withoutAnyUncertaintyNothingIsChosen() throws Exception {
        World w = new World(2, 6);
        AdaptiveSampling.Outcome o = new AdaptiveSampling(new AdaptiveSampling.AdaptiveSettings(1, 6, 0.9, Double.NaN),
                w::pass, k -> Map.of()).run();

        assertThat(o.stop()).isEqualTo(AdaptiveSampling.Stop.NO_UNCERTAINTY);
        assertThat(w.samples).containsExactly(1, 1);
    }

    @Test
    void theDryRunGivesBoundsAndCallsNothing() throws Exception {
        World w = new World(2, 6, 6);
        AdaptiveSampling.Estimate e = w.loop(2, 5, Double.NaN).estimate();

        assertThat(w.calls).isZero();
        assertThat(e.initial().calls()).isEqualTo(6);
        assertThat(e.perRound().calls()).isEqualTo(9);
        assertThat(e.upTo().calls()).isEqualTo(15);
        // Nothing stored: the fake's region_p of zero samples says all three are below.
        assertThat(e.belowNow()).isEqualTo(3);
    }

    @Test
    void settingsOutOfRangeAreRefusedWithTheOptionNamed() {
        assertThatThrownBy(() -> new AdaptiveSampling.AdaptiveSettings(3, 2, 0.9, Double.NaN))
                .hasMessageContaining("--samples-max (2) must be at least --samples (3)");
        assertThatThrownBy(() -> new AdaptiveSampling.AdaptiveSettings(2, 4, 1.5, Double.NaN))
                .hasMessageContaining("--adaptive-threshold");
    }
}
