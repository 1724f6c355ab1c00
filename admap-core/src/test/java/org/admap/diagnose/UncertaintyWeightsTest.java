package org.admap.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.admap.model.ItemScores;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;

class UncertaintyWeightsTest {

    /** The measures with a weighted form: all but kl. */
    private static final java.util.List<Correlation> WEIGHED = Arrays.stream(Correlation.values())
            .filter(c -> c != Correlation.KL).toList();

    @Test
    void klHasNoWeightedFormAndIsRefusedWithTheOption() {
        assertThatThrownBy(() -> UncertaintyWeights.agreement(Correlation.KL, new double[] {1, 2, 3},
                new double[] {1, 2, 3}, new double[] {1, 1, 1}))
                .hasMessageContaining("no weighted form of --corr kl");
        assertThatThrownBy(() -> new DiagnoseOptions(Correlation.KL, 0.65, 0.01, 0.05, true)
                .withWeighByUncertainty(true)).hasMessageContaining("no weighted form of --corr kl");
    }

    @Provide
    Arbitrary<double[]> grades() {
        // a rubric's grades, so that ties (which Kendall and the rank agreement treat apart) occur
        return Arbitraries.integers().between(1, 5).map(Integer::doubleValue).array(double[].class).ofMinSize(3)
                .ofMaxSize(8);
    }

    @Property
    void equalWeightsGiveThePlainMeasure(@ForAll("grades") double[] labels, @ForAll("grades") double[] scores,
                                         @ForAll @DoubleRange(min = 0.01, max = 100) double w) {
        int n = Math.min(labels.length, scores.length);
        double[] l = Arrays.copyOf(labels, n);
        double[] s = Arrays.copyOf(scores, n);
        double[] weights = new double[n];
        Arrays.fill(weights, w);
        for (Correlation c : WEIGHED) {
            double plain = c.of(l, s);
            double weighted = UncertaintyWeights.agreement(c, l, s, weights);
            if (Double.isNaN(plain)) {
                assertThat(weighted).as(c.cliName()).isNaN();
            } else {
                assertThat(weighted).as(c.cliName()).isCloseTo(plain, within(1e-12));
            }
        }
    }

    @Property
    void aResponseWithAHugeStandardErrorHasNoInfluence(@ForAll("grades") double[] labels,
                                                       @ForAll("grades") double[] scores) {
        int n = Math.min(labels.length, scores.length);
        double[] l = Arrays.copyOf(labels, n);
        double[] s = Arrays.copyOf(scores, n);
        double[] se = new double[n];
        Arrays.fill(se, 0.3);
        se[0] = 1e9; // the first response's judge was torn beyond measure
        double[] w = UncertaintyWeights.of(se, 0.09);
        double[] lRest = Arrays.copyOfRange(l, 1, n);
        double[] sRest = Arrays.copyOfRange(s, 1, n);
        for (Correlation c : WEIGHED) {
            double without = c.of(lRest, sRest);
            double weighted = UncertaintyWeights.agreement(c, l, s, w);
            if (Double.isNaN(without)) {
                continue; // the rest alone is degenerate; a vanishing weight still defines it
            }
            assertThat(weighted).as(c.cliName()).isCloseTo(without, within(1e-9));
        }
    }

    @Test
    void weightsAreTheInverseNoiseVarianceWithThePool() {
        double[] w = UncertaintyWeights.of(new double[] {0, 0.5, Double.NaN}, 0.25);
        assertThat(w[0]).isEqualTo(4.0);           // 1 / (0 + 0.25): a zero SE is not infinitely sure
        assertThat(w[1]).isEqualTo(2.0);           // 1 / (0.25 + 0.25)
        assertThat(w[2]).isEqualTo(2.0);           // unknown: the pool's mean, 1 / (2 x 0.25)
        assertThat(UncertaintyWeights.of(new double[] {0.1, 0.2}, Double.NaN)).containsExactly(1, 1);
        assertThat(UncertaintyWeights.of(new double[] {0.1, 0.2}, 0)).containsExactly(1, 1);
    }

    @Test
    void theNoisierResponseCountsLessInTheCosine() {
        double[] labels = {1, 2, 5};
        double[] scores = {1, 5, 2}; // the last two disagree with the labels
        double plain = Correlation.PEARSON.of(labels, scores);
        double[] sureOfTheOutlier = UncertaintyWeights.of(new double[] {0.1, 0.1, 0.1}, 0.01);
        double[] unsureOfTheOutlier = UncertaintyWeights.of(new double[] {0.1, 2, 2}, 0.01);
        assertThat(UncertaintyWeights.agreement(Correlation.PEARSON, labels, scores, sureOfTheOutlier))
                .isCloseTo(plain, within(1e-12));
        // the disagreeing responses are the noisy ones: the agreement is pulled towards the sure one
        assertThat(UncertaintyWeights.agreement(Correlation.PEARSON, labels, scores, unsureOfTheOutlier))
                .isNotCloseTo(plain, within(1e-6));
    }

    @Test
    void aPairIsRankedByItsMarginOverItsNoise() {
        ItemScores pair = new ItemScores(0, "p", new double[] {0.2, 0.8}, new double[] {1, 0},
                new double[] {0.3, 0.4});
        Evidence plain = Evidence.of("", pair, null, Correlation.COSINE);
        Evidence weighted = Evidence.of("", pair, null, Correlation.COSINE, UncertaintyWeights.of(
                pair.standardErrors(), 0.01));
        assertThat(plain.suspicion(1)).isCloseTo(0.6, within(1e-12));
        assertThat(weighted.marginSd()).isCloseTo(Math.sqrt(0.09 + 0.01 + 0.16 + 0.01), within(1e-12));
        assertThat(weighted.suspicion(1)).isCloseTo(0.6 / Math.sqrt(0.27), within(1e-12));
        // the flag's rule is unchanged: the scores still prefer the rejected response
        assertThat(weighted.againstLabels(DiagnoseOptions.paper(true))).isTrue();
    }

    @Test
    void withoutStandardErrorsTheWeightedDiagnosisIsThePlainOne() {
        DiagnoseOptions plain = DiagnoseOptions.paper(true);
        Diagnoser a = new Diagnoser(plain);
        Diagnoser b = new Diagnoser(plain.withWeighByUncertainty(true));
        b.pooledVariances(new double[] {Double.NaN});
        for (int key = 0; key < 50; key++) {
            double[] scores = {key % 5, (key * 7) % 5, (key * 3) % 5 + 0.5};
            double[] labels = {1, 2, 3};
            ItemScores s = new ItemScores(key, "i" + key, scores, labels);
            org.admap.model.MapPoint p = new org.admap.model.MapPoint(key, "i" + key, 3, 1, key, Math.sqrt(key),
                    org.admap.model.Region.HIGH_AVG, Double.NaN);
            a.accept(p, s);
            b.accept(p, s);
        }
        assertThat(b.finish().flags()).isEqualTo(a.finish().flags());
        assertThat(b.ranking().main()).containsExactly(a.ranking().main());
    }
}
