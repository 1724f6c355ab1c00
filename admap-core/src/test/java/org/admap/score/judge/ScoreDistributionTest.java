package org.admap.score.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/** The expected score and its spread from log-probabilities, renormalised over the score tokens. */
class ScoreDistributionTest {

    @Provide
    Arbitrary<Map<Integer, double[]>> logprobs() {
        Arbitrary<Integer> scores = Arbitraries.integers().between(1, 10);
        Arbitrary<double[]> values = Arbitraries.doubles().between(-30, 0).array(double[].class).ofMinSize(1)
                .ofMaxSize(3);
        return Arbitraries.maps(scores, values).ofMinSize(1).ofMaxSize(10);
    }

    @Property
    void probabilitiesSumToOneAndTheMeanLiesWithinTheScores(@ForAll("logprobs") Map<Integer, double[]> logprobs) {
        ScoreDistribution d = ScoreDistribution.fromLogprobs(logprobs);

        double total = d.probabilities().values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(total).isCloseTo(1, within(1e-12));
        assertThat(d.probabilities().values()).allMatch(p -> p >= 0 && p <= 1);
        assertThat(d.mean()).isBetween((double) d.probabilities().firstKey(), (double) d.probabilities().lastKey());
        double halfRange = (d.probabilities().lastKey() - d.probabilities().firstKey()) / 2.0;
        assertThat(d.spread()).isBetween(0.0, halfRange + 1e-9);
    }

    @Property
    void theMeanIsTheProbabilityWeightedScore(@ForAll("logprobs") Map<Integer, double[]> logprobs) {
        double num = 0;
        double den = 0;
        for (Map.Entry<Integer, double[]> e : logprobs.entrySet()) {
            for (double l : e.getValue()) {
                num += e.getKey() * Math.exp(l);
                den += Math.exp(l);
            }
        }
        double mean = num / den;
        double var = 0;
        for (Map.Entry<Integer, double[]> e : logprobs.entrySet()) {
            for (double l : e.getValue()) {
                var += (e.getKey() - mean) * (e.getKey() - mean) * Math.exp(l) / den;
            }
        }

        ScoreDistribution d = ScoreDistribution.fromLogprobs(logprobs);

        assertThat(d.mean()).isCloseTo(mean, within(1e-9));
        assertThat(d.spread()).isCloseTo(Math.sqrt(var), within(1e-6));
    }

    @Property
    void renormalisingIgnoresHowMuchMassWentToTokensThatAreNotScores(
            @ForAll("logprobs") Map<Integer, double[]> logprobs, @ForAll @DoubleRange(min = -50,
                    max = 0) double shift) {
        // Mass on non-score tokens scales every score's probability by the same factor: a shift in log space.
        Map<Integer, double[]> shifted = new HashMap<>();
        logprobs.forEach((s, ls) -> {
            double[] moved = ls.clone();
            for (int i = 0; i < moved.length; i++) {
                moved[i] += shift;
            }
            shifted.put(s, moved);
        });

        ScoreDistribution a = ScoreDistribution.fromLogprobs(logprobs);
        ScoreDistribution b = ScoreDistribution.fromLogprobs(shifted);

        assertThat(b.probabilities().keySet()).isEqualTo(a.probabilities().keySet());
        a.probabilities().forEach((s, p) -> assertThat(b.probabilities().get(s)).isCloseTo(p, within(1e-9)));
        assertThat(b.mean()).isCloseTo(a.mean(), within(1e-9));
    }

    @Property
    void anAlmostImpossibleScoreBarelyMovesTheMean(@ForAll("logprobs") Map<Integer, double[]> logprobs) {
        Map<Integer, double[]> more = new HashMap<>(logprobs);
        int absent = 1;
        while (more.containsKey(absent) && absent < 10) {
            absent++;
        }
        double max = logprobs.values().stream().flatMapToDouble(java.util.Arrays::stream).max().orElseThrow();
        more.merge(absent, new double[] {max - 9999}, (x, y) -> x);

        assertThat(ScoreDistribution.fromLogprobs(more).mean())
                .isCloseTo(ScoreDistribution.fromLogprobs(logprobs).mean(), within(1e-9));
    }

    @Test
    void oneScoreIsCertain() {
        ScoreDistribution d = ScoreDistribution.fromLogprobs(Map.of(7, new double[] {-0.3}));

        assertThat(d.mean()).isEqualTo(7);
        assertThat(d.spread()).isZero();
    }

    @Test
    void tokensOfOneScoreAddUp() {
        // " 7" and "7" are both the score 7: 0.2 + 0.2 against 0.4 for 8
        ScoreDistribution d = ScoreDistribution.fromLogprobs(Map.of(7, new double[] {Math.log(0.2), Math.log(0.2)},
                8, new double[] {Math.log(0.4)}));

        assertThat(d.probabilities().get(7)).isCloseTo(0.5, within(1e-12));
        assertThat(d.mean()).isCloseTo(7.5, within(1e-12));
        assertThat(d.spread()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void veryNegativeLogprobsDoNotUnderflowToNothing() {
        ScoreDistribution d = ScoreDistribution.fromLogprobs(Map.of(3, new double[] {-2000}, 4, new double[] {-2000}));

        assertThat(d.mean()).isCloseTo(3.5, within(1e-12));
    }

    @Test
    void notALogprobIsRefused() {
        assertThatThrownBy(() -> ScoreDistribution.fromLogprobs(Map.of(3, new double[] {Double.NaN})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScoreDistribution.fromLogprobs(Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
