package org.admap.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Spearman, Pearson and Kendall tau-b of long vectors (Knight's O(n log n) count); expected
 * values from scipy 1.17 and by hand.
 */
class LongVectorCorrelationTest {

    private static final double EPS = 1e-12;
    private static final double NA = Double.NaN;

    @Test
    void spearmanUsesMidRanksForTies() {
        // y ranks 1, 2, 3.5, 5, 3.5; centred dot 8, norms^2 10 and 9.5 -> 8 / sqrt(95)
        // scipy.stats.spearmanr([1,2,3,4,5], [5,6,7,8,7]) = 0.8207826816681233
        assertThat(Spearman.ofPresent(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7}))
                .isCloseTo(8 / Math.sqrt(95), within(EPS)).isCloseTo(0.8207826816681233, within(EPS));
    }

    @Test
    void kendallCountsTiesAsScipyDoes() {
        // 8 concordant, 1 discordant (x 4 < 5, y 8 > 7), 1 tied in y: 7 / sqrt(10 * 9)
        // scipy.stats.kendalltau([1,2,3,4,5], [5,6,7,8,7]) = 0.7378647873726218
        assertThat(Kendall.ofPresent(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7}))
                .isCloseTo(7 / Math.sqrt(90), within(EPS)).isCloseTo(0.7378647873726218, within(EPS));
    }

    @Test
    void pairsWithAMissingValueAreLeftOut() {
        double[] x = {1, NA, 3, 4, 5, 2};
        double[] y = {5, 1, 7, 8, 7, NA};
        double[] x2 = {1, 3, 4, 5};
        double[] y2 = {5, 7, 8, 7};
        assertThat(Spearman.ofPresent(x, y)).isEqualTo(Spearman.ofPresent(x2, y2));
        assertThat(Kendall.ofPresent(x, y)).isEqualTo(Kendall.ofPresent(x2, y2));
        assertThat(Pearson.ofPresent(x, y)).isEqualTo(Correlation.PEARSON.of(x2, y2));
    }

    @Test
    void constantOrTooShortVectorsHaveNoCorrelation() {
        assertThat(Spearman.ofPresent(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNaN();
        assertThat(Kendall.ofPresent(new double[] {1, 2, 3}, new double[] {4, 4, 4})).isNaN();
        assertThat(Kendall.ofPresent(new double[] {1}, new double[] {2})).isNaN();
        assertThat(Spearman.ofPresent(new double[] {}, new double[] {})).isNaN();
    }

    @Test
    void aMillionPointsTakeAMomentAndMatchTheQuadraticCountOnASample() {
        Random random = new Random(7);
        int n = 1_000_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextInt(1000);
            y[i] = x[i] + random.nextInt(400);
        }
        double tau = Kendall.ofPresent(x, y);
        assertThat(tau).isBetween(0.5, 0.9);
        double[] xs = java.util.Arrays.copyOf(x, 3000);
        double[] ys = java.util.Arrays.copyOf(y, 3000);
        assertThat(bits(Kendall.ofPresent(xs, ys))).isEqualTo(bits(Kendall.pairwise(xs, ys, 0, xs.length)));
    }

    @Property
    void knightsCountGivesTheBitsOfThePairwiseCount(@ForAll("pairs") double[][] v) {
        // the same integers and the same final arithmetic: not close, equal
        int n = v[0].length;
        assertThat(bits(Kendall.knight(v[0], v[1], 0, n))).isEqualTo(bits(Kendall.pairwise(v[0], v[1], 0, n)));
        assertThat(bits(Kendall.ofPresent(v[0], v[1]))).isEqualTo(bits(Correlation.KENDALL.of(v[0], v[1])));
    }

    private static long bits(double x) {
        return Double.doubleToLongBits(x);
    }

    @Property
    void spearmanIsThePearsonOfTheRanksAndFreeOfIncreasingTransforms(@ForAll("pairs") double[][] v) {
        double rho = Spearman.ofPresent(v[0], v[1]);
        double[] t = new double[v[0].length];
        for (int i = 0; i < t.length; i++) {
            t[i] = Math.cbrt(v[0][i]) * 5 + 1; // strictly increasing
        }
        if (Double.isNaN(rho)) {
            assertThat(Spearman.ofPresent(t, v[1])).isNaN();
        } else {
            assertThat(rho).isBetween(-1.0, 1.0);
            assertThat(Spearman.ofPresent(t, v[1])).isCloseTo(rho, within(1e-9));
            assertThat(Spearman.ofPresent(v[1], v[0])).isCloseTo(rho, within(1e-9));
        }
    }

    @Property
    void aVectorAgreesPerfectlyWithItselfUnlessConstant(@ForAll("pairs") double[][] v) {
        boolean constant = java.util.Arrays.stream(v[0]).map(d -> d + 0.0).distinct().count() == 1;
        if (constant) {
            assertThat(Spearman.ofPresent(v[0], v[0])).isNaN();
            assertThat(Kendall.ofPresent(v[0], v[0])).isNaN();
        } else {
            assertThat(Spearman.ofPresent(v[0], v[0])).isCloseTo(1.0, within(EPS));
            assertThat(Kendall.ofPresent(v[0], v[0])).isCloseTo(1.0, within(EPS));
        }
    }

    @Provide
    Arbitrary<double[][]> pairs() {
        Arbitrary<Double> value = Arbitraries.oneOf(Arbitraries.integers().between(-3, 3).map(Integer::doubleValue),
                Arbitraries.doubles().between(-50, 50), Arbitraries.just(-0.0));
        return Arbitraries.integers().between(2, 100).flatMap(n -> Combinators.combine(value.list().ofSize(n),
                value.list().ofSize(n)).as((a, b) -> new double[][] {toArray(a), toArray(b)}));
    }

    private static double[] toArray(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
