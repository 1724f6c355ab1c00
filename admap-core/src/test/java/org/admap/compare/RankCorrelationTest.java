package org.admap.compare;

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
import org.admap.diagnose.Correlation;
import org.junit.jupiter.api.Test;

/** Spearman and the O(n log n) Kendall tau-b; expected values from scipy 1.17 and by hand. */
class RankCorrelationTest {

    private static final double EPS = 1e-12;
    private static final double NA = Double.NaN;

    @Test
    void spearmanUsesMidRanksForTies() {
        // y ranks 1, 2, 3.5, 5, 3.5; centred dot 8, norms^2 10 and 9.5 -> 8 / sqrt(95)
        // scipy.stats.spearmanr([1,2,3,4,5], [5,6,7,8,7]) = 0.8207826816681233
        assertThat(RankCorrelation.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7}))
                .isCloseTo(8 / Math.sqrt(95), within(EPS)).isCloseTo(0.8207826816681233, within(EPS));
    }

    @Test
    void kendallCountsTiesAsScipyDoes() {
        // 8 concordant, 1 discordant (x 4 < 5, y 8 > 7), 1 tied in y: 7 / sqrt(10 * 9)
        // scipy.stats.kendalltau([1,2,3,4,5], [5,6,7,8,7]) = 0.7378647873726218
        assertThat(RankCorrelation.kendall(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7}))
                .isCloseTo(7 / Math.sqrt(90), within(EPS)).isCloseTo(0.7378647873726218, within(EPS));
    }

    @Test
    void pairsWithAMissingValueAreLeftOut() {
        double[] x = {1, NA, 3, 4, 5, 2};
        double[] y = {5, 1, 7, 8, 7, NA};
        double[] x2 = {1, 3, 4, 5};
        double[] y2 = {5, 7, 8, 7};
        assertThat(RankCorrelation.spearman(x, y)).isEqualTo(RankCorrelation.spearman(x2, y2));
        assertThat(RankCorrelation.kendall(x, y)).isEqualTo(RankCorrelation.kendall(x2, y2));
        assertThat(RankCorrelation.pearson(x, y)).isEqualTo(Correlation.PEARSON.of(x2, y2));
    }

    @Test
    void constantOrTooShortVectorsHaveNoCorrelation() {
        assertThat(RankCorrelation.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNaN();
        assertThat(RankCorrelation.kendall(new double[] {1, 2, 3}, new double[] {4, 4, 4})).isNaN();
        assertThat(RankCorrelation.kendall(new double[] {1}, new double[] {2})).isNaN();
        assertThat(RankCorrelation.spearman(new double[] {}, new double[] {})).isNaN();
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
        double tau = RankCorrelation.kendall(x, y);
        assertThat(tau).isBetween(0.5, 0.9);
        double[] xs = java.util.Arrays.copyOf(x, 3000);
        double[] ys = java.util.Arrays.copyOf(y, 3000);
        assertThat(RankCorrelation.kendall(xs, ys)).isCloseTo(Correlation.KENDALL.of(xs, ys), within(EPS));
    }

    @Property
    void kendallEqualsTheQuadraticTauB(@ForAll("pairs") double[][] v) {
        double fast = RankCorrelation.kendall(v[0], v[1]);
        double slow = Correlation.KENDALL.of(v[0], v[1]);
        if (Double.isNaN(slow)) {
            assertThat(fast).isNaN();
        } else {
            assertThat(fast).isCloseTo(slow, within(EPS));
        }
    }

    @Property
    void spearmanIsThePearsonOfTheRanksAndFreeOfIncreasingTransforms(@ForAll("pairs") double[][] v) {
        double rho = RankCorrelation.spearman(v[0], v[1]);
        double[] t = new double[v[0].length];
        for (int i = 0; i < t.length; i++) {
            t[i] = Math.cbrt(v[0][i]) * 5 + 1; // strictly increasing
        }
        if (Double.isNaN(rho)) {
            assertThat(RankCorrelation.spearman(t, v[1])).isNaN();
        } else {
            assertThat(rho).isBetween(-1.0, 1.0);
            assertThat(RankCorrelation.spearman(t, v[1])).isCloseTo(rho, within(1e-9));
            assertThat(RankCorrelation.spearman(v[1], v[0])).isCloseTo(rho, within(1e-9));
        }
    }

    @Property
    void aVectorAgreesPerfectlyWithItselfUnlessConstant(@ForAll("pairs") double[][] v) {
        boolean constant = java.util.Arrays.stream(v[0]).map(d -> d + 0.0).distinct().count() == 1;
        if (constant) {
            assertThat(RankCorrelation.spearman(v[0], v[0])).isNaN();
            assertThat(RankCorrelation.kendall(v[0], v[0])).isNaN();
        } else {
            assertThat(RankCorrelation.spearman(v[0], v[0])).isCloseTo(1.0, within(EPS));
            assertThat(RankCorrelation.kendall(v[0], v[0])).isCloseTo(1.0, within(EPS));
        }
    }

    @Provide
    Arbitrary<double[][]> pairs() {
        Arbitrary<Double> value = Arbitraries.oneOf(Arbitraries.integers().between(-3, 3).map(Integer::doubleValue),
                Arbitraries.doubles().between(-50, 50), Arbitraries.just(-0.0));
        return Arbitraries.integers().between(2, 40).flatMap(n -> Combinators.combine(value.list().ofSize(n),
                value.list().ofSize(n)).as((a, b) -> new double[][] {toArray(a), toArray(b)}));
    }

    private static double[] toArray(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
