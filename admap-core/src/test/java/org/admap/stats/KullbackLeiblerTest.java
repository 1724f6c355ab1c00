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
 * {@code --corr kl}: exp(-KL(labels || scores)) as the paper's correlations/kl_divergence.py
 * computes it with {@code scipy.stats.entropy}. Expected values by hand and from scipy 1.17.
 */
class KullbackLeiblerTest {

    private static final double EPS = 1e-12;

    @Test
    void theReadmesWorkedExample() {
        // labels (1,2,1) -> P = (1/4, 1/2, 1/4); scores (2,1,1) -> Q = (1/2, 1/4, 1/4)
        // KL = 1/4 ln(1/2) + 1/2 ln 2 + 1/4 ln 1 = ln(2) / 4 = 0.1732867951...
        // agreement = exp(-ln(2) / 4) = 2^(-1/4) = 0.8408964152... (scipy: 0.8408964152537145)
        double[] labels = {1, 2, 1};
        double[] scores = {2, 1, 1};
        assertThat(KullbackLeibler.divergence(labels, scores, 0, 3)).isCloseTo(Math.log(2) / 4, within(EPS));
        assertThat(Correlation.KL.of(labels, scores)).isCloseTo(Math.pow(2, -0.25), within(EPS))
                .isCloseTo(0.8408964152537145, within(EPS));
    }

    @Test
    void matchesScipyOnADemoLikeItem() {
        // np.exp(-scipy.stats.entropy([5,4,3,1] / 13, [9.2, 7.0, 6.1, 2.5]))
        assertThat(Correlation.KL.of(new double[] {5, 4, 3, 1}, new double[] {9.2, 7.0, 6.1, 2.5}))
                .isCloseTo(0.9950878997895997, within(EPS));
    }

    @Test
    void theDirectionIsLabelsGivenScores() {
        // P = (0, 1/3, 2/3) against uniform Q: KL = 2/3 ln 2, agreement 2^(-2/3) = 0.6299605249474366
        assertThat(Correlation.KL.of(new double[] {0, 1, 2}, new double[] {1, 1, 1}))
                .isCloseTo(0.6299605249474366, within(EPS));
        // the other way round a label of 0 where the scores put mass: infinite, agreement 0
        assertThat(Correlation.KL.of(new double[] {1, 1, 1}, new double[] {0, 1, 2})).isZero();
    }

    @Test
    void scipysEdgesAreKeptWithoutAnEpsilon() {
        // a negative entry after normalising is an infinite term (rel_entr), so agreement 0
        assertThat(Correlation.KL.of(new double[] {1, 1, 1}, new double[] {-1, 2, 2})).isZero();
        // all negative scores normalise to a distribution, as scipy divides by the sum:
        // np.exp(-entropy([2,2,2], [-1,-2,-3])) = 0.9085602964160698
        assertThat(Correlation.KL.of(new double[] {2, 2, 2}, new double[] {-1, -2, -3}))
                .isCloseTo(0.9085602964160698, within(EPS));
        // a vector summing to zero is no distribution
        assertThat(Correlation.KL.of(new double[] {1, 2, 3}, new double[] {0, 0, 0})).isNaN();
        assertThat(Correlation.KL.of(new double[] {1, -1, 0}, new double[] {1, 2, 3})).isNaN();
        // fewer than two responses with both numbers
        assertThat(Correlation.KL.of(new double[] {1, Double.NaN}, new double[] {1, 2})).isNaN();
    }

    @Property
    void theDivergenceIsNeverNegativeAndTheAgreementIsInZeroOne(@ForAll("positive") List<double[]> v) {
        double kl = KullbackLeibler.divergence(v.get(0), v.get(1), 0, v.get(0).length);
        assertThat(kl).isGreaterThanOrEqualTo(0.0);
        assertThat(Correlation.KL.of(v.get(0), v.get(1))).isBetween(0.0, 1.0);
    }

    @Property
    void aVectorAgainstItselfOrAMultipleOfItselfDivergesByNothing(@ForAll("positive") List<double[]> v,
                                                                 @ForAll("scale") double c) {
        double[] p = v.get(0);
        double[] scaled = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            scaled[i] = c * p[i];
        }
        assertThat(KullbackLeibler.divergence(p, p, 0, p.length)).isZero();
        assertThat(KullbackLeibler.divergence(p, scaled, 0, p.length)).isCloseTo(0.0, within(1e-12));
        assertThat(Correlation.KL.of(p, scaled)).isCloseTo(1.0, within(1e-12));
    }

    @Property
    void distinctDistributionsDivergeByMoreThanNothing(@ForAll("positive") List<double[]> v) {
        double[] p = v.get(0);
        double[] q = v.get(1);
        double sp = 0;
        double sq = 0;
        for (int i = 0; i < p.length; i++) {
            sp += p[i];
            sq += q[i];
        }
        double far = 0;
        for (int i = 0; i < p.length; i++) {
            far = Math.max(far, Math.abs(p[i] / sp - q[i] / sq));
        }
        if (far > 1e-3) {
            assertThat(KullbackLeibler.divergence(p, q, 0, p.length)).isPositive();
            assertThat(Correlation.KL.of(p, q)).isLessThan(1.0);
        }
    }

    @Provide
    Arbitrary<List<double[]>> positive() {
        Arbitrary<Double> value = Arbitraries.oneOf(Arbitraries.integers().between(1, 5).map(Integer::doubleValue),
                Arbitraries.doubles().between(0.01, 10));
        return Arbitraries.integers().between(2, 8).flatMap(n -> value.array(double[].class).ofSize(n).list()
                .ofSize(2));
    }

    @Provide
    Arbitrary<Double> scale() {
        return Arbitraries.doubles().between(0.01, 1000);
    }
}
