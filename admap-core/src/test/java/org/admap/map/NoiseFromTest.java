package org.admap.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.admap.internal.store.ScoreCalibration;
import org.admap.model.ItemScores;
import org.junit.jupiter.api.Test;

/**
 * Where the estimate says its noise was measured ({@link MapStability#noiseFrom}, summary.json's
 * {@code map.stability.noise_from}), decided from the responses whose own standard error it used:
 * their counts of judgments, the map of one sample, a calibration share.
 */
class NoiseFromTest {

    private static final int N = 60;
    private static final StabilityOptions OPTIONS = new StabilityOptions(StabilityTarget.REPLICATE,
            StabilityOptions.Noise.PER_RESPONSE, 20, 1, 1.0, -1, true);

    /** 60 instructions x 4 whole grades; every third instruction's responses have a standard error. */
    private static List<ItemScores> items() {
        Random random = new Random(3);
        List<ItemScores> items = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            double[] scores = new double[4];
            double[] se = ItemScores.unknown(4);
            for (int r = 0; r < 4; r++) {
                scores[r] = 1 + random.nextInt(10);
                if (i % 3 == 0) {
                    se[r] = 0.3 + random.nextDouble();
                }
            }
            items.add(new ItemScores(i, "q" + i, scores, new double[4], se));
        }
        return items;
    }

    /** Per instruction and response: {@code withSe} for the responses with a standard error, 1 for the others. */
    private static int[][] counts(List<ItemScores> items, int withSe, int everyOther) {
        int[][] counts = new int[items.size()][4];
        for (int i = 0; i < items.size(); i++) {
            for (int r = 0; r < 4; r++) {
                boolean hasSe = !Double.isNaN(items.get(i).standardErrors()[r]);
                counts[i][r] = !hasSe ? 1 : everyOther > 0 && i % (3 * everyOther) == 0 ? 1 : withSe;
            }
        }
        return counts;
    }

    @Test
    void singleJudgmentsWithAFewListsOfSamplesAreNoiseFromSamples() {
        // most responses judged once without a spread (k = 1 is the most common count); a third have 3 samples
        List<ItemScores> items = items();
        MapStability estimate = MapStability.estimate(items, 1, counts(items, 3, 0), OPTIONS);
        assertThat(estimate.samplesPerScore()).isEqualTo(1);
        assertThat(estimate.noiseFrom()).isEqualTo(NoiseFrom.SAMPLES);
    }

    @Test
    void singleJudgmentsWithAStandardErrorAreNoiseFromLogprobs() {
        List<ItemScores> items = items();
        assertThat(MapStability.estimate(items, 1, counts(items, 1, 0), OPTIONS).noiseFrom())
                .isEqualTo(NoiseFrom.LOGPROBS);
        // without counts, every response counts as the map's k
        assertThat(MapStability.estimate(items, 1, OPTIONS).noiseFrom()).isEqualTo(NoiseFrom.LOGPROBS);
        assertThat(MapStability.estimate(items, 3, OPTIONS).noiseFrom()).isEqualTo(NoiseFrom.SAMPLES);
    }

    @Test
    void spreadsOfSingleJudgmentsBesideSamplesAreMixed() {
        // half the responses with a standard error have 2 samples, the others one judgment's spread
        List<ItemScores> items = items();
        assertThat(MapStability.estimate(items, 2, counts(items, 2, 2), OPTIONS).noiseFrom())
                .isEqualTo(NoiseFrom.MIXED);
    }

    @Test
    void theMapOfOneSampleAndACalibrationShareSaySo() {
        List<ItemScores> items = items();
        StabilityOptions sample = new StabilityOptions(StabilityTarget.REPLICATE,
                StabilityOptions.Noise.PER_RESPONSE, 20, 1, 1.0, 0, true);
        assertThat(MapStability.estimate(items, 1, sample).noiseFrom()).isEqualTo(NoiseFrom.SAMPLE);
        assertThat(MapStability.estimate(items, 1, OPTIONS).withCalibration(new ScoreCalibration(0.3, 1))
                .noiseFrom()).isEqualTo(NoiseFrom.CALIBRATION);
        // the pairs' second judgments: paired redraws, and the Gaussian estimate under another target
        Map<Integer, double[]> second = new HashMap<>();
        for (ItemScores s : items) {
            if (s.key() % 3 == 0) {
                second.put(s.key(), s.scores().clone());
            }
        }
        MapStability paired = MapStability.estimateFromPairs(items, second, OPTIONS);
        assertThat(paired.redraws()).isNotNull();
        assertThat(paired.noiseFrom()).isEqualTo(NoiseFrom.CALIBRATION);
        StabilityOptions truth = new StabilityOptions(StabilityTarget.parse("truth"),
                StabilityOptions.Noise.PER_RESPONSE, 20, 1, 1.0, -1, true);
        MapStability gaussian = MapStability.estimateFromPairs(items, second, truth);
        assertThat(gaussian.redraws()).isNull();
        assertThat(gaussian.noiseFrom()).isEqualTo(NoiseFrom.CALIBRATION);
    }
}
