package org.admap.map;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.admap.model.Region;
import org.admap.stats.Moments;

/**
 * How stable a map's regions are under the noise of its scores: for every instruction
 * {@code region_p}, the probability that it keeps its region when the scores are drawn
 * again, and for every region its stability, the expected share of its instructions that
 * keep it (the mean of their {@code region_p}).
 *
 * <p>Estimated by simulation, because the regions are ranks and one response's noise moves
 * the boundaries for everyone: each draw adds independent Gaussian noise of the given
 * variance to every response's score ({@link StabilityTarget#noiseVariance} says which
 * variance predicts which second map), recomputes every instruction's mean and variance
 * with the map's own arithmetic and re-runs the rank rule ({@link RegionAssigner}, ties by
 * id as in the map). {@code region_p} is the share of draws in which the instruction keeps
 * its region; its Monte Carlo standard error is at most {@code 0.5 / sqrt(draws)}.
 *
 * <p>Reproducible: draw {@code d} uses a generator seeded from {@code (seed, d)} alone, so
 * the result depends neither on the number of threads nor on their timing.
 *
 * <pre>{@code
 * double[][] scores = {{8, 2, 5, 9}, {4, 4, 5, 3}, ...};      // per instruction, its responses
 * double[][] noise = {{0.5, 0.5, 0.5, 0.5}, ...};             // StabilityTarget.noiseVariance(se, k)
 * RegionStability.Result r = RegionStability.estimate(ids, scores, noise, 200, 7L);
 * r.regionP()[i];                  // instruction i keeps its region with this probability
 * r.stability().get(Region.HIGH_AVG);
 * }</pre>
 */
public final class RegionStability {

    /** The default number of draws: {@code region_p} to within 0.035 (one standard error, at worst). */
    public static final int DEFAULT_DRAWS = 200;

    private static final Region[] REGIONS = Region.values();

    private RegionStability() {
    }

    /**
     * The estimate.
     *
     * @param regions   per instruction, its region on the map ({@link Region#ordinal()})
     * @param regionP   per instruction, the share of draws in which it kept its region
     * @param stability per region, the mean {@code region_p} of its instructions (NaN for an
     *                  empty region)
     * @param overall   the mean {@code region_p} over all instructions
     * @param spread    per region, the standard deviation over the draws of the share of its
     *                  instructions that kept it: how far one rebuilt map's share may fall from
     *                  the stability (a region of 27 instructions: some 8 points)
     * @param draws     the number of draws
     * @param seed      the seed
     */
    public record Result(byte[] regions, double[] regionP, Map<Region, Double> stability, double overall,
                         Map<Region, Double> spread, int draws, long seed) {
    }

    /**
     * Estimates the stability of the map of {@code scores}.
     *
     * @param ids            the instructions' ids, the rank rule's tie-breaker
     * @param scores         per instruction, its responses' scores (NaN: no score; at least two
     *                       present per instruction, as on the map)
     * @param noiseVariances per instruction and response, the variance of the noise to add
     *                       (0: the score stays; ignored where the score is NaN)
     * @param draws          the number of draws, at least 1
     * @param seed           the seed of the draws
     */
    public static Result estimate(String[] ids, double[][] scores, double[][] noiseVariances, int draws, long seed) {
        return estimate(ids, scores, noiseVariances, (Lattice) null, draws, seed);
    }

    /**
     * The grid discrete scores lie on (a judge's grades 1..5, or the means of k of them on a
     * grid of 1/k): the resampled scores are rounded to it and kept within its bounds, as a
     * second judgment would be. It matters more than it seems: the rank rule breaks ties by
     * id, so instructions whose grades tie keep their order in every map built from grades,
     * and continuous noise, which breaks every tie at random, would understate how stable
     * such a map is (on Prometheus' Vicuna grades, by some 7 points per region).
     *
     * @param step the grid's step
     * @param low  the lowest score
     * @param high the highest score
     */
    public record Lattice(double step, double low, double high) {

        public Lattice {
            if (!(step > 0) || !(low <= high)) {
                throw new IllegalArgumentException("a lattice needs a step > 0 and low <= high, got " + step + ", "
                        + low + ", " + high);
            }
        }

        double round(double x) {
            return RegionStability.round(x, step, low, high);
        }
    }

    /**
     * A {@link Lattice} whose step differs per response: the mean of each response's own number
     * of judgments, once some responses have been judged more often than others
     * ({@code score --adaptive}).
     *
     * @param low   the lowest score
     * @param high  the highest score
     * @param steps per instruction and response, its grid's step (0: continuous)
     */
    public record Grid(double low, double high, double[][] steps) {

        public Grid {
            if (!(low <= high) || steps == null) {
                throw new IllegalArgumentException("a grid needs low <= high and steps, got " + low + ", " + high);
            }
        }
    }

    /** The resampled score {@code x} of response {@code r} of instruction {@code i}, on its grid. */
    @FunctionalInterface
    private interface Rounding {
        double round(int i, int r, double x);
    }

    private static double round(double x, double step, double low, double high) {
        return Math.max(low, Math.min(high, Math.rint((x - low) / step) * step + low));
    }

    /**
     * {@link #estimate(String[], double[][], double[][], int, long)} of scores that lie on a
     * lattice (null: continuous scores).
     */
    public static Result estimate(String[] ids, double[][] scores, double[][] noiseVariances, Lattice lattice,
                                  int draws, long seed) {
        return simulate(ids, scores, noiseVariances, lattice == null ? null : (i, r, x) -> lattice.round(x), draws,
                seed);
    }

    /**
     * {@link #estimate(String[], double[][], double[][], int, long)} of scores that lie on a
     * grid of their own each ({@link Grid}; null: continuous scores).
     */
    public static Result estimate(String[] ids, double[][] scores, double[][] noiseVariances, Grid grid,
                                  int draws, long seed) {
        if (grid != null && grid.steps().length != ids.length) {
            throw new IllegalArgumentException("the grid has steps for " + grid.steps().length + " instructions, not "
                    + ids.length);
        }
        return simulate(ids, scores, noiseVariances, grid == null ? null : (i, r, x) -> {
            double step = grid.steps()[i][r];
            return step > 0 ? round(x, step, grid.low(), grid.high()) : x;
        }, draws, seed);
    }

    /**
     * {@link #estimate(String[], double[][], double[][], Lattice, int, long)} where some
     * responses' new scores are drawn from given lists of values rather than from Gaussian
     * noise around their own: a paired redraw ({@link MapStability#estimateFromPairs}), whose
     * values are the second judgments of the calibration pairs whose first judgment equals the
     * response's score. Each draw picks one value of the response's list uniformly at random,
     * independently of the other responses; the value is taken as it is (it is a judgment
     * already, on the judgments' grid). The responses without a list get Gaussian noise of their
     * variance, rounded to the lattice, as in {@code estimate}.
     *
     * @param pools  the lists of values, each non-empty and finite
     * @param poolOf per instruction and response, the index of its list in {@code pools}, or
     *               -1 for Gaussian noise of its {@code noiseVariances} entry
     */
    public static Result estimateFromValues(String[] ids, double[][] scores, double[][] pools, int[][] poolOf,
                                            double[][] noiseVariances, Lattice lattice, int draws, long seed) {
        Objects.requireNonNull(pools, "pools");
        if (poolOf == null || poolOf.length != ids.length) {
            throw new IllegalArgumentException("the pool indexes cover " + (poolOf == null ? 0 : poolOf.length)
                    + " instructions, not " + ids.length);
        }
        for (int p = 0; p < pools.length; p++) {
            if (pools[p] == null || pools[p].length == 0) {
                throw new IllegalArgumentException("pool " + p + " holds no value to draw");
            }
            for (double v : pools[p]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("pool " + p + " holds " + v + ", not a finite score");
                }
            }
        }
        for (int i = 0; i < ids.length; i++) {
            if (poolOf[i] == null || scores[i] == null || poolOf[i].length != scores[i].length) {
                throw new IllegalArgumentException("instruction " + ids[i] + " has " + (scores[i] == null ? 0
                        : scores[i].length) + " scores and " + (poolOf[i] == null ? 0 : poolOf[i].length)
                        + " pool indexes");
            }
            for (int r = 0; r < poolOf[i].length; r++) {
                if (poolOf[i][r] < -1 || poolOf[i][r] >= pools.length) {
                    throw new IllegalArgumentException("instruction " + ids[i] + ", response " + r + ": pool "
                            + poolOf[i][r] + " is not one of the " + pools.length + " given (or -1)");
                }
            }
        }
        return simulate(ids, scores, noiseVariances, lattice == null ? null : (i, r, x) -> lattice.round(x),
                new Values(pools, poolOf), draws, seed);
    }

    /** The lists of values some responses' new scores are drawn from ({@link #estimateFromValues}). */
    private record Values(double[][] pools, int[][] poolOf) {
    }

    private static Result simulate(String[] ids, double[][] scores, double[][] noiseVariances, Rounding lattice,
                                   int draws, long seed) {
        return simulate(ids, scores, noiseVariances, lattice, null, draws, seed);
    }

    private static Result simulate(String[] ids, double[][] scores, double[][] noiseVariances, Rounding lattice,
                                   Values values, int draws, long seed) {
        int n = ids.length;
        if (scores.length != n || noiseVariances.length != n) {
            throw new IllegalArgumentException("ids, scores and noise variances differ in length: " + n + ", "
                    + scores.length + ", " + noiseVariances.length);
        }
        if (draws < 1) {
            throw new IllegalArgumentException("draws must be at least 1, got " + draws);
        }
        double[][] sds = new double[n][];
        for (int i = 0; i < n; i++) {
            Objects.requireNonNull(scores[i], "scores");
            if (scores[i].length != noiseVariances[i].length) {
                throw new IllegalArgumentException("instruction " + ids[i] + " has " + scores[i].length
                        + " scores and " + noiseVariances[i].length + " noise variances");
            }
            sds[i] = new double[scores[i].length];
            for (int r = 0; r < scores[i].length; r++) {
                double v = noiseVariances[i][r];
                if (!Double.isNaN(scores[i][r]) && !(v >= 0 && v < Double.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException("instruction " + ids[i] + ", response " + r
                            + ": noise variance " + v + " is not a finite number >= 0");
                }
                sds[i][r] = Double.isNaN(scores[i][r]) ? 0 : Math.sqrt(v);
            }
        }
        byte[] regions = regionsOf(ids, scores, null, null, null, null);
        long[] counts = new long[REGIONS.length];
        for (byte r : regions) {
            counts[r]++;
        }
        double[][] shares = new double[draws][]; // per draw, per region: the share that kept it
        int[] kept = IntStream.range(0, draws).parallel().collect(() -> new int[n], (acc, d) -> {
            SplittableRandom random = new SplittableRandom(mix(seed, d));
            byte[] again = regionsOf(ids, scores, sds, lattice, values, random);
            double[] share = new double[REGIONS.length];
            for (int i = 0; i < n; i++) {
                boolean same = again[i] == regions[i];
                acc[i] += same ? 1 : 0;
                share[regions[i]] += same ? 1.0 / counts[regions[i]] : 0;
            }
            shares[d] = share; // each draw its own slot; read after the stream has completed
        }, (a, b) -> {
            for (int i = 0; i < n; i++) {
                a[i] += b[i];
            }
        });
        double[] regionP = new double[n];
        double[] sums = new double[REGIONS.length];
        double total = 0;
        for (int i = 0; i < n; i++) {
            regionP[i] = (double) kept[i] / draws;
            sums[regions[i]] += regionP[i];
            total += regionP[i];
        }
        Map<Region, Double> stability = new EnumMap<>(Region.class);
        Map<Region, Double> spread = new EnumMap<>(Region.class);
        for (Region r : REGIONS) {
            int g = r.ordinal();
            double mean = counts[g] == 0 ? Double.NaN : sums[g] / counts[g];
            stability.put(r, mean);
            double ss = 0;
            for (double[] share : shares) {
                ss += (share[g] - mean) * (share[g] - mean);
            }
            spread.put(r, counts[g] == 0 ? Double.NaN : draws < 2 ? 0 : Math.sqrt(ss / (draws - 1)));
        }
        return new Result(regions, regionP, Collections.unmodifiableMap(stability), n == 0 ? Double.NaN : total / n,
                Collections.unmodifiableMap(spread), draws, seed);
    }

    /**
     * The regions of the scores, each plus Gaussian noise of its standard deviation when a
     * generator is given, or drawn from its list of values where {@code values} gives it one.
     */
    private static byte[] regionsOf(String[] ids, double[][] scores, double[][] sds, Rounding lattice,
                                    Values values, SplittableRandom random) {
        int n = ids.length;
        double[] means = new double[n];
        double[] variances = new double[n];
        double[] noisy = new double[0];
        for (int i = 0; i < n; i++) {
            double[] s = scores[i];
            if (random != null) {
                if (noisy.length != s.length) {
                    noisy = new double[s.length];
                }
                for (int r = 0; r < s.length; r++) {
                    int p = values == null || Double.isNaN(s[r]) ? -1 : values.poolOf()[i][r];
                    if (p >= 0) {
                        double[] pool = values.pools()[p];
                        noisy[r] = pool[random.nextInt(pool.length)];
                        continue;
                    }
                    double sd = sds[i][r];
                    double x = s[r] + (sd == 0 ? 0 : sd * random.nextGaussian()); // NaN stays NaN
                    noisy[r] = lattice == null || sd == 0 || Double.isNaN(x) ? x : lattice.round(i, r, x);
                }
                s = noisy;
            }
            means[i] = Moments.mean(s, 0, s.length);
            variances[i] = Moments.variance(s, 0, s.length, means[i]);
        }
        return RegionAssigner.ordinals(ids, means, variances, n, null);
    }

    /** A seed for draw {@code d} from the run's seed (SplitMix64's finaliser). */
    private static long mix(long seed, int d) {
        long z = seed + 0x9E3779B97F4A7C15L * (d + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
