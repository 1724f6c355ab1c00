package org.admap.map;

import java.util.List;
import org.admap.model.ItemScores;
import org.admap.store.ScoreCalibration;

/**
 * The stability of a map's regions and how it was estimated: the noise model, the
 * per-judgment noise variance it found, and the {@link RegionStability} estimate.
 *
 * @param options         the options it was estimated under
 * @param samplesPerScore {@code k}: the number of judgments a score is the mean of, the most common
 *                        one where responses differ (1 for the map of one sample)
 * @param noiseVariance   the pooled variance of one judgment, {@code sigma^2}
 * @param calibration     the number of responses whose spread the noise was estimated from
 * @param lattice         the grid resampled scores were rounded to (the step of {@code k}; each
 *                        response was rounded to the step of its own count), or null for continuous noise
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
        return estimate(items, samplesPerScore, null, options);
    }

    /**
     * {@link #estimate(List, int, StabilityOptions)} with each response's own number of
     * judgments: its share of the pooled variance is {@code n se^2}, its noise is that of the
     * mean of its {@code n}, and under the {@code replicate} target its resampled score lies on
     * the grid of {@code 1/n}. Where every response with a standard error has {@code k}
     * judgments, the estimate is the one of {@code k} for the whole map, to the bit.
     *
     * @param samplesPerScore the most common count, reported as the map's
     * @param counts          per instruction and response, the judgments behind its score
     *                        (0 or null: {@code samplesPerScore}); a score without a standard
     *                        error counts as one judgment whatever its count
     */
    public static MapStability estimate(List<ItemScores> items, int samplesPerScore, int[][] counts,
                                        StabilityOptions options) {
        int k = Math.max(1, samplesPerScore);
        double sum = 0;
        long used = 0;
        for (int i = 0; i < items.size(); i++) {
            ItemScores s = items.get(i);
            double[] se = s.standardErrors();
            for (int r = 0; r < se.length; r++) {
                if (usable(s, r, options)) {
                    sum += count(counts, k, i, r) * se[r] * se[r];
                    used++;
                }
            }
        }
        if (used == 0) {
            return null;
        }
        StabilityTarget target = options.target();
        if (target.kind() == StabilityTarget.Kind.POOLED) {
            target.noiseVariance(1, k); // refuses pooled:M with M <= k: the map would hold no new sample
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
                int kr = own ? count(counts, k, i, r) : 1;
                double se = own && options.noise() == StabilityOptions.Noise.PER_RESPONSE ? s.standardErrors()[r]
                        : Math.sqrt(sigma2 / kr);
                // a response that already has the target's M judgments keeps its score
                boolean complete = target.kind() == StabilityTarget.Kind.POOLED && kr >= target.samples();
                noise[i][r] = complete ? 0 : target.noiseVariance(se, kr);
            }
        }
        RegionStability.Lattice lattice = null;
        double[][] steps = null;
        if (options.lattice()) {
            steps = steps(items, k, counts, target);
            lattice = steps == null ? null : lattice(items, gridCount(target, k));
            steps = lattice == null ? null : steps;
        }
        RegionStability.Result result = steps == null
                ? RegionStability.estimate(ids, scores, noise, (RegionStability.Lattice) null, options.draws(),
                        options.seed())
                : RegionStability.estimate(ids, scores, noise, new RegionStability.Grid(lattice.low(), lattice.high(),
                        steps), options.draws(), options.seed());
        return new MapStability(options, k, sigma2, used, lattice, result, null);
    }

    /** Response {@code r} of instruction {@code i}'s number of judgments: its own, or {@code k} where unknown. */
    private static int count(int[][] counts, int k, int i, int r) {
        return counts == null || counts[i][r] <= 0 ? k : counts[i][r];
    }

    /**
     * The grid of {@code 1/m} within the range of the scores, or null without a score: with the
     * map's {@code k}, the step {@code summary.json} reports.
     */
    private static RegionStability.Lattice lattice(List<ItemScores> items, int m) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (ItemScores s : items) {
            for (double x : s.scores()) {
                if (!Double.isNaN(x)) {
                    low = Math.min(low, x);
                    high = Math.max(high, x);
                }
            }
        }
        return low <= high ? new RegionStability.Lattice(1.0 / m, Math.rint(low), Math.rint(high)) : null;
    }

    /** How many judgments the target's score of a response of {@code n} is the mean of: 0 for the truth. */
    private static int gridCount(StabilityTarget target, int n) {
        return switch (target.kind()) {
            case REPLICATE -> n;
            case FRESH, POOLED -> target.samples();
            case TRUTH -> 0;
        };
    }

    /**
     * Per instruction and response, the step of the grid its target score lies on ({@code 1/m}
     * for the mean of m whole-number judgments, m its own count under {@code replicate}); null
     * when the grid does not apply: the noise-free target, no score, or a score that is not the
     * mean of its count of whole numbers.
     */
    private static double[][] steps(List<ItemScores> items, int k, int[][] counts, StabilityTarget target) {
        if (gridCount(target, k) == 0) {
            return null;
        }
        boolean any = false;
        double[][] steps = new double[items.size()][];
        for (int i = 0; i < items.size(); i++) {
            ItemScores s = items.get(i);
            steps[i] = new double[s.scores().length];
            for (int r = 0; r < s.scores().length; r++) {
                double x = s.scores()[r];
                if (Double.isNaN(x)) {
                    continue;
                }
                int kr = Double.isNaN(s.standardErrors()[r]) ? 1 : count(counts, k, i, r);
                double sum = x * kr;
                if (Math.abs(sum - Math.rint(sum)) > 1e-9 * Math.max(1, Math.abs(sum))) {
                    return null;
                }
                steps[i][r] = 1.0 / gridCount(target, kr);
                any = true;
            }
        }
        return any ? steps : null;
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
