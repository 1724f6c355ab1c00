package org.admap.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.junit.jupiter.api.Test;

class AgreementProbabilityTest {

    @Test
    void normalCdfHasItsKnownValues() {
        assertThat(AgreementProbability.normalCdf(0)).isCloseTo(0.5, within(1e-7));
        assertThat(AgreementProbability.normalCdf(1.959964)).isCloseTo(0.975, within(1e-6));
        assertThat(AgreementProbability.normalCdf(-1)).isCloseTo(0.158655, within(1e-6));
    }

    @Test
    void aPairIsThePhiOfItsMarginOverItsNoise() {
        // chosen (label 1) scored 6, rejected 5, each with noise variance 0.5: P = Phi(1 / 1)
        double p = AgreementProbability.of(new double[] {1, 0}, new double[] {6, 5}, new double[] {0.5, 0.5});
        assertThat(p).isCloseTo(0.841345, within(1e-6));
        // labels the other way round: the complement
        assertThat(AgreementProbability.of(new double[] {0, 1}, new double[] {6, 5}, new double[] {0.5, 0.5}))
                .isCloseTo(1 - 0.841345, within(1e-6));
    }

    @Test
    void withoutNoiseItIsTheShareOfConcordantPairsTiesHalf() {
        // label order 3 > 2 > 1; scores 5, 5, 1: pairs (3,2) tie, (3,1) agree, (2,1) agree
        double p = AgreementProbability.of(new double[] {3, 2, 1}, new double[] {5, 5, 1}, null);
        assertThat(p).isCloseTo(2.5 / 3, within(1e-12));
        assertThat(AgreementProbability.of(new double[] {1, 1}, new double[] {2, 3}, null)).isNaN();
    }

    @Test
    void theRuleFlagsAPairWhoseMarginIsSmallAgainstItsNoise() {
        DiagnoseOptions options = DiagnoseOptions.paper(true).withMaxAgreeProbability(0.6);
        Diagnoser d = new Diagnoser(options);
        d.pooledVariances(new double[] {1.0});
        MapPoint p = new MapPoint(0, "a", 2, 5.5, 0.25, 0.5, Region.HIGH_AVG, Double.NaN);
        // margin +1 over noise sd sqrt(2 + 2) = 2: P = Phi(0.5) = 0.69 > 0.6, not flagged
        d.accept(p, new ItemScores(0, "a", new double[] {6, 5}, new double[] {1, 0},
                new double[] {1, 1}));
        // margin +0.2: P = Phi(0.1) = 0.54 <= 0.6, flagged though the point scores agree
        MapPoint q = new MapPoint(1, "b", 2, 5.1, 0.01, 0.1, Region.HIGH_AVG, Double.NaN);
        d.accept(q, new ItemScores(1, "b", new double[] {5.2, 5}, new double[] {1, 0},
                new double[] {1, 1}));
        List<Flag> flags = d.finish().flags();
        assertThat(flags).extracting(Flag::id).containsExactly("b");
        assertThat(flags.get(0).reasons()).contains(Reason.SCORE_PREFERS_REJECTED);
    }
}
