package org.admap.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.admap.model.ItemScores;
import org.admap.model.Region;
import org.admap.stats.Moments;
import org.junit.jupiter.api.Test;

/**
 * The stability estimator on a map whose responses have different numbers of judgments, as
 * {@code score --adaptive} leaves it: the responses of half the instructions (a seeded choice)
 * are the mean of 2 judgments, the others of 6, each judgment the true score plus Gaussian noise
 * of a known sigma (rounded to whole grades 1..10 in one case). The map is built from one such
 * measurement; the observed share is the share that keeps its region on the map of a second,
 * independent measurement with the same counts ({@code replicate}). As in
 * {@link RegionStabilityTest}: 600 instructions x 4 responses, 20 datasets, the mean over them
 * of (predicted - observed) within 0.04 per region, and here also per group of instructions (2
 * and 6 judgments; the sampling error of each mean is under 0.01). Standard errors are the
 * samples' own, {@code sd(ddof=1) / sqrt(n)}, as the run store gives them. Measured biases
 * (regions; groups 2, 6): per-response noise +0.010 +0.020 +0.020; +0.023 +0.010; pooled noise
 * +0.000 +0.010 +0.009; +0.005 +0.008; whole grades +0.012 +0.016 +0.017; +0.022 +0.008. With one
 * count for the whole map (k = 6, the estimator before per-response counts) the pooled noise
 * gives the instructions of 2 judgments too little noise and those of 6 too much: +0.042 and
 * -0.040.
 */
class MixedSampleCountsTest {

    private static final int N = 600;
    private static final int RESPONSES = 4;
    private static final int DATASETS = 20;
    private static final double TOLERANCE = 0.04;
    /** One judgment's noise sd against a between-response sd of 1: a mean's variance 0.125 (2) or 0.042 (6). */
    private static final double SIGMA = 0.5;
    /** Whole grades 1..10: one judgment's sd before rounding, against a between-response sd of 1.5. */
    private static final double GRADE_SIGMA = 0.7;

    /** One measurement: per instruction and response, the mean of its judgments and their standard error. */
    private record Measured(double[][] means, double[][] errors) {
    }

    /** Judgments of {@code truth}: {@code counts[i][r]} each, plus Gaussian noise, rounded to whole grades if asked. */
    private static Measured measure(double[][] truth, int[][] counts, double sigma, boolean grades, Random random) {
        double[][] means = new double[N][RESPONSES];
        double[][] errors = new double[N][RESPONSES];
        for (int i = 0; i < N; i++) {
            for (int r = 0; r < RESPONSES; r++) {
                double[] x = new double[counts[i][r]];
                for (int j = 0; j < x.length; j++) {
                    double y = truth[i][r] + sigma * random.nextGaussian();
                    x[j] = grades ? Math.max(1, Math.min(10, Math.rint(y))) : y;
                }
                means[i][r] = Moments.mean(x);
                errors[i][r] = Math.sqrt(Moments.variance(x, means[i][r]) * x.length / (x.length - 1) / x.length);
            }
        }
        return new Measured(means, errors);
    }

    private static byte[] regions(String[] ids, double[][] scores) {
        double[] means = new double[ids.length];
        double[] variances = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            means[i] = Moments.mean(scores[i]);
            variances[i] = Moments.variance(scores[i], means[i]);
        }
        return RegionAssigner.ordinals(ids, means, variances, ids.length, null);
    }

    /**
     * Per region, the mean over datasets of predicted minus observed stability.
     *
     * @param ownCounts whether the estimate is given each response's count (else the map's single k = 6)
     */
    private static double[] bias(double sigma, boolean grades, StabilityOptions.Noise noise, boolean ownCounts,
                                 int few, int many) {
        double[] sum = new double[5]; // per region, then per group of instructions: few, many
        for (int s = 0; s < DATASETS; s++) {
            Random random = new Random(2000 + s);
            String[] ids = new String[N];
            double[][] truth = new double[N][RESPONSES];
            int[][] counts = new int[N][RESPONSES];
            for (int i = 0; i < N; i++) {
                ids[i] = String.format("q%04d", i);
                double level = grades ? 5.5 + 1.5 * random.nextGaussian() : random.nextGaussian();
                int n = random.nextBoolean() ? few : many; // per instruction, as --adaptive adds them
                for (int r = 0; r < RESPONSES; r++) {
                    truth[i][r] = level + (grades ? 1.5 : 1) * random.nextGaussian();
                    counts[i][r] = n;
                }
            }
            Measured first = measure(truth, counts, sigma, grades, random);
            Measured second = measure(truth, counts, sigma, grades, random);
            List<ItemScores> items = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                items.add(new ItemScores(i, ids[i], first.means()[i], new double[RESPONSES], first.errors()[i]));
            }
            StabilityOptions options = new StabilityOptions(StabilityTarget.REPLICATE, noise, 100, s, 1.0, -1, true);
            MapStability estimate = MapStability.estimate(items, many, ownCounts ? counts : null, options);
            RegionStability.Result r = estimate.result();
            byte[] again = regions(ids, second.means());
            long[] kept = new long[3];
            long[] count = new long[3];
            for (int i = 0; i < N; i++) {
                count[r.regions()[i]]++;
                kept[r.regions()[i]] += again[i] == r.regions()[i] ? 1 : 0;
            }
            for (Region g : Region.values()) {
                sum[g.ordinal()] += r.stability().get(g) - (double) kept[g.ordinal()] / count[g.ordinal()];
            }
            double[] predicted = new double[2];
            double[] observed = new double[2];
            int[] size = new int[2];
            for (int i = 0; i < N; i++) {
                int group = counts[i][0] == few ? 0 : 1;
                predicted[group] += r.regionP()[i];
                observed[group] += again[i] == r.regions()[i] ? 1 : 0;
                size[group]++;
            }
            for (int group = 0; group < 2; group++) {
                sum[3 + group] += (predicted[group] - observed[group]) / size[group];
            }
        }
        for (int g = 0; g < sum.length; g++) {
            sum[g] /= DATASETS;
        }
        return sum;
    }

    @Test
    void pooledNoiseWithEachResponsesOwnCountPredictsTheReplicateMap() {
        for (double b : bias(SIGMA, false, StabilityOptions.Noise.POOLED, true, 2, 6)) {
            assertThat(b).isCloseTo(0, within(TOLERANCE));
        }
    }

    @Test
    void perResponseNoiseWithEachResponsesOwnCountPredictsTheReplicateMap() {
        for (double b : bias(SIGMA, false, StabilityOptions.Noise.PER_RESPONSE, true, 2, 6)) {
            assertThat(b).isCloseTo(0, within(TOLERANCE));
        }
    }

    @Test
    void wholeGradesOnEachResponsesOwnGridPredictTheReplicateMap() {
        for (double b : bias(GRADE_SIGMA, true, StabilityOptions.Noise.PER_RESPONSE, true, 2, 6)) {
            assertThat(b).isCloseTo(0, within(TOLERANCE));
        }
    }

    @Test
    void oneCountForTheWholeMapIsMeasurablyWrong() {
        // k = 6 for every response gives every response the mean noise, sigma^2 / 3: too little for
        // the instructions of 2 judgments (optimistic), too much for those of 6 (pessimistic)
        double[] b = bias(SIGMA, false, StabilityOptions.Noise.POOLED, false, 2, 6);
        assertThat(b[3]).isGreaterThan(0.03);
        assertThat(b[4]).isLessThan(-0.03);
    }

    @Test
    void theSameCountEverywhereGivesTheEstimateOfOneCountToTheBit() {
        Random random = new Random(5);
        List<ItemScores> items = new ArrayList<>();
        int[][] counts = new int[200][RESPONSES];
        for (int i = 0; i < 200; i++) {
            double[] scores = new double[RESPONSES];
            double[] se = new double[RESPONSES];
            for (int r = 0; r < RESPONSES; r++) {
                scores[r] = (1 + random.nextInt(10) + 1 + random.nextInt(10) + 1 + random.nextInt(10)) / 3.0;
                se[r] = 0.2 + random.nextDouble();
                counts[i][r] = 3;
            }
            items.add(new ItemScores(i, "q" + i, scores, new double[RESPONSES], se));
        }
        for (String target : List.of("replicate", "truth", "fresh:2", "pooled:5")) {
            StabilityOptions options = new StabilityOptions(StabilityTarget.parse(target),
                    StabilityOptions.Noise.PER_RESPONSE, 50, 3, 1.0, -1, true);
            MapStability one = MapStability.estimate(items, 3, options);
            MapStability own = MapStability.estimate(items, 3, counts, options);
            assertThat(own.result().regionP()).as(target).containsExactly(one.result().regionP());
            assertThat(own.result().spread()).as(target).isEqualTo(one.result().spread());
            assertThat(own.noiseVariance()).as(target).isEqualTo(one.noiseVariance());
            assertThat(own.lattice()).as(target).isEqualTo(one.lattice());
        }
    }
}
