package org.admap.map;

import java.util.List;
import org.admap.model.ItemScores;
import org.admap.store.ScoreCalibration;

/**
 * The stability of a map's regions and how it was estimated: the noise model, the
 * per-judgment noise variance it found, and the {@link RegionStability} estimate.
 *
 * @param options         the options it was estimated under
 * @param samplesPerScore {@code k}: the number of judgments a score is the mean of (1 for the
 *                        map of one sample)
 * @param noiseVariance   the pooled variance of one judgment, {@code sigma^2}
 * @param calibration     the number of responses whose spread the noise was estimated from
 * @param lattice         the grid resampled scores were rounded to, or null for continuous noise
 * @param result          {@code region_p} per point and the stability per region
 * @param calibrated      the calibration share the noise came from ({@code score --calibrate F}: the map
 *                        of one judgment per response, the pairs of the share measuring the noise), or null
 */
public record MapStability(StabilityOptions options, int samplesPerScore, double noiseVariance, long calibration,
                           RegionStability.Lattice lattice, RegionStability.Result result,
                           ScoreCalibration calibrated) {

    /** The estimate, noting that its noise came from a calibration share. */
    public MapStability withCalibration(ScoreCalibration value) {
        return new MapStability(options, samplesPerScore, noiseVariance, calibration, lattice, result, value);
    }

    /**
     * The noise model in words where it came from a calibration share
     * ({@code calibration F=0.1 (seed 1234), 180 pairs, pooled sd 0.816}), null otherwise.
     */
    public String calibrationText() {
        return calibrated == null ? null : calibrated.describe(calibration, noiseVariance);
    }

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
        RegionStability.Lattice lattice = options.lattice() ? lattice(items, k, options.target()) : null;
        return new MapStability(options, k, sigma2, used, lattice,
                RegionStability.estimate(ids, scores, noise, lattice, options.draws(), options.seed()), null);
    }

    /**
     * The grid the target's scores lie on when every judgment is a whole number (a judge's
     * grades): the mean of m new judgments lies on a grid of 1/m, within the range of the
     * scores seen; null for the noise-free target or scores that are not whole-number judgments.
     */
    static RegionStability.Lattice lattice(List<ItemScores> items, int k, StabilityTarget target) {
        int m = switch (target.kind()) {
            case REPLICATE -> k;
            case FRESH, POOLED -> target.samples();
            case TRUTH -> 0;
        };
        if (m == 0) {
            return null;
        }
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (ItemScores s : items) {
            for (int r = 0; r < s.scores().length; r++) {
                double x = s.scores()[r];
                if (Double.isNaN(x)) {
                    continue;
                }
                int kr = Double.isNaN(s.standardErrors()[r]) ? 1 : k;
                double sum = x * kr;
                if (Math.abs(sum - Math.rint(sum)) > 1e-9 * Math.max(1, Math.abs(sum))) {
                    return null;
                }
                low = Math.min(low, x);
                high = Math.max(high, x);
            }
        }
        return low <= high ? new RegionStability.Lattice(1.0 / m, Math.rint(low), Math.rint(high)) : null;
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
