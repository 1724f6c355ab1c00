package org.admap.internal.map;

import java.util.HashMap;
import java.util.Map;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreCalibration;
import org.admap.map.MapStability;
import org.admap.map.StabilityOptions;

/**
 * The map of a source scored with a calibration share ({@code score --calibrate F}): every
 * response judged once, the responses of a share F of the instructions twice. Its map is the
 * map of one judgment per response (sample 0 everywhere: mixing the means of two for a fifth
 * of the responses with single judgments for the rest would give the calibrated instructions
 * a different noise), and the pairs give the noise: one judgment's pooled variance is the mean
 * of the pairs' sample variances, {@code mean((a - b)^2 / 2)}, the variance of the difference
 * over 2. A response judged once takes that variance; a calibrated one its own (or the pooled
 * one under {@code --noise pooled}). {@link MapStability#estimateFromPairs} does the estimate:
 * under the default options each response's replicate score is redrawn from the pairs' second
 * judgments at its first score (paired redraws), otherwise as for {@code map --sample 0}.
 */
public final class CalibratedMap {

    private CalibratedMap() {
    }

    /**
     * The calibration of {@code source}, or null when the map is not one of a calibration
     * share: the source was not scored with {@code --calibrate}, the map asks for a sample of
     * its own ({@code --sample J}), or most responses have been judged more than once since
     * ({@code --samples K} on the same source: then the map is on the means, as usual).
     */
    public static ScoreCalibration calibration(RunStore store, String source, StabilityOptions options) {
        if (options.sample() >= 0 || source.equals(RunStore.INPUT) || source.equals(RunStore.LABELS)) {
            return null;
        }
        return ScoreCalibration.recorded(store, source).filter(c -> store.samplesPerScore(source) == 1)
                .orElse(null);
    }

    /**
     * By item key, the second judgments of the calibrated instructions (sample 1; NaN where a
     * response has none), for the paired redraws of {@link MapStability#estimateFromPairs}.
     */
    public static Map<Integer, double[]> secondJudgments(RunStore store, String source) {
        Map<Integer, double[]> second = new HashMap<>();
        store.forEachItemScoresOfSample(source, 1, s -> {
            for (double x : s.scores()) {
                if (!Double.isNaN(x)) {
                    second.put(s.key(), s.scores());
                    return;
                }
            }
        });
        return second;
    }

    /** The options of the map of one judgment per response: sample 0. */
    public static StabilityOptions options(StabilityOptions given) {
        return new StabilityOptions(given.target(), given.noise(), given.draws(), given.seed(), given.calibrate(), 0,
                given.lattice());
    }
}
