package org.admap.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.admap.internal.map.CalibratedMap;
import org.admap.internal.store.ScoreCalibration;
import org.admap.model.ItemScores;

/**
 * The noise of a map of one judgment per response, estimated from a calibration share's pairs
 * ({@code score --calibrate F}): a known judgment noise is recovered, and the share chosen is F.
 */
class CalibratedNoiseTest {

    /**
     * Items of 4 responses whose judgments are true score + Gaussian noise of sd sigma; a share
     * of the items has every response judged twice. As the map of sample 0 gives it to the
     * estimate: the first judgment, with the two judgments' sd (ddof=1) as standard error, and no
     * standard error for the responses judged once. The pooled estimate, mean((a - b)^2 / 2),
     * is sigma^2 times a chi-square over n pairs divided by n: its sd is sigma^2 sqrt(2/n), so
     * the estimated sd is within 5 / sqrt(2n) of sigma (relative) but for 1 in 10^6 draws.
     */
    @Property(tries = 100)
    void aKnownNoiseSdIsRecoveredFromThePairs(@ForAll @DoubleRange(min = 0.2, max = 3) double sigma,
                                              @ForAll @IntRange(min = 25, max = 400) int calibrated,
                                              @ForAll long seed) {
        Random random = new Random(seed);
        List<ItemScores> items = new ArrayList<>();
        int n = 4 * calibrated;
        for (int i = 0; i < n; i++) {
            boolean twice = i % 4 == 0;
            double[] scores = new double[4];
            double[] se = ItemScores.unknown(4);
            for (int r = 0; r < 4; r++) {
                double truth = 5 + 2 * random.nextGaussian();
                double a = truth + sigma * random.nextGaussian();
                scores[r] = a;
                if (twice) {
                    double b = truth + sigma * random.nextGaussian();
                    se[r] = Math.abs(a - b) / Math.sqrt(2);
                }
            }
            items.add(new ItemScores(i, "q" + i, scores, new double[4], se));
        }
        StabilityOptions options = CalibratedMap.options(new StabilityOptions(StabilityTarget.REPLICATE,
                StabilityOptions.Noise.PER_RESPONSE, 1, 1, 1.0, -1, false));
        MapStability estimate = MapStability.estimate(items, 1, options)
                .withCalibration(new ScoreCalibration(0.25, 7));
        long pairs = 4L * calibrated;
        assertThat(estimate.calibration()).isEqualTo(pairs);
        assertThat(estimate.samplesPerScore()).isEqualTo(1);
        double sd = Math.sqrt(estimate.noiseVariance());
        assertThat(Math.abs(sd / sigma - 1)).isLessThanOrEqualTo(5 / Math.sqrt(2.0 * pairs));
        assertThat(estimate.calibrationText())
                .startsWith("calibration F=0.25 (seed 7), " + pairs + " pairs, pooled sd ");
    }

    /**
     * The seeded choice takes a share F of the instructions (binomially: within 5 sd), and a
     * larger share with the same seed takes a superset, so raising F adds calls, never repeats.
     */
    @Property(tries = 50)
    void theShareChosenIsFAndGrowsWithF(@ForAll @DoubleRange(min = 0.01, max = 0.9) double share,
                                        @ForAll long seed) {
        ScoreCalibration small = new ScoreCalibration(share, seed);
        ScoreCalibration large = new ScoreCalibration(Math.min(1, share + 0.1), seed);
        int n = 4000;
        int chosen = 0;
        for (int i = 0; i < n; i++) {
            String id = "item-" + i;
            if (small.chosen(id)) {
                chosen++;
                assertThat(large.chosen(id)).as(id).isTrue();
            }
        }
        assertThat(Math.abs(chosen / (double) n - share)).isLessThanOrEqualTo(5 * Math.sqrt(share * (1 - share) / n));
        assertThat(new ScoreCalibration(1, seed).chosen("any")).isTrue();
    }
}
