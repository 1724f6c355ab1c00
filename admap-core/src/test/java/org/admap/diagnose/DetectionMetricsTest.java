package org.admap.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The detection metrics of the self-validation. Hand-worked values in the comments agree with
 * {@code sklearn.metrics.roc_auc_score} (which averages ties the same way).
 */
class DetectionMetricsTest {

    private static final double EPS = 1e-12;

    private static boolean[] truth(int... bits) {
        boolean[] b = new boolean[bits.length];
        for (int i = 0; i < bits.length; i++) {
            b[i] = bits[i] == 1;
        }
        return b;
    }

    // ---- AUC ---------------------------------------------------------------------------

    @Test
    void aucOfAHandExampleWithTiesCountsEachTieAsOneHalf() {
        // positives 0.9, 0.5; negatives 0.5, 0.1, 0.3. Pairs (pos, neg): (0.9 beats all 3) = 3,
        // (0.5 vs 0.5) = 0.5, (0.5 beats 0.1, 0.3) = 2 -> 5.5 / 6 (sklearn 0.9166666666666666)
        double[] s = {0.9, 0.5, 0.5, 0.1, 0.3};
        assertThat(DetectionMetrics.auc(s, truth(1, 1, 0, 0, 0))).isCloseTo(5.5 / 6, within(EPS));
    }

    @Test
    void aucWithoutPositivesOrNegativesIsUndefined() {
        assertThat(DetectionMetrics.auc(new double[] {1, 2}, truth(0, 0))).isNaN();
        assertThat(DetectionMetrics.auc(new double[] {1, 2}, truth(1, 1))).isNaN();
        assertThat(DetectionMetrics.auc(new double[] {}, truth())).isNaN();
    }

    @Test
    void undefinedSuspicionRanksBelowEveryNumberAndTiesWithItself() {
        // positive NaN vs negatives -inf and NaN: loses to -inf (a number), ties NaN -> 0.5 / 2
        double[] s = {Double.NaN, Double.NEGATIVE_INFINITY, Double.NaN};
        assertThat(DetectionMetrics.auc(s, truth(1, 0, 0))).isCloseTo(0.25, within(EPS));
    }

    @Test
    void lengthsMustMatch() {
        assertThatThrownBy(() -> DetectionMetrics.auc(new double[] {1}, truth(1, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DetectionMetrics.precisionRecall(truth(1), truth(1, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void aucOfAPerfectRankingIsOne(@ForAll("labelled") Labelled x) {
        Assume.that(x.hasBothClasses());
        double[] perfect = new double[x.truth.length];
        for (int i = 0; i < perfect.length; i++) {
            perfect[i] = x.truth[i] ? 1 + x.scores[i] * 1e-3 : -1 - x.scores[i] * 1e-3;
        }
        assertThat(DetectionMetrics.auc(perfect, x.truth)).isEqualTo(1.0);
    }

    @Property
    void aucOfAReversedRankingIsZero(@ForAll("labelled") Labelled x) {
        Assume.that(x.hasBothClasses());
        double[] reversed = new double[x.truth.length];
        for (int i = 0; i < reversed.length; i++) {
            reversed[i] = x.truth[i] ? -1 : 1;
        }
        assertThat(DetectionMetrics.auc(reversed, x.truth)).isEqualTo(0.0);
    }

    @Property
    void aucEqualsTheShareOfCorrectlyOrderedPairsTiesCountingHalf(@ForAll("labelled") Labelled x) {
        Assume.that(x.hasBothClasses());
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < x.truth.length; i++) {
            for (int j = 0; j < x.truth.length; j++) {
                if (x.truth[i] && !x.truth[j]) {
                    pairs++;
                    wins += x.scores[i] > x.scores[j] ? 1 : x.scores[i] == x.scores[j] ? 0.5 : 0;
                }
            }
        }
        assertThat(DetectionMetrics.auc(x.scores, x.truth)).isCloseTo(wins / pairs, within(EPS));
    }

    @Property
    void aucIsInvariantToStrictlyIncreasingTransforms(@ForAll("labelled") Labelled x) {
        Assume.that(x.hasBothClasses());
        double[] transformed = new double[x.scores.length];
        for (int i = 0; i < transformed.length; i++) {
            transformed[i] = Math.exp(x.scores[i] / 50) * 3 - 7; // strictly increasing
        }
        assertThat(DetectionMetrics.auc(transformed, x.truth)).isEqualTo(DetectionMetrics.auc(x.scores, x.truth));
    }

    @Property
    void negatingTheSuspicionGivesOneMinusTheAuc(@ForAll("labelled") Labelled x) {
        Assume.that(x.hasBothClasses());
        double[] negated = new double[x.scores.length];
        for (int i = 0; i < negated.length; i++) {
            negated[i] = -x.scores[i];
        }
        assertThat(DetectionMetrics.auc(negated, x.truth))
                .isCloseTo(1 - DetectionMetrics.auc(x.scores, x.truth), within(EPS));
    }

    @Property(tries = 50)
    void aRandomRankingHasAnAucNearOneHalf(@ForAll long seed) {
        // 2,000 instructions, 20% positives: the AUC's standard deviation under no signal is
        // sqrt((n1 + n0 + 1) / (12 n1 n0)) = 0.0161; 0.08 is five of them
        Random random = new Random(seed);
        int n = 2000;
        double[] s = new double[n];
        boolean[] t = new boolean[n];
        for (int i = 0; i < n; i++) {
            s[i] = random.nextGaussian();
            t[i] = i < n / 5;
        }
        assertThat(DetectionMetrics.auc(s, t)).isCloseTo(0.5, within(0.08));
    }

    @Property
    void allTiedSuspicionsGiveOneHalf(@ForAll("labelled") Labelled x) {
        Assume.that(x.hasBothClasses());
        assertThat(DetectionMetrics.auc(new double[x.truth.length], x.truth)).isEqualTo(0.5);
    }

    // ---- precision at k ----------------------------------------------------------------

    @Test
    void precisionAtKCountsATieAcrossTheCutByItsShareOfPositives() {
        // sorted: 0.9 (pos), then 0.5 pos and 0.5 neg tied, then 0.1 neg
        double[] s = {0.5, 0.9, 0.1, 0.5};
        boolean[] t = truth(1, 1, 0, 0);
        assertThat(DetectionMetrics.precisionAtK(s, t, 1)).isEqualTo(1.0);
        assertThat(DetectionMetrics.precisionAtK(s, t, 2)).isCloseTo((1 + 0.5) / 2, within(EPS));
        assertThat(DetectionMetrics.precisionAtK(s, t, 3)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(DetectionMetrics.precisionAtK(s, t, 4)).isEqualTo(0.5);
        assertThat(DetectionMetrics.precisionAtK(s, t, 10)).as("k beyond n is cut to n").isEqualTo(0.5);
        assertThat(DetectionMetrics.precisionAtK(s, t, 0)).isNaN();
    }

    @Property
    void precisionAtKIsBetweenZeroAndOneAndAtNIsThePrevalence(@ForAll("labelled") Labelled x,
                                                              @ForAll @IntRange(min = 1, max = 80) int k) {
        double p = DetectionMetrics.precisionAtK(x.scores, x.truth, k);
        assertThat(p).isBetween(0.0, 1.0);
        long positives = 0;
        for (boolean b : x.truth) {
            positives += b ? 1 : 0;
        }
        assertThat(DetectionMetrics.precisionAtK(x.scores, x.truth, x.truth.length))
                .isCloseTo((double) positives / x.truth.length, within(EPS));
    }

    @Property
    void precisionAtKOfAPerfectRankingIsOneUpToTheNumberOfPositives(@ForAll("labelled") Labelled x) {
        Assume.that(x.hasBothClasses());
        double[] perfect = new double[x.truth.length];
        int positives = 0;
        for (int i = 0; i < perfect.length; i++) {
            perfect[i] = x.truth[i] ? 1 : 0;
            positives += x.truth[i] ? 1 : 0;
        }
        assertThat(DetectionMetrics.precisionAtK(perfect, x.truth, positives)).isEqualTo(1.0);
    }

    // ---- precision and recall ----------------------------------------------------------

    @Test
    void precisionAndRecallOfAHandExample() {
        DetectionMetrics.PrecisionRecall pr = DetectionMetrics.precisionRecall(truth(1, 1, 0, 0, 1),
                truth(1, 0, 1, 0, 1));
        assertThat(pr.flagged()).isEqualTo(3);
        assertThat(pr.positives()).isEqualTo(3);
        assertThat(pr.hits()).isEqualTo(2);
        assertThat(pr.precision()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(pr.recall()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(pr.f1()).isCloseTo(2.0 / 3, within(EPS));
    }

    @Test
    void nothingFlaggedHasNoPrecisionAndNoPositivesNoRecall() {
        assertThat(DetectionMetrics.precisionRecall(truth(0, 0), truth(1, 0)).precision()).isNaN();
        assertThat(DetectionMetrics.precisionRecall(truth(0, 0), truth(1, 0)).recall()).isZero();
        assertThat(DetectionMetrics.precisionRecall(truth(1, 0), truth(0, 0)).recall()).isNaN();
        assertThat(DetectionMetrics.precisionRecall(truth(1, 0), truth(0, 0)).precision()).isZero();
    }

    @Property
    void precisionAndRecallAreBetweenZeroAndOneAndHitsBoundBoth(@ForAll("flagsAndTruth") boolean[][] x) {
        DetectionMetrics.PrecisionRecall pr = DetectionMetrics.precisionRecall(x[0], x[1]);
        assertThat(pr.hits()).isLessThanOrEqualTo(Math.min(pr.flagged(), pr.positives()));
        if (pr.flagged() > 0) {
            assertThat(pr.precision()).isBetween(0.0, 1.0);
        }
        if (pr.positives() > 0) {
            assertThat(pr.recall()).isBetween(0.0, 1.0);
        }
        if (pr.flagged() > 0 && pr.positives() > 0) {
            assertThat(pr.f1()).isBetween(Math.min(pr.precision(), pr.recall()) - EPS,
                    Math.max(pr.precision(), pr.recall()) + EPS);
        }
    }

    @Property
    void flaggingEverythingHasFullRecallAndThePrevalenceAsPrecision(@ForAll("flagsAndTruth") boolean[][] x) {
        boolean[] all = new boolean[x[1].length];
        java.util.Arrays.fill(all, true);
        DetectionMetrics.PrecisionRecall pr = DetectionMetrics.precisionRecall(all, x[1]);
        if (pr.positives() > 0) {
            assertThat(pr.recall()).isEqualTo(1.0);
        }
        assertThat(pr.precision()).isCloseTo((double) pr.positives() / all.length, within(EPS));
    }

    // ---- generators --------------------------------------------------------------------

    /** Suspicions (small integers with many ties, or reals) and the truth. */
    record Labelled(double[] scores, boolean[] truth) {
        boolean hasBothClasses() {
            boolean pos = false;
            boolean neg = false;
            for (boolean b : truth) {
                pos |= b;
                neg |= !b;
            }
            return pos && neg;
        }
    }

    @Provide
    Arbitrary<Labelled> labelled() {
        Arbitrary<Double> value = Arbitraries.oneOf(Arbitraries.integers().between(-3, 3).map(Integer::doubleValue),
                Arbitraries.doubles().between(-100, 100));
        return Arbitraries.integers().between(1, 60).flatMap(n -> Combinators.combine(
                value.list().ofSize(n), Arbitraries.of(true, false).list().ofSize(n))
                .as((s, t) -> new Labelled(s.stream().mapToDouble(Double::doubleValue).toArray(), toArray(t))));
    }

    @Provide
    Arbitrary<boolean[][]> flagsAndTruth() {
        return Arbitraries.integers().between(1, 60).flatMap(n -> Combinators.combine(
                Arbitraries.of(true, false).list().ofSize(n), Arbitraries.of(true, false).list().ofSize(n))
                .as((f, t) -> new boolean[][] {toArray(f), toArray(t)}));
    }

    private static boolean[] toArray(List<Boolean> list) {
        boolean[] b = new boolean[list.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = list.get(i);
        }
        return b;
    }
}
