package org.admap.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The per-instruction statistics: {@code numpy.mean} and {@code numpy.var} (population,
 * divide by n) over the scores present.
 */
class MomentsTest {

    private static final double NA = Double.NaN;

    @Test
    void meanAndPopulationVarianceOfAHandComputedExample() {
        // scores 8, 2, 5, 9: mean 24/4 = 6; squared deviations 4, 16, 1, 9 -> 30/4 = 7.5
        // (the sample variance would be 30/3 = 10)
        double[] scores = {8, 2, 5, 9};

        assertThat(Moments.count(scores)).isEqualTo(4);
        assertThat(Moments.mean(scores)).isEqualTo(6.0);
        assertThat(Moments.variance(scores, 6.0)).isEqualTo(7.5);
    }

    @Test
    void absentScoresAreSkippedNotCountedAsZero() {
        // present: 8, 2, 5 -> mean 5, squared deviations 9, 9, 0 -> 18/3 = 6
        double[] scores = {8, NA, 2, 5, NA};

        assertThat(Moments.count(scores)).isEqualTo(3);
        assertThat(Moments.mean(scores)).isEqualTo(5.0);
        assertThat(Moments.variance(scores, 5.0)).isEqualTo(6.0);
    }

    @Test
    void noScoreAtAllHasUndefinedMoments() {
        double[] scores = {NA, NA};

        assertThat(Moments.count(scores)).isZero();
        assertThat(Moments.mean(scores)).isNaN();
        assertThat(Moments.variance(scores, Double.NaN)).isNaN();
    }

    @Property
    void meanAndVarianceEqualAnExactComputation(@ForAll("scoreVectors") double[] scores) {
        BigDecimal[] exact = exactMeanAndVariance(scores);
        double mean = Moments.mean(scores);
        double variance = Moments.variance(scores, mean);

        double maxSquare = 0;
        for (double x : scores) {
            maxSquare = Math.max(maxSquare, x * x);
        }
        double exactMean = exact[0].doubleValue();
        double exactVariance = exact[1].doubleValue();
        // Two passes, as numpy: the mean is good to a few ulps of the largest score; the
        // variance to a few ulps of itself plus the square of the mean's error.
        assertThat(mean).isCloseTo(exactMean, within(1e-14 * Math.sqrt(maxSquare)));
        assertThat(variance).isCloseTo(exactVariance, within(1e-12 * exactVariance + 1e-26 * maxSquare));
    }

    @Property
    void varianceIsNeverNegativeNorNaNForAnyFiniteScores(
            @ForAll @Size(min = 1, max = 12) List<@DoubleRange(min = -Double.MAX_VALUE, max = Double.MAX_VALUE)
                    Double> values) {
        double[] scores = values.stream().mapToDouble(Double::doubleValue).toArray();

        double variance = Moments.variance(scores, Moments.mean(scores));

        assertThat(variance).isNotNaN().isGreaterThanOrEqualTo(0.0);
    }

    @Property
    void varianceIsNeverNegativeAtHugeAndTinyMagnitudes(@ForAll("scoreVectors") double[] scores) {
        assertThat(Moments.variance(scores, Moments.mean(scores))).isGreaterThanOrEqualTo(0.0);
    }

    @Property
    void aConstantVectorHasNoVarianceBeyondRounding(
            @ForAll @DoubleRange(min = -1e150, max = 1e150) double value,
            @ForAll @IntRange(min = 1, max = 12) int n) {
        double[] scores = new double[n];
        java.util.Arrays.fill(scores, value);

        double mean = Moments.mean(scores);
        double variance = Moments.variance(scores, mean);

        // numpy gives the same: np.var([0.1] * 3) is 1.9e-34, not 0, because the sum of
        // three 0.1 is not 0.3. Never negative, and no more than rounding noise.
        assertThat(variance).isGreaterThanOrEqualTo(0.0)
                .isLessThanOrEqualTo(Math.pow(n * Math.ulp(value), 2));
    }

    @Test
    void aConstantVectorOfSmallIntegersHasExactlyZeroVariance() {
        double[] scores = {4, 4, 4, 4};

        assertThat(Moments.variance(scores, Moments.mean(scores))).isEqualTo(0.0);
    }

    @Test
    void threeTimesOneTenthKeepsNumpysRoundingNoise() {
        // np.mean([0.1] * 3) == 0.10000000000000002, np.var([0.1] * 3) == 1.925929944387236e-34
        double[] scores = {0.1, 0.1, 0.1};
        double mean = Moments.mean(scores);

        assertThat(mean).isEqualTo(0.10000000000000002);
        assertThat(Moments.variance(scores, mean)).isEqualTo(1.925929944387236e-34);
    }

    /**
     * Score vectors of 1 to 12 scores at a magnitude between 1e-150 and 1e150, some around
     * a large offset (where a one-pass formula would cancel), some with absent entries.
     */
    @Provide
    Arbitrary<double[]> scoreVectors() {
        Arbitrary<List<Double>> units = Arbitraries.doubles().between(-10, 10).list().ofMinSize(1).ofMaxSize(12);
        Arbitrary<Integer> exponents = Arbitraries.integers().between(-150, 149);
        Arbitrary<Double> offsets = Arbitraries.of(0.0, 0.0, 1.0, -3.0, 1e3, 1e6);
        return Combinators.combine(units, exponents, offsets).as((us, e, offset) -> {
            double scale = Math.pow(10, e);
            double[] xs = new double[us.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (offset + us.get(i)) * scale;
            }
            return xs;
        });
    }

    @Property(tries = 2000)
    void aRangeGivesTheBitsOfTheWholeArrayItCopies(@ForAll("withGaps") double[] xs,
            @ForAll @IntRange(max = 3) int pad) {
        double[] padded = new double[pad + xs.length + pad];
        java.util.Arrays.fill(padded, 1e9); // around the range: never read
        System.arraycopy(xs, 0, padded, pad, xs.length);
        int from = pad;
        int to = pad + xs.length;
        double mean = Moments.mean(xs);

        assertThat(Moments.count(padded, from, to)).isEqualTo(Moments.count(xs));
        assertThat(Double.doubleToLongBits(Moments.mean(padded, from, to))).isEqualTo(Double.doubleToLongBits(mean));
        assertThat(Double.doubleToLongBits(Moments.variance(padded, from, to, mean)))
                .isEqualTo(Double.doubleToLongBits(Moments.variance(xs, mean)));
    }

    /** Scores with absent ones, -0.0, ties and magnitudes from tiny to huge. */
    @Provide
    Arbitrary<double[]> withGaps() {
        return Arbitraries.oneOf(Arbitraries.of(NA, -0.0, 0.0, 1.0, 4.5, 0.1, 1e300, -1e-300),
                        Arbitraries.doubles().between(-10, 10), Arbitraries.doubles().between(-1e6,
                                1e6).map(d -> d * 1e150))
                .array(double[].class).ofMaxSize(9);
    }

    /** Mean and population variance in exact decimal arithmetic (34 digits). */
    static BigDecimal[] exactMeanAndVariance(double[] scores) {
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal sum = BigDecimal.ZERO;
        int n = 0;
        for (double x : scores) {
            if (!Double.isNaN(x)) {
                sum = sum.add(new BigDecimal(x));
                n++;
            }
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(n), mc);
        BigDecimal squares = BigDecimal.ZERO;
        for (double x : scores) {
            if (!Double.isNaN(x)) {
                BigDecimal d = new BigDecimal(x).subtract(mean, mc);
                squares = squares.add(d.multiply(d, mc), mc);
            }
        }
        return new BigDecimal[] {mean, squares.divide(BigDecimal.valueOf(n), mc)};
    }
}
