package org.admap.map;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.admap.internal.store.ScoreCalibration;
import org.admap.model.ItemScores;

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
 * @param redraws         how many responses' replicate scores were drawn from the calibration pairs
 *                        ({@link #estimateFromPairs}), or null where every response had Gaussian noise
 * @param noiseFrom       where the noise was measured, decided here where the estimate chose its noise:
 *                        repeated judgments, the map's sample's siblings, calibration pairs or
 *                        log-probability spreads
 */
public record MapStability(StabilityOptions options, int samplesPerScore, double noiseVariance, long calibration,
                           RegionStability.Lattice lattice, RegionStability.Result result,
                           ScoreCalibration calibrated, PairedRedraws redraws, NoiseFrom noiseFrom) {

    /**
     * The fewest second judgments at a first score that a paired redraw draws from; a response
     * whose score has fewer (a score at the end of the scale that few pairs reach) gets
     * Gaussian noise of the pooled variance instead, on the grid, as without pairs. Twenty
     * values give the conditional distribution's mean to within about a fifth of a judgment's sd.
     */
    public static final int MIN_PAIRED_VALUES = 20;

    /**
     * Paired redraws: {@code paired} of the map's {@code responses} had their replicate score
     * drawn from the calibration pairs' second judgments at their first score, the others
     * Gaussian noise of the pooled variance (too few pairs at their score).
     */
    public record PairedRedraws(long paired, long responses) {
    }

    public MapStability {
        if (noiseFrom == null) {
            throw new IllegalArgumentException("an estimate says where its noise was measured");
        }
    }

    /**
     * The estimate, noting that its noise came from a calibration share: the standard errors it
     * used are the pairs' (a calibrated response's own, or the pooled one), whatever their count.
     */
    public MapStability withCalibration(ScoreCalibration value) {
        return new MapStability(options, samplesPerScore, noiseVariance, calibration, lattice, result, value,
                redraws, NoiseFrom.CALIBRATION);
    }

    /**
     * The noise model in words where it came from a calibration share
     * ({@code calibration F=0.1 (seed 1234), 180 pairs, pooled sd 0.816}, then with paired
     * redraws {@code , paired redraws for 3600 of 3600 responses}), null otherwise.
     */
    public String calibrationText() {
        if (calibrated == null) {
            return null;
        }
        String text = calibrated.describe(calibration, noiseVariance);
        return redraws == null ? text : text + ", paired redraws for " + redraws.paired() + " of "
                + redraws.responses() + " responses";
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
        double[] pooled = pooled(items, k, counts, options);
        long used = (long) pooled[1];
        if (used == 0) {
            return null;
        }
        StabilityTarget target = options.target();
        if (target.kind() == StabilityTarget.Kind.POOLED) {
            target.noiseVariance(1, k); // refuses pooled:M with M <= k: the map would hold no new sample
        }
        double sigma2 = pooled[0];
        // the map of one sample measures its noise between the samples; else each used response's count says
        NoiseFrom from = options.sample() >= 0 ? NoiseFrom.SAMPLE
                : NoiseFrom.ofCounts((long) pooled[2], used - (long) pooled[2]);
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
        return new MapStability(options, k, sigma2, used, lattice, result, null, null, from);
    }

    /**
     * The pooled variance of one judgment, {@code mean(n se^2)} over the usable responses, their
     * number, and how many of them were judged two or more times (the others once, their standard
     * error a single judgment's spread): {@code {sigma^2, used, repeated}} ({@code {NaN, 0, 0}}
     * without any).
     */
    private static double[] pooled(List<ItemScores> items, int k, int[][] counts, StabilityOptions options) {
        double sum = 0;
        long used = 0;
        long repeated = 0;
        for (int i = 0; i < items.size(); i++) {
            ItemScores s = items.get(i);
            double[] se = s.standardErrors();
            for (int r = 0; r < se.length; r++) {
                if (usable(s, r, options)) {
                    int n = count(counts, k, i, r);
                    sum += n * se[r] * se[r];
                    used++;
                    repeated += n >= 2 ? 1 : 0;
                }
            }
        }
        return new double[] {used == 0 ? Double.NaN : sum / used, used, repeated};
    }

    /**
     * The stability of a calibrated map ({@code score --calibrate F}: one judgment per response,
     * a share judged twice) by <em>paired redraws</em>: each response's replicate score is drawn
     * from the second judgments of the calibration pairs whose first judgment equals its score,
     * the empirical distribution of judgment 2 given judgment 1 = x. Both directions of a pair
     * count (the two judgments are exchangeable), so a pair (a, b) puts b among the values of a
     * and a among those of b.
     *
     * <p>Why not {@code x} plus noise: Gaussian noise around the observed score is a flat prior
     * that ignores regression to the mean (a high first judgment is partly luck, and the second
     * tends lower), and clipping at the scale's ends makes the pooled variance too small for the
     * middle and too large at the ends. Both make the map look more stable than it is, the more
     * so the noisier the judge (docs/trust.md: 6 to 10 points at noise sd 1.2). The pairs' second
     * judgments carry both effects as measured.
     *
     * <p>Falls back to {@link #estimate(List, int, StabilityOptions)} (Gaussian noise of the
     * pooled variance, each calibrated response its own under {@code --noise per-response}) as a
     * whole when the options are not the defaults that paired redraws answer (target
     * {@code replicate}, {@code --noise per-response}, on the grid) or when a score or a pair's
     * judgment is not a whole number (log-probability scores: no two are equal); and per response,
     * Gaussian noise of the pooled variance on the grid where its score has fewer than
     * {@link #MIN_PAIRED_VALUES} second judgments to draw from. Deterministic for a seed.
     *
     * @param items  the mapped instructions, the first judgment of every response (sample 0),
     *               a calibrated response's standard error the pair's sd
     * @param second by item key, the instruction's second judgments (sample 1; NaN where a
     *               response has none); instructions outside the share may be absent
     */
    public static MapStability estimateFromPairs(List<ItemScores> items, Map<Integer, double[]> second,
                                                 StabilityOptions options) {
        StabilityTarget target = options.target();
        if (target.kind() != StabilityTarget.Kind.REPLICATE || options.noise() != StabilityOptions.Noise.PER_RESPONSE
                || !options.lattice() || !wholeNumbers(items, second)) {
            MapStability gaussian = estimate(items, 1, options);
            return gaussian == null ? null : gaussian.withCalibration(null); // the pairs' spread, not a spread in one
        }
        double[] pooled = pooled(items, 1, null, options);
        long used = (long) pooled[1];
        if (used == 0) {
            return null;
        }
        double sigma2 = pooled[0];
        // the second judgments at each first judgment, both directions of each usable pair
        TreeMap<Long, List<Double>> byFirst = new TreeMap<>();
        for (ItemScores s : items) {
            double[] b = second.get(s.key());
            if (b == null) {
                continue;
            }
            for (int r = 0; r < s.scores().length; r++) {
                double a = s.scores()[r];
                if (r < b.length && !Double.isNaN(b[r]) && usable(s, r, options)) {
                    byFirst.computeIfAbsent(Math.round(a), x -> new ArrayList<>()).add(b[r]);
                    byFirst.computeIfAbsent(Math.round(b[r]), x -> new ArrayList<>()).add(a);
                }
            }
        }
        Map<Long, Integer> index = new HashMap<>();
        List<double[]> pools = new ArrayList<>();
        byFirst.forEach((x, values) -> {
            if (values.size() >= MIN_PAIRED_VALUES) {
                index.put(x, pools.size());
                pools.add(values.stream().mapToDouble(Double::doubleValue).toArray());
            }
        });
        int n = items.size();
        String[] ids = new String[n];
        double[][] scores = new double[n][];
        double[][] noise = new double[n][];
        int[][] poolOf = new int[n][];
        double fallback = target.noiseVariance(Math.sqrt(sigma2), 1);
        long paired = 0;
        long responses = 0;
        for (int i = 0; i < n; i++) {
            ItemScores s = items.get(i);
            ids[i] = s.id();
            scores[i] = s.scores();
            noise[i] = new double[scores[i].length];
            poolOf[i] = new int[scores[i].length];
            for (int r = 0; r < scores[i].length; r++) {
                double x = scores[i][r];
                Integer p = Double.isNaN(x) ? null : index.get(Math.round(x));
                poolOf[i][r] = p == null ? -1 : p;
                noise[i][r] = Double.isNaN(x) ? 0 : fallback;
                paired += p == null ? 0 : 1;
                responses += Double.isNaN(x) ? 0 : 1;
            }
        }
        RegionStability.Lattice lattice = lattice(items, 1);
        RegionStability.Result result = RegionStability.estimateFromValues(ids, scores,
                pools.toArray(new double[0][]), poolOf, noise, lattice, options.draws(), options.seed());
        return new MapStability(options, 1, sigma2, used, lattice, result, null, new PairedRedraws(paired, responses),
                NoiseFrom.CALIBRATION);
    }

    /** Whether every score of the map and every second judgment is a whole number. */
    private static boolean wholeNumbers(List<ItemScores> items, Map<Integer, double[]> second) {
        for (ItemScores s : items) {
            if (!whole(s.scores())) {
                return false;
            }
            double[] b = second.get(s.key());
            if (b != null && !whole(b)) {
                return false;
            }
        }
        return true;
    }

    private static boolean whole(double[] values) {
        for (double x : values) {
            if (!Double.isNaN(x) && (Double.isInfinite(x) || x != Math.rint(x))) {
                return false;
            }
        }
        return true;
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
