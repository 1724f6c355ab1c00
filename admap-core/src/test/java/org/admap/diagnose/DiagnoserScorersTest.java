package org.admap.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;

/** Several scorers weighed together, pairs' margins and confidences, and text findings. */
class DiagnoserScorersTest {

    private static final double NA = Double.NaN;

    private static DiagnoseOptions options(List<String> scorers, double quorum) {
        return new DiagnoseOptions(Correlation.PEARSON, 0.65, 0, 0, true).withScorers(scorers, quorum, 0.5);
    }

    private static MapPoint point(int key, double[] scores) {
        double mean = 0;
        for (double s : scores) {
            mean += s / scores.length;
        }
        double var = 0;
        for (double s : scores) {
            var += (s - mean) * (s - mean) / scores.length;
        }
        return new MapPoint(key, "item-" + key, scores.length, mean, var, Math.sqrt(var), Region.HIGH_AVG, NA);
    }

    /** Feeds an item: the map's scores and each scorer's, all against the same labels. */
    private static void accept(Diagnoser d, int key, double[] labels, double[] map, double[]... scorers) {
        List<ItemScores> s = new ArrayList<>();
        List<double[]> conf = new ArrayList<>();
        for (double[] x : scorers) {
            s.add(new ItemScores(key, "item-" + key, x, labels));
            conf.add(null);
        }
        d.accept(point(key, map), new ItemScores(key, "item-" + key, map, labels), null, s, conf);
    }

    private static double[] v(double... xs) {
        return xs;
    }

    @Test
    void scorersThatAgreeWithEachOtherAgainstTheLabelsFlagTheInstruction() {
        Diagnoser d = new Diagnoser(options(List.of("judge", "reward"), 1));
        double[] labels = v(4, 3, 2, 1);
        // the map's scores agree with the labels, both scorers reverse them and agree with each other
        accept(d, 0, labels, v(8, 6, 4, 2), v(1, 2, 3, 4), v(-3, -1, 0.5, 2));
        // one scorer agrees with the labels: no flag
        accept(d, 1, labels, v(8, 6, 4, 2), v(1, 2, 3, 4), v(2, 0.5, -1, -3));
        // both against the labels (pearson -0.8 and 0.4) but not with each other (Kendall 0)
        accept(d, 2, labels, v(8, 6, 4, 2), v(1, 2, 4, 3), v(2, 4, 3, 1));

        Diagnosis diagnosis = d.finish();

        assertThat(diagnosis.flags()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("item-0");
            assertThat(f.reasons()).containsExactly(Reason.SCORERS_DISAGREE);
            assertThat(f.scorersAgainst()).isEqualTo(2);
            assertThat(f.scorerAgreement()).isEqualTo(1.0);
            assertThat(f.scorers()).extracting(Evidence::source).containsExactly("judge", "reward");
            assertThat(f.scorers().get(0).correlation()).isCloseTo(-1, within(1e-12));
            assertThat(f.detail()).isEqualTo("2 of 2 scorers disagree with the labels (judge pearson -1.000, reward"
                    + " pearson -0.9973) and agree with each other (Kendall 1.000 >= 0.5000)");
            assertThat(f.correlation()).as("the map's own agreement").isCloseTo(1, within(1e-12));
        });
        assertThat(diagnosis.scorersEvaluated()).isEqualTo(3);
    }

    @Test
    void aQuorumBelowOneLetsAMinorityOfScorersDissent() {
        double[] labels = v(4, 3, 2, 1);
        for (double quorum : new double[] {1, 0.6}) {
            Diagnoser d = new Diagnoser(options(List.of("judge", "reward", "reference"), quorum));
            accept(d, 0, labels, v(8, 6, 4, 2), v(1, 2, 3, 4), v(1, 2, 3, 5), v(4, 3, 2, 1));

            boolean flagged = !d.finish().flags().isEmpty();

            assertThat(flagged).as("quorum %s: 2 of 3 against", quorum).isEqualTo(quorum < 2.0 / 3 + 1e-9);
        }
    }

    @Test
    void oneScorerAloneNeverRaisesTheScorersFlag() {
        Diagnoser d = new Diagnoser(options(List.of("judge"), 0.5));
        accept(d, 0, v(4, 3, 2, 1), v(8, 6, 4, 2), v(1, 2, 3, 4));

        assertThat(d.finish().flags()).isEmpty();
    }

    @Test
    void pairsVoteByTheirMarginsAndCarryTheScorersConfidence() {
        Diagnoser d = new Diagnoser(options(List.of("judge", "reward"), 1));
        double[] labels = v(1, 0);
        List<ItemScores> scorers = List.of(new ItemScores(0, "item-0", v(3, 7), labels),
                new ItemScores(0, "item-0", v(-1.5, 0.5), labels));
        List<double[]> confidence = new ArrayList<>();
        confidence.add(v(0.9, 0.7));
        confidence.add(null);
        d.accept(point(0, v(0.9, 0.2)), new ItemScores(0, "item-0", v(0.9, 0.2), labels), v(0.6, NA), scorers,
                confidence);

        Flag f = d.finish().flags().get(0);

        assertThat(f.reasons()).containsExactly(Reason.SCORERS_DISAGREE);
        assertThat(f.scorers().get(0).margin()).isEqualTo(-4.0);
        assertThat(f.scorers().get(0).confidence()).isCloseTo(0.8, within(1e-12));
        assertThat(f.scorers().get(0).rankAgreement()).isEqualTo(-1.0);
        assertThat(f.scorers().get(1).margin()).isEqualTo(-2.0);
        assertThat(f.scorers().get(1).confidence()).isNaN();
        assertThat(f.margin()).isCloseTo(0.7, within(1e-12));
        assertThat(f.rankAgreement()).isEqualTo(1.0);
        assertThat(f.confidence()).as("one of the two has no confidence").isNaN();
    }

    @Test
    void aMarginThresholdFlagsPairsPreferredTooNarrowly() {
        Diagnoser d = new Diagnoser(DiagnoseOptions.paper(true).withMinMargin(0.5));
        d.accept(point(0, v(0.6, 0.5)), new ItemScores(0, "item-0", v(0.6, 0.5), v(1, 0)));
        d.accept(point(1, v(0.9, 0.1)), new ItemScores(1, "item-1", v(0.9, 0.1), v(1, 0)));

        Diagnosis diagnosis = d.finish();

        assertThat(diagnosis.flags()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("item-0");
            assertThat(f.reasons()).containsExactly(Reason.SCORE_PREFERS_REJECTED);
            assertThat(f.detail()).isEqualTo("score margin 0.1000 < 0.5000");
        });
    }

    @Test
    void textFindingsAreFlaggedOnMappedAndUnmappedInstructionsInInputOrder() {
        Duplicates.Finder finder = new Duplicates.Finder();
        finder.accept(0, "item-0", "Say hi", List.of("hi", "hi ", "hello"));
        finder.accept(1, "item-1", "Unmapped", List.of("a"));
        finder.accept(2, "item-2", "say hi!", List.of("x", "y", "z"));
        Diagnoser d = new Diagnoser(DiagnoseOptions.paper(true));
        d.accept(point(0, v(1, 1, 2)), new ItemScores(0, "item-0", v(1, 1, 2), v(1, 1, 2)));

        Diagnosis diagnosis = d.finish(finder.finish());

        assertThat(diagnosis.flags()).extracting(Flag::id).containsExactly("item-0", "item-2");
        Flag first = diagnosis.flags().get(0);
        assertThat(first.reasons()).containsExactly(Reason.DUPLICATE_RESPONSES);
        assertThat(first.duplicateResponses()).isEqualTo(1);
        assertThat(first.detail()).isEqualTo("1 of 3 responses repeats another (whitespace aside)");
        Flag repeat = diagnosis.flags().get(1);
        assertThat(repeat.reasons()).containsExactly(Reason.DUPLICATE_INSTRUCTION);
        assertThat(repeat.duplicateOf().id()).isEqualTo("item-0");
        assertThat(repeat.mean()).as("not on the map").isNaN();
        assertThat(repeat.n()).isEqualTo(3);
        assertThat(repeat.detail()).isEqualTo("repeats item-0 (after normalising case, whitespace and punctuation)");
        assertThat(diagnosis.examined()).isEqualTo(1);
    }

    @Test
    void theScorersMustMatchTheOptions() {
        Diagnoser d = new Diagnoser(options(List.of("judge", "reward"), 1));
        assertThatThrownBy(() -> d.accept(point(0, v(1, 2)), new ItemScores(0, "x", v(1, 2), v(1, 2)), null,
                List.of(), List.of())).hasMessageContaining("expected the scores of 2 scorers");
        assertThatThrownBy(() -> options(List.of("judge", "judge"), 1)).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> options(List.of("judge"), 0)).hasMessageContaining("quorum");
    }
}
