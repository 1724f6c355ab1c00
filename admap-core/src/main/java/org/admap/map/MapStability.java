package org.admap.map;

import java.util.List;
import org.admap.model.ItemScores;

/**
 * The stability of a map's regions and how it was estimated: the noise model, the
 * per-judgment noise variance it found, and the {@link RegionStability} estimate.
 *
 * @param options         the options it was estimated under
 * @param samplesPerScore {@code k}: the number of judgments a score is the mean of (1 for the
 *                        map of one sample)
 * @param noiseVariance   the pooled variance of one judgment, {@code sigma^2}
 * @param calibration     the number of responses whose spread the noise was estimated from
 * @param result          {@code region_p} per point and the stability per region
 */
public record MapStability(StabilityOptions options, int samplesPerScore, double noiseVariance, long calibration,
                           RegionStability.Result result) {

    /**
     * Estimates the stability of the map of {@code items}, or returns null when no score has
     * a known standard error (the map then carries no {@code region_p}).
     *
     * @param items           the mapped instructions (two or more scores each), in the map's order
     * @param samplesPerScore {@code k}, the judgments behind a score that has a standard error;
     *                        a score without one counts as one judgment
     */
    public static MapStability estimate(List<ItemScores> items, int samplesPerScore, StabilityOptions options) {
        int k = Math.max(1, samplesPerScore);
        double sum = 0;
        long used = 0;
        for (ItemScores s : items) {
            double[] se = s.standardErrors();
            for (int r = 0; r < se.length; r++) {
                if (usable(s, r, options)) {
                    sum += k * se[r] * se[r];
                    used++;
                }
            }
        }
        if (used == 0) {
            return null;
        }
        double sigma2 = sum / used;
        int n = items.size();
        String[] ids = new String[n];
        double[][] scores = new double[n][];
        double[][] noise = new double[n][];
        for (int i = 0; i < n; i++) {
            ItemScores s = items.get(i);
            ids[i] = s.id();
            scores[i] = s.scores();
            noise[i] = new double[s.scores().length];
            for (int r = 0; r < noise[i].length; r++) {
                if (Double.isNaN(s.scores()[r])) {
                    continue;
                }
                boolean own = usable(s, r, options);
                int kr = own ? k : 1;
                double se = own && options.noise() == StabilityOptions.Noise.PER_RESPONSE ? s.standardErrors()[r]
                        : Math.sqrt(sigma2 / kr);
                noise[i][r] = options.target().noiseVariance(se, kr);
            }
        }
        return new MapStability(options, k, sigma2, used,
                RegionStability.estimate(ids, scores, noise, options.draws(), options.seed()));
    }

    /** Whether response {@code r}'s own standard error counts: known, and in the calibration share. */
    private static boolean usable(ItemScores s, int r, StabilityOptions options) {
        return !Double.isNaN(s.standardErrors()[r]) && !Double.isNaN(s.scores()[r])
                && (options.calibrate() >= 1 || inShare(options.seed(), s.key(), r, options.calibrate()));
    }

    /** A seeded choice of a share of the responses, by (item key, position) alone. */
    static boolean inShare(long seed, int key, int position, double share) {
        long z = seed ^ (((long) key << 20) + position) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53 < share;
    }
}
