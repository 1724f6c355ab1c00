package org.admap.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@code --corr pearson-minmax}: Pearson's r after min-max normalising each vector, as the
 * paper's correlations/pearson_minmax_normalization.py does. Expected values by hand and
 * from numpy 2.4.
 */
class PearsonMinMaxTest {

    private static final double EPS = 1e-12;

    @Test
    void theReadmesWorkedExample() {
        // labels (1,2,1) -> (0,1,0); scores (2,1,1) -> (1,0,0); both means 1/3;
        // centred (-1/3, 2/3, -1/3) . (2/3, -1/3, -1/3) = -1/3; each |.|^2 = 6/9 -> r = -1/2
        assertThat(Correlation.PEARSON_MINMAX.of(new double[] {1, 2, 1}, new double[] {2, 1, 1}))
                .isCloseTo(-0.5, within(EPS));
    }

    @Test
    void matchesNumpyOnADemoLikeItem() {
        // np.corrcoef(minmax([9.2,7.0,6.1,2.5]), minmax([5,4,3,1] / 5))[0, 1]
        assertThat(Correlation.PEARSON_MINMAX.of(new double[] {5, 4, 3, 1}, new double[] {9.2, 7.0, 6.1, 2.5}))
                .isCloseTo(0.993651041346831, within(EPS));
    }

    @Test
    void aConstantSideIsUndefinedAsNumpysZeroOverZero() {
        assertThat(Correlation.PEARSON_MINMAX.of(new double[] {3, 3, 3}, new double[] {1, 2, 3})).isNaN();
        assertThat(Correlation.PEARSON_MINMAX.of(new double[] {1, 2, 3}, new double[] {0.5, 0.5, 0.5})).isNaN();
    }

    @Property
    void invariantToAnIncreasingAffineRescalingOfOneSide(@ForAll("vectors") List<double[]> v,
                                                        @ForAll("scale") double a, @ForAll("shift") double b) {
        double[] x = v.get(0);
        double[] y = v.get(1);
        double[] t = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            t[i] = a * x[i] + b;
        }
        double r = Correlation.PEARSON_MINMAX.of(x, y);
        if (Double.isNaN(r)) {
            assertThat(Correlation.PEARSON_MINMAX.of(t, y)).isNaN();
        } else {
            assertThat(Correlation.PEARSON_MINMAX.of(t, y)).isCloseTo(r, within(1e-9));
            assertThat(Correlation.PEARSON_MINMAX.of(x, t)).isCloseTo(1.0, within(1e-9));
        }
    }

    @Property
    void boundedAndEqualToPearsonUpToRounding(@ForAll("vectors") List<double[]> v) {
        double r = Correlation.PEARSON_MINMAX.of(v.get(0), v.get(1));
        double plain = Correlation.PEARSON.of(v.get(0), v.get(1));
        if (Double.isNaN(plain)) {
            assertThat(r).isNaN();
        } else {
            assertThat(r).isBetween(-1.0, 1.0).isCloseTo(plain, within(1e-9));
        }
    }

    @Provide
    Arbitrary<List<double[]>> vectors() {
        Arbitrary<Double> value = Arbitraries.oneOf(Arbitraries.integers().between(1, 5).map(Integer::doubleValue),
                Arbitraries.doubles().between(-20, 20));
        return Arbitraries.integers().between(2, 8).flatMap(n -> value.array(double[].class).ofSize(n).list()
                .ofSize(2));
    }

    @Provide
    Arbitrary<Double> scale() {
        return Arbitraries.doubles().between(0.01, 100);
    }

    @Provide
    Arbitrary<Double> shift() {
        return Arbitraries.doubles().between(-100, 100);
    }
}
