package org.admap.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The three agreement measures. Expected values are worked by hand in the comments and
 * agree with numpy ({@code a @ b / norm(a) / norm(b)}), {@code scipy.stats.pearsonr} and
 * {@code scipy.stats.kendalltau} (tau-b, scipy 1.17).
 */
class CorrelationTest {

    private static final double NA = Double.NaN;
    private static final double EPS = 1e-12;

    // ---- cosine (the paper's measure) --------------------------------------------------

    @Test
    void cosineOfReversedRanksIsStillHighBecauseItIsNotCentred() {
        // (1,2,3).(3,2,1) = 3 + 4 + 3 = 10; |a|^2 = |b|^2 = 14 -> 10/14 = 5/7
        assertThat(Correlation.COSINE.of(new double[] {1, 2, 3}, new double[] {3, 2, 1}))
                .isCloseTo(5.0 / 7, within(EPS));
        // (4,3,2,1).(1,2,3,4) = 4 + 6 + 6 + 4 = 20; |a|^2 = |b|^2 = 30 -> 2/3
        assertThat(Correlation.COSINE.of(new double[] {4, 3, 2, 1}, new double[] {1, 2, 3, 4}))
                .isCloseTo(2.0 / 3, within(EPS));
    }

    @Test
    void cosineWithTiesMatchesAHandComputation() {
        // (1,2,2,3).(1,3,2,2) = 1 + 6 + 4 + 6 = 17; |a|^2 = |b|^2 = 18 -> 17/18 = 0.9444...
        assertThat(Correlation.COSINE.of(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 2}))
                .isCloseTo(17.0 / 18, within(EPS));
    }

    @Test
    void cosineOfADemoLikeItemMatchesNumpy() {
        // labels 5,4,3,1 vs scores 9.2,7.0,6.1,2.5: dot = 46 + 28 + 18.3 + 2.5 = 94.8;
        // |a| = sqrt(51), |b| = sqrt(84.64 + 49 + 37.21 + 6.25) = sqrt(177.1)
        double expected = 94.8 / Math.sqrt(51 * 177.1); // numpy: 0.997502444598727
        assertThat(Correlation.COSINE.of(new double[] {5, 4, 3, 1}, new double[] {9.2, 7.0, 6.1, 2.5}))
                .isCloseTo(expected, within(EPS)).isCloseTo(0.997502444598727, within(EPS));
    }

    @Test
    void cosineIsUndefinedForAZeroVector() {
        assertThat(Correlation.COSINE.of(new double[] {0, 0, 0}, new double[] {1, 2, 3})).isNaN();
        assertThat(Correlation.COSINE.of(new double[] {1, 2, 3}, new double[] {0, 0, 0})).isNaN();
    }

    @Test
    void cosineOfAConstantVectorIsDefined() {
        // only pearson centres: (1,1,1).(1,2,3) = 6; |a| = sqrt(3), |b| = sqrt(14)
        assertThat(Correlation.COSINE.of(new double[] {1, 1, 1}, new double[] {1, 2, 3}))
                .isCloseTo(6 / Math.sqrt(42), within(EPS));
    }

    // ---- pearson -----------------------------------------------------------------------

    @Test
    void pearsonWithTiesMatchesAHandComputation() {
        // centred: (-1,0,0,1) and (-1,1,0,0): dot 1, both norms sqrt(2) -> 1/2 (scipy 0.4999999999999999)
        assertThat(Correlation.PEARSON.of(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 2}))
                .isCloseTo(0.5, within(EPS));
        // centred: (-2,-1,0,1,2) and (-1,-2,1,0,2): dot 2 + 2 + 0 + 0 + 4 = 8, norms^2 10 -> 0.8
        assertThat(Correlation.PEARSON.of(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 5}))
                .isCloseTo(0.8, within(EPS));
    }

    @Test
    void pearsonOfPerfectlyOpposedVectorsIsMinusOne() {
        assertThat(Correlation.PEARSON.of(new double[] {1, 2, 3}, new double[] {3, 2, 1}))
                .isCloseTo(-1.0, within(EPS));
    }

    @Test
    void pearsonIsUndefinedForAConstantVector() {
        assertThat(Correlation.PEARSON.of(new double[] {2, 2, 2}, new double[] {1, 2, 4})).isNaN();
        assertThat(Correlation.PEARSON.of(new double[] {1, 2, 4}, new double[] {7, 7, 7})).isNaN();
    }

    @Test
    void pearsonIsUndefinedForAConstantVectorWhoseMeanIsNotExact() {
        // 0.1 + 0.1 + 0.1 = 0.30000000000000004, so the computed mean is not 0.1 and the
        // centred vector is a tiny non-zero constant. scipy.stats.pearsonr([0.1]*3, [1, 2, 4])
        // still says nan (ConstantInputWarning): a constant vector has no correlation.
        assertThat(Correlation.PEARSON.of(new double[] {0.1, 0.1, 0.1}, new double[] {1, 2, 4})).isNaN();
        assertThat(Correlation.PEARSON.of(new double[] {5, 1, 3}, new double[] {0.7, 0.7, 0.7})).isNaN();
    }

    // ---- kendall tau-b -----------------------------------------------------------------

    @Test
    void kendallCountsConcordantAndDiscordantPairs() {
        // (1..5) vs (2,1,4,3,5): of 10 pairs, (1,2) and (3,4) are discordant -> (8 - 2)/10
        assertThat(Correlation.KENDALL.of(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 5}))
                .isCloseTo(0.6, within(EPS));
        assertThat(Correlation.KENDALL.of(new double[] {4, 3, 2, 1}, new double[] {1, 2, 3, 4}))
                .isCloseTo(-1.0, within(EPS));
    }

    @Test
    void kendallTauBCorrectsForTiesOnBothSides() {
        // a = (1,2,2,3), b = (1,3,2,2); the 6 pairs:
        //   (0,1) C, (0,2) C, (0,3) C, (1,2) tied in a only, (1,3) D, (2,3) tied in b only
        // tau-b = (3 - 1) / sqrt((3 + 1 + 1) * (3 + 1 + 1)) = 2/5 (scipy 0.39999999999999997)
        assertThat(Correlation.KENDALL.of(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 2}))
                .isCloseTo(0.4, within(EPS));
    }

    @Test
    void kendallTauBCorrectsForTiesInOneVector() {
        // a = (1,1,2,2), b = (1,2,3,4): 4 concordant, 2 tied in a only
        // tau-b = 4 / sqrt((4 + 2) * 4) = 2 / sqrt(6) (scipy 0.8164965809277261)
        assertThat(Correlation.KENDALL.of(new double[] {1, 1, 2, 2}, new double[] {1, 2, 3, 4}))
                .isCloseTo(2 / Math.sqrt(6), within(EPS));
    }

    @Test
    void kendallTauBLeavesPairsTiedOnBothSidesOutOfBothTotals() {
        // a = (1,2,2,3,3,3), b = (1,1,2,2,3,3); of the 15 pairs (by index):
        //   tied in a only: (1,2) (3,4) (3,5); tied in b only: (0,1) (2,3); tied in both: (4,5);
        //   the other 9 concordant, none discordant.
        // n1 = ties in a = 4, n2 = ties in b = 3 (each counting the pair tied in both)
        // tau-b = 9 / sqrt((15 - 4) * (15 - 3)) = 9 / sqrt(132) (scipy 0.7833494518006404)
        assertThat(Correlation.KENDALL.of(new double[] {1, 2, 2, 3, 3, 3}, new double[] {1, 1, 2, 2, 3, 3}))
                .isCloseTo(9 / Math.sqrt(132), within(EPS)).isCloseTo(0.7833494518006404, within(EPS));
    }

    @Test
    void kendallTreatsMinusZeroAsATieWithZero() {
        // scipy.stats.kendalltau([0.0, -0.0, 1], [1, 2, 3]) == kendalltau([0, 0, 1], [1, 2, 3])
        // == 2 / sqrt(2 * 3) = 0.816496580927726: -0.0 and 0.0 are the same number
        assertThat(Correlation.KENDALL.of(new double[] {0.0, -0.0, 1}, new double[] {1, 2, 3}))
                .isCloseTo(2 / Math.sqrt(6), within(EPS));
    }

    @Test
    void kendallIsUndefinedWhenOneSideIsAllTied() {
        assertThat(Correlation.KENDALL.of(new double[] {3, 3, 3}, new double[] {1, 2, 3})).isNaN();
        assertThat(Correlation.KENDALL.of(new double[] {1, 2, 3}, new double[] {0.5, 0.5, 0.5})).isNaN();
    }

    // ---- rank agreement (pairwise data) ------------------------------------------------

    @Test
    void rankAgreementOfAPairIsPlusOneMinusOneOrZero() {
        assertThat(Correlation.RANK.of(new double[] {1, 0}, new double[] {0.9, 0.2})).isEqualTo(1.0);
        assertThat(Correlation.RANK.of(new double[] {1, 0}, new double[] {0.2, 0.9})).isEqualTo(-1.0);
        assertThat(Correlation.RANK.of(new double[] {1, 0}, new double[] {0.5, 0.5})).isEqualTo(0.0);
        assertThat(Correlation.RANK.of(new double[] {1, 1}, new double[] {0.2, 0.9})).as("no preference").isNaN();
    }

    @Test
    void rankAgreementCountsOnlyPairsWhoseLabelsDiffer() {
        // labels (3,3,1): pairs (0,2) and (1,2) count, (0,1) does not. scores (5,1,2): (0,2)
        // agrees, (1,2) disagrees -> 0; Kendall would also count the score order of (0,1)
        assertThat(Correlation.RANK.of(new double[] {3, 3, 1}, new double[] {5, 1, 2})).isEqualTo(0.0);
        // labels (1,2,3,4) vs scores (1,2,4,3): 5 of 6 pairs agree, 1 disagrees -> 4/6
        assertThat(Correlation.RANK.of(new double[] {1, 2, 3, 4}, new double[] {1, 2, 4, 3}))
                .isCloseTo(4.0 / 6, within(EPS));
    }

    @Property
    void rankAgreementEqualsKendallWhenNeitherSideHasTies(@ForAll("vectorPairs") double[][] v) {
        Assume.that(distinct(v[0]) && distinct(v[1]));
        assertThat(Correlation.RANK.of(v[0], v[1])).isCloseTo(Correlation.KENDALL.of(v[0], v[1]), within(EPS));
    }

    // ---- shared rules ------------------------------------------------------------------

    @Test
    void everyMeasureIsUndefinedWithFewerThanTwoPairs() {
        for (Correlation c : Correlation.values()) {
            assertThat(c.of(new double[] {}, new double[] {})).as(c.cliName()).isNaN();
            assertThat(c.of(new double[] {3}, new double[] {4})).as(c.cliName()).isNaN();
            assertThat(c.of(new double[] {3, NA, 5}, new double[] {4, 2, NA})).as(c.cliName()).isNaN();
        }
    }

    @Test
    void positionsWithAnAbsentValueOnEitherSideAreSkipped() {
        double[] labels = {5, NA, 4, 3, 1, 2};
        double[] scores = {9.2, 1.0, 7.0, 6.1, 2.5, NA};
        double[] bothLabels = {5, 4, 3, 1};
        double[] bothScores = {9.2, 7.0, 6.1, 2.5};
        for (Correlation c : Correlation.values()) {
            assertThat(c.of(labels, scores)).as(c.cliName()).isEqualTo(c.of(bothLabels, bothScores));
        }
    }

    @Test
    void namesParseAsOnTheCommandLine() {
        assertThat(Correlation.parse(" Kendall ")).isEqualTo(Correlation.KENDALL);
        assertThat(Correlation.parse("cosine")).isEqualTo(Correlation.COSINE);
        assertThat(Correlation.parse("RANK")).isEqualTo(Correlation.RANK);
        assertThat(Correlation.parse("pearson-minmax")).isEqualTo(Correlation.PEARSON_MINMAX);
        assertThat(Correlation.parse("KL")).isEqualTo(Correlation.KL);
        assertThatThrownBy(() -> Correlation.parse("spearman"))
                .hasMessageContaining("cosine, pearson, kendall, rank, pearson-minmax or kl");
    }

    // ---- properties --------------------------------------------------------------------

    @Property
    void everyMeasureIsBetweenMinusOneAndOneOrUndefined(@ForAll("vectorPairs") double[][] v) {
        for (Correlation c : Correlation.values()) {
            double r = c.of(v[0], v[1]);
            if (!Double.isNaN(r)) {
                assertThat(r).as(c.cliName()).isBetween(-1.0, 1.0);
            }
        }
    }

    @Property
    void cosineOfAVectorWithItselfIsOne(@ForAll("vectors") double[] x) {
        Assume.that(!allZero(x));

        assertThat(Correlation.COSINE.of(x, x)).isCloseTo(1.0, within(EPS));
    }

    @Property
    void pearsonOfAVectorWithItselfIsOne(@ForAll("vectors") double[] x) {
        Assume.that(!constant(x));

        assertThat(Correlation.PEARSON.of(x, x)).isCloseTo(1.0, within(EPS));
    }

    @Property
    void cosineIsFreeOfScaleEvenAtTinyAndHugeMagnitudes(@ForAll("vectorPairs") double[][] v,
                                                       @ForAll @IntRange(min = -300, max = 300) int exponent) {
        double scale = Math.pow(10, exponent);
        double[] scaled = times(v[1], scale, 0);
        double expected = Correlation.COSINE.of(v[0], v[1]);

        if (Double.isNaN(expected)) {
            assertThat(Correlation.COSINE.of(v[0], scaled)).isNaN();
        } else {
            assertThat(Correlation.COSINE.of(v[0], scaled)).isCloseTo(expected, within(1e-9));
        }
    }

    @Property
    void pearsonIsInvariantToPositiveAffineTransformsOfEitherVector(
            @ForAll("vectorPairs") double[][] v,
            @ForAll @DoubleRange(min = 0.1, max = 10) double factor,
            @ForAll @DoubleRange(min = -100, max = 100) double shift) {
        Assume.that(!constant(v[0]) && !constant(v[1]));
        double r = Correlation.PEARSON.of(v[0], v[1]);

        // exact in real numbers; in doubles the shift costs a few digits of the smallest spread
        assertThat(Correlation.PEARSON.of(times(v[0], factor, shift), v[1])).isCloseTo(r, within(1e-6));
        assertThat(Correlation.PEARSON.of(v[0], times(v[1], factor, shift))).isCloseTo(r, within(1e-6));
    }

    @Property
    void kendallIsInvariantToStrictlyIncreasingTransforms(@ForAll("vectorPairs") double[][] v) {
        double r = Correlation.KENDALL.of(v[0], v[1]);
        double[] a = new double[v[0].length];
        double[] b = new double[v[1].length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.exp(v[0][i] / 10); // strictly increasing
            b[i] = Math.cbrt(v[1][i]) * 3 + 7; // strictly increasing
        }

        if (Double.isNaN(r)) {
            assertThat(Correlation.KENDALL.of(a, b)).isNaN();
        } else {
            assertThat(Correlation.KENDALL.of(a, b)).isCloseTo(r, within(EPS));
        }
    }

    @Property
    void reversingOneVectorNegatesPearsonAndKendall(@ForAll("vectorPairs") double[][] v) {
        double[] negated = times(v[1], -1, 0);
        for (Correlation c : List.of(Correlation.PEARSON, Correlation.KENDALL)) {
            double r = c.of(v[0], v[1]);
            if (Double.isNaN(r)) {
                assertThat(c.of(v[0], negated)).as(c.cliName()).isNaN();
            } else {
                assertThat(c.of(v[0], negated)).as(c.cliName()).isCloseTo(-r, within(EPS));
            }
        }
    }

    @Property
    void everyMeasureButTheRankAgreementIsSymmetric(@ForAll("vectorPairs") double[][] v) {
        for (Correlation c : List.of(Correlation.COSINE, Correlation.PEARSON, Correlation.KENDALL)) {
            double r = c.of(v[0], v[1]);
            if (Double.isNaN(r)) {
                assertThat(c.of(v[1], v[0])).as(c.cliName()).isNaN();
            } else {
                assertThat(c.of(v[1], v[0])).as(c.cliName()).isCloseTo(r, within(EPS));
            }
        }
    }

    // ---- generators --------------------------------------------------------------------

    /** 2 to 12 values: small integers (ratings, with ties) or reals (scores). */
    @Provide
    Arbitrary<double[]> vectors() {
        return values().list().ofMinSize(2).ofMaxSize(12).map(CorrelationTest::toArray);
    }

    /** Two vectors of the same length, as labels and scores. */
    @Provide
    Arbitrary<double[][]> vectorPairs() {
        return Arbitraries.integers().between(2, 12).flatMap(n -> Combinators.combine(
                values().list().ofSize(n), values().list().ofSize(n))
                .as((a, b) -> new double[][] {toArray(a), toArray(b)}));
    }

    private static Arbitrary<Double> values() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-2, 5).map(Integer::doubleValue),
                Arbitraries.doubles().between(-100, 100));
    }

    private static double[] toArray(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] times(double[] x, double factor, double shift) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * factor + shift;
        }
        return y;
    }

    private static boolean distinct(double[] x) {
        return java.util.Arrays.stream(x).map(d -> d + 0.0).distinct().count() == x.length;
    }

    private static boolean allZero(double[] x) {
        for (double v : x) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean constant(double[] x) {
        for (double v : x) {
            if (v != x[0]) {
                return false;
            }
        }
        return true;
    }

    // ---- the in-place form, and the same bits as before it ------------------------------
    // (compared as Double.doubleToLongBits: -0.0 is not 0.0, but every NaN is one NaN, as
    // the JVM itself does not keep a NaN's sign: Math.abs keeps it when interpreted and
    // clears it when compiled)

    @Property(tries = 2000)
    void aRangeGivesTheBitsOfTheWholeArrayItCopies(@ForAll("withGaps") double[][] v,
            @ForAll @IntRange(max = 3) int pad) {
        int n = v[0].length;
        double[] labels = new double[pad + n + pad];
        double[] scores = new double[pad + n + pad];
        java.util.Arrays.fill(labels, 99); // around the range: never read
        java.util.Arrays.fill(scores, -99);
        System.arraycopy(v[0], 0, labels, pad, n);
        System.arraycopy(v[1], 0, scores, pad, n);
        for (Correlation c : Correlation.values()) {
            assertThat(Double.doubleToLongBits(c.of(labels, scores, pad, pad + n))).as("%s", c)
                    .isEqualTo(Double.doubleToLongBits(c.of(v[0], v[1])));
        }
    }

    @Property(tries = 2000)
    void theMeasuresAgreeWithTheirTextbookDefinitions(@ForAll("moderateWithGaps") double[][] v) {
        for (Correlation c : Correlation.values()) {
            if (c == Correlation.KL && Textbook.klSumCancels(v[0], v[1])) {
                // a side's sum cancels to rounding (e.g. 1 + 3 + 0.11 + 0.65 - 4.76): whether it is
                // exactly 0 (NaN) or 1e-16 (a finite answer) depends on the order of the additions
                continue;
            }
            double expected = Textbook.of(c, v[0], v[1]);
            double actual = c.of(v[0], v[1]);
            if (Double.isNaN(expected)) {
                assertThat(actual).as("%s", c).isNaN();
            } else {
                assertThat(actual).as("%s", c).isCloseTo(expected, within(1e-9));
            }
        }
    }

    @Property
    void kendallOfARankingWithItselfIsOneAndWithItsReverseMinusOne(@ForAll("vectors") double[] x) {
        Assume.that(!constant(x));
        double[] reversed = times(x, -1, 0);
        assertThat(Correlation.KENDALL.of(x, x)).isEqualTo(1.0);
        assertThat(Correlation.KENDALL.of(x, reversed)).isEqualTo(-1.0);
    }

    /** Moderate finite values (ratings with ties, -0.0, reals) with absent ones among them. */
    @Provide
    Arbitrary<double[][]> moderateWithGaps() {
        Arbitrary<Double> number = Arbitraries.oneOf(
                Arbitraries.of(NA, -0.0, 0.0, 1.0, 2.0, 5.0, -3.0, 0.1),
                Arbitraries.integers().between(1, 5).map(Integer::doubleValue),
                Arbitraries.doubles().between(-10, 10));
        return Arbitraries.integers().between(0, 9).flatMap(n -> Combinators.combine(
                number.array(double[].class).ofSize(n), number.array(double[].class).ofSize(n))
                .as((x, y) -> new double[][] {x, y}));
    }

    /**
     * Label and score vectors of up to 7 responses: absent numbers, -0.0, ties, infinities,
     * constants, and magnitudes from tiny to huge.
     */
    @Provide
    Arbitrary<double[][]> withGaps() {
        Arbitrary<Double> number = Arbitraries.oneOf(
                Arbitraries.of(NA, -0.0, 0.0, 1.0, 2.0, 5.0, -3.0, 0.1, Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 1e300, -1e-300),
                Arbitraries.doubles().between(-10, 10),
                Arbitraries.doubles().between(-1e6, 1e6).map(d -> d * 1e-200));
        return Arbitraries.integers().between(0, 7).flatMap(n -> Combinators.combine(
                number.array(double[].class).ofSize(n), number.array(double[].class).ofSize(n))
                .as((a, b) -> new double[][] {a, b}));
    }

    /**
     * The measures written plainly from their definitions, independent of the production code:
     * pairs with an absent side dropped, then the textbook formula, O(n^2) for the rank measures.
     */
    private static final class Textbook {
        static double of(Correlation measure, double[] labels, double[] scores) {
            List<double[]> pairs = new java.util.ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (!Double.isNaN(labels[i]) && !Double.isNaN(scores[i])) {
                    pairs.add(new double[] {labels[i], scores[i]});
                }
            }
            if (pairs.size() < 2) {
                return Double.NaN;
            }
            double[] x = pairs.stream().mapToDouble(p -> p[0]).toArray();
            double[] y = pairs.stream().mapToDouble(p -> p[1]).toArray();
            return switch (measure) {
                case COSINE -> cosine(x, y);
                case PEARSON -> constant(x) || constant(y) ? Double.NaN : cosine(centred(x), centred(y));
                case KENDALL -> tauB(x, y);
                case RANK -> somersD(x, y);
                case PEARSON_MINMAX -> constant(x) || constant(y) ? Double.NaN
                        : cosine(centred(minMax(x)), centred(minMax(y)));
                case KL -> kl(x, y);
            };
        }

        /** (x - min) / (max - min). */
        static double[] minMax(double[] x) {
            double min = java.util.Arrays.stream(x).min().orElseThrow();
            double max = java.util.Arrays.stream(x).max().orElseThrow();
            return java.util.Arrays.stream(x).map(v -> (v - min) / (max - min)).toArray();
        }

        /**
         * Whether the labels' or the scores' sum over the pairs with both sides is zero only up to
         * rounding: smaller than 1e-12 of the sum of their magnitudes, yet not every value zero.
         */
        static boolean klSumCancels(double[] labels, double[] scores) {
            double[] sums = new double[4];
            for (int i = 0; i < labels.length; i++) {
                if (!Double.isNaN(labels[i]) && !Double.isNaN(scores[i])) {
                    sums[0] += labels[i];
                    sums[1] += Math.abs(labels[i]);
                    sums[2] += scores[i];
                    sums[3] += Math.abs(scores[i]);
                }
            }
            return Math.abs(sums[0]) <= 1e-12 * sums[1] && sums[1] > 0
                    || Math.abs(sums[2]) <= 1e-12 * sums[3] && sums[3] > 0;
        }

        /** exp(-sum p ln(p / q)), p and q each divided by its sum; scipy's rel_entr at the edges. */
        static double kl(double[] x, double[] y) {
            double sx = java.util.Arrays.stream(x).sum();
            double sy = java.util.Arrays.stream(y).sum();
            if (sx == 0 || sy == 0) {
                return Double.NaN;
            }
            double d = 0;
            for (int i = 0; i < x.length; i++) {
                double p = x[i] / sx;
                double q = y[i] / sy;
                d += p > 0 && q > 0 ? p * Math.log(p / q) : p == 0 && q >= 0 ? 0 : Double.POSITIVE_INFINITY;
            }
            return Math.exp(-d);
        }

        /** x.y / (|x| |y|); undefined for a zero vector. */
        static double cosine(double[] x, double[] y) {
            double dot = 0;
            double xx = 0;
            double yy = 0;
            for (int i = 0; i < x.length; i++) {
                dot += x[i] * y[i];
                xx += x[i] * x[i];
                yy += y[i] * y[i];
            }
            return xx == 0 || yy == 0 ? Double.NaN : dot / Math.sqrt(xx * yy);
        }

        static double[] centred(double[] x) {
            double mean = java.util.Arrays.stream(x).sum() / x.length;
            return java.util.Arrays.stream(x).map(v -> v - mean).toArray();
        }

        /** (C - D) / sqrt((C + D + T_x)(C + D + T_y)), T_x: pairs tied in x only. */
        static double tauB(double[] x, double[] y) {
            double c = 0;
            double d = 0;
            double tx = 0;
            double ty = 0;
            for (int i = 0; i < x.length; i++) {
                for (int j = i + 1; j < x.length; j++) {
                    double sx = Math.signum(x[i] - x[j]);
                    double sy = Math.signum(y[i] - y[j]);
                    if (sx == 0 && sy == 0) {
                        continue;
                    } else if (sx == 0) {
                        tx++;
                    } else if (sy == 0) {
                        ty++;
                    } else if (sx == sy) {
                        c++;
                    } else {
                        d++;
                    }
                }
            }
            double denominator = Math.sqrt((c + d + tx) * (c + d + ty));
            return denominator == 0 ? Double.NaN : (c - d) / denominator;
        }

        /** Over pairs whose labels differ: (same order - opposite order) / pairs. */
        static double somersD(double[] labels, double[] scores) {
            double pairs = 0;
            double net = 0;
            for (int i = 0; i < labels.length; i++) {
                for (int j = i + 1; j < labels.length; j++) {
                    double sl = Math.signum(labels[i] - labels[j]);
                    if (sl != 0) {
                        pairs++;
                        net += sl * Math.signum(scores[i] - scores[j]);
                    }
                }
            }
            return pairs == 0 ? Double.NaN : net / pairs;
        }
    }
}
