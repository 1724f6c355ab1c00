package org.admap.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;

class DiagnoserTest {

    private static final double NA = Double.NaN;

    /** The paper's thresholds with the low-impact rule off, to look at misannotation alone. */
    private static DiagnoseOptions misannotationOnly(double bottomFraction) {
        return new DiagnoseOptions(Correlation.COSINE, 0.65, bottomFraction, 0, true);
    }

    /** Feeds one item: its point (mean and variance of the scores) and its scores and labels. */
    private static void accept(Diagnoser d, int key, double[] labels, double[] scores) {
        double sum = 0;
        int n = 0;
        for (double s : scores) {
            if (!Double.isNaN(s)) {
                sum += s;
                n++;
            }
        }
        double mean = sum / n;
        double squares = 0;
        for (double s : scores) {
            if (!Double.isNaN(s)) {
                squares += (s - mean) * (s - mean);
            }
        }
        double variance = squares / n;
        MapPoint point = new MapPoint(key, "item-" + key, n, mean, variance, Math.sqrt(variance), Region.HIGH_AVG,
                NA);
        d.accept(point, new ItemScores(key, "item-" + key, scores, labels));
    }

    private static double[] v(double... xs) {
        return xs;
    }

    private static Set<String> flagged(Diagnosis diagnosis, Reason reason) {
        Set<String> ids = new HashSet<>();
        for (Flag f : diagnosis.flags()) {
            if (f.reasons().contains(reason)) {
                ids.add(f.id());
            }
        }
        return ids;
    }

    // ---- thresholds over a whole map, applied to its parts ------------------------------

    @Test
    void partsDiagnosedWithTheWholesThresholdsFlagWhatTheWholeFlags() {
        // What a distributed diagnosis relies on: the bottom-share and low-impact thresholds of
        // the whole map, handed to a diagnoser per part, give the flags of one diagnoser over all.
        DiagnoseOptions options = new DiagnoseOptions(Correlation.COSINE, 0.65, 0.2, 0.3, true);
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        List<double[][]> items = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            double[] labels = new double[4];
            double[] scores = new double[4];
            for (int r = 0; r < 4; r++) {
                labels[r] = 1 + random.nextInt(5);
                scores[r] = random.nextInt(3) == 0 ? NA : random.nextInt(4);
            }
            items.add(new double[][] {labels, scores});
        }
        Diagnoser whole = new Diagnoser(options);
        Diagnoser first = new Diagnoser(options);
        Diagnoser second = new Diagnoser(options);
        for (int i = 0; i < items.size(); i++) {
            if (java.util.Arrays.stream(items.get(i)[1]).filter(x -> !Double.isNaN(x)).count() < 2) {
                continue;
            }
            accept(whole, i, items.get(i)[0], items.get(i)[1]);
            accept(i < 25 ? first : second, i, items.get(i)[0], items.get(i)[1]);
        }
        Diagnoser.Thresholds global = whole.thresholds();
        Diagnosis expected = whole.finish();
        List<Flag> parts = new ArrayList<>(first.finish(Duplicates.none(), global).flags());
        parts.addAll(second.finish(Duplicates.none(), global).flags());

        assertThat(expected.flags()).isNotEmpty();
        assertThat(global.bottomCorrelation()).isEqualTo(expected.bottomCorrelation());
        assertThat(global.lowImpactVariance()).isEqualTo(expected.lowImpactVariance());
        assertThat(parts).containsExactlyElementsOf(expected.flags());
        // and the parts' own thresholds would not do
        assertThat(first.thresholds()).isNotEqualTo(global);
    }

    @Test
    void theThresholdRankTruncatesLikeThePapersInt() {
        assertThat(Diagnoser.Thresholds.rank(805, 0.01)).isEqualTo(8);
        assertThat(Diagnoser.Thresholds.rank(99, 0.01)).isZero();
        assertThat(Diagnoser.Thresholds.rank(0, 0.05)).isZero();
    }

    // ---- mis-annotated: the 0.65 rule --------------------------------------------------

    @Test
    void aCorrelationThresholdOutsideMinusOneToOneIsRefused() {
        for (double bad : new double[] {Double.NaN, 1.5, -2}) {
            assertThatThrownBy(() -> new DiagnoseOptions(Correlation.COSINE, bad, 0.01, 0.05, true))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the correlation threshold must be in [-1, 1]");
        }
    }

    @Test
    void anAgreementAtOrBelowTheThresholdIsFlaggedMisannotated() {
        Diagnoser d = new Diagnoser(misannotationOnly(0));
        // cosine((1,5,5), (5,1,1)) = 15 / sqrt(51 * 27) = 0.4042
        accept(d, 0, v(1, 5, 5), v(5, 1, 1));
        // cosine((4,3,2,1), (1,2,3,4)) = 2/3, just above 0.65: the ranks disagree, but cosine
        // of two positive vectors stays high (why the paper also uses the bottom share)
        accept(d, 1, v(4, 3, 2, 1), v(1, 2, 3, 4));
        accept(d, 2, v(1, 2, 3), v(1, 2, 3));

        Diagnosis diagnosis = d.finish();

        assertThat(flagged(diagnosis, Reason.MISANNOTATED)).containsExactly("item-0");
        Flag f = diagnosis.flags().get(0);
        assertThat(f.correlation()).isEqualTo(15 / Math.sqrt(51 * 27), within(1e-12));
        assertThat(f.detail()).isEqualTo("cosine 0.4042 <= 0.6500");
        assertThat(diagnosis.examined()).isEqualTo(3);
        assertThat(diagnosis.correlationDefined()).isEqualTo(3);
    }

    @Test
    void theThresholdItselfIsIncluded() {
        double[] labels = {1, 2, 3};
        double[] scores = {3, 2, 1};
        double c = Correlation.COSINE.of(labels, scores); // 5/7

        Diagnoser atThreshold = new Diagnoser(new DiagnoseOptions(Correlation.COSINE, c, 0, 0, true));
        accept(atThreshold, 0, labels, scores);
        Diagnoser justBelow = new Diagnoser(new DiagnoseOptions(Correlation.COSINE, Math.nextDown(c), 0, 0, true));
        accept(justBelow, 0, labels, scores);

        assertThat(flagged(atThreshold.finish(), Reason.MISANNOTATED)).containsExactly("item-0");
        assertThat(justBelow.finish().flags()).isEmpty();
    }

    @Test
    void theChosenMeasureDecides() {
        // (4,3,2,1) vs (1,2,3,4): cosine 2/3 passes 0.65, pearson and kendall say -1
        for (Correlation c : List.of(Correlation.PEARSON, Correlation.KENDALL)) {
            Diagnoser d = new Diagnoser(new DiagnoseOptions(c, 0.65, 0, 0, true));
            accept(d, 0, v(4, 3, 2, 1), v(1, 2, 3, 4));

            Diagnosis diagnosis = d.finish();

            assertThat(flagged(diagnosis, Reason.MISANNOTATED)).as(c.cliName()).containsExactly("item-0");
            assertThat(diagnosis.flags().get(0).detail()).startsWith(c.cliName() + " -1.000 <= 0.6500");
        }
    }

    @Test
    void anUndefinedAgreementIsNeverFlagged() {
        Diagnoser d = new Diagnoser(new DiagnoseOptions(Correlation.PEARSON, 0.65, 0.5, 0, true));
        accept(d, 0, v(3, 3, 3), v(1, 5, 9)); // constant labels: pearson undefined
        accept(d, 1, v(1, 2, 3), v(1, 2, 3));

        Diagnosis diagnosis = d.finish();

        assertThat(diagnosis.flags()).isEmpty();
        assertThat(diagnosis.correlationDefined()).isEqualTo(1);
    }

    // ---- mis-annotated: the bottom share -----------------------------------------------

    @Test
    void theBottomOnePercentIsFlaggedWithTiesAtTheBoundaryIncluded() {
        // 200 items: int(200 * 0.01) = 2 are the bottom share. One has cosine 10/14 (0.714),
        // three share 11/14 (0.786), the rest agree perfectly. All are above 0.65, so only
        // the bottom rule flags: the boundary value 11/14 is reached by three items, all in.
        Diagnoser d = new Diagnoser(misannotationOnly(0.01));
        accept(d, 0, v(1, 2, 3), v(3, 2, 1));
        accept(d, 1, v(1, 2, 3), v(2, 3, 1));
        accept(d, 2, v(1, 2, 3), v(2, 3, 1));
        accept(d, 3, v(1, 2, 3), v(2, 3, 1));
        for (int key = 4; key < 200; key++) {
            accept(d, key, v(1, 2, 3), v(1, 2, 3));
        }

        Diagnosis diagnosis = d.finish();

        assertThat(flagged(diagnosis, Reason.MISANNOTATED)).containsExactlyInAnyOrder("item-0", "item-1", "item-2",
                "item-3");
        assertThat(diagnosis.bottomCorrelation()).isEqualTo(Correlation.COSINE.of(v(1, 2, 3), v(2, 3, 1)));
        assertThat(diagnosis.flags().get(0).detail()).isEqualTo("cosine in the bottom 1% (<= 0.7857)");
    }

    @Test
    void theBottomShareIsTruncatedAsThePapersIntDoes() {
        // 199 items: int(199 * 0.01) = int(1.99) = 1, so only the lowest
        Diagnoser d = new Diagnoser(misannotationOnly(0.01));
        accept(d, 0, v(1, 2, 3), v(3, 2, 1));
        accept(d, 1, v(1, 2, 3), v(2, 3, 1));
        for (int key = 2; key < 199; key++) {
            accept(d, key, v(1, 2, 3), v(1, 2, 3));
        }

        assertThat(flagged(d.finish(), Reason.MISANNOTATED)).containsExactly("item-0");
    }

    @Test
    void underAHundredItemsOnlyTheThresholdFlags() {
        // int(99 * 0.01) = 0: no bottom share
        Diagnoser d = new Diagnoser(DiagnoseOptions.paper(true));
        accept(d, 0, v(1, 2, 3), v(3, 2, 1));
        for (int key = 1; key < 99; key++) {
            accept(d, key, v(1, 2, 3), v(1, 2, key));
        }

        Diagnosis diagnosis = d.finish();

        assertThat(flagged(diagnosis, Reason.MISANNOTATED)).isEmpty();
        assertThat(diagnosis.bottomCorrelation()).isNaN();
    }

    @Property
    void misannotationFlagsExactlyTheItemsAtOrBelowOneAgreementLevel(
            @ForAll @IntRange(min = 1, max = 400) int n,
            @ForAll @DoubleRange(min = 0, max = 0.2) double bottomFraction,
            @ForAll long seed) {
        Random random = new Random(seed);
        Diagnoser d = new Diagnoser(misannotationOnly(bottomFraction));
        double[] correlations = new double[n];
        for (int key = 0; key < n; key++) {
            double[] labels = {1 + random.nextInt(5), 1 + random.nextInt(5), 1 + random.nextInt(5)};
            double[] scores = {random.nextInt(4), random.nextInt(4), random.nextInt(4)};
            correlations[key] = Correlation.COSINE.of(labels, scores);
            accept(d, key, labels, scores);
        }

        Set<String> flagged = flagged(d.finish(), Reason.MISANNOTATED);

        double[] defined = Arrays.stream(correlations).filter(c -> !Double.isNaN(c)).sorted().toArray();
        int bottom = (int) (defined.length * bottomFraction);
        double level = bottom == 0 ? 0.65 : Math.max(0.65, defined[bottom - 1]);
        for (int key = 0; key < n; key++) {
            boolean expected = !Double.isNaN(correlations[key]) && correlations[key] <= level;
            assertThat(flagged.contains("item-" + key)).as("item %d, cosine %s", key, correlations[key])
                    .isEqualTo(expected);
        }
        assertThat(flagged.size()).isGreaterThanOrEqualTo(bottom);
    }

    // ---- pairs -------------------------------------------------------------------------

    @Test
    void aPairWhoseScoresPreferTheRejectedResponseIsFlagged() {
        Diagnoser d = new Diagnoser(DiagnoseOptions.paper(true));
        accept(d, 0, v(1, 0), v(0.25, 1.0));   // labels chose the first, scores the second
        accept(d, 1, v(0, 1), v(0.25, 1.0));   // agree
        accept(d, 2, v(1, 1), v(0.25, 1.0));   // label tie: states no preference
        accept(d, 3, v(1, 0), v(0.5, 0.5));    // score tie: no contradiction

        Diagnosis diagnosis = d.finish();

        assertThat(flagged(diagnosis, Reason.SCORE_PREFERS_REJECTED)).containsExactly("item-0");
        Flag f = diagnosis.flags().stream().filter(x -> x.id().equals("item-0")).findFirst().orElseThrow();
        assertThat(f.margin()).isEqualTo(-0.75);
        assertThat(f.correlation()).isNaN();
        assertThat(f.detail()).contains("scores prefer the rejected response by 0.7500");
        assertThat(flagged(diagnosis, Reason.MISANNOTATED)).isEmpty();
        assertThat(diagnosis.correlationDefined()).isZero();
    }

    @Test
    void thePairRuleAppliesToTheTwoResponsesThatHaveBothNumbers() {
        // three responses, but the middle one has no label: a pair, not a 3-vector
        Diagnoser d = new Diagnoser(DiagnoseOptions.paper(true));
        accept(d, 0, v(5, NA, 2), v(1.0, 9.0, 3.0));

        Diagnosis diagnosis = d.finish();

        assertThat(diagnosis.flags()).singleElement().satisfies(f -> {
            assertThat(f.reasons()).containsExactly(Reason.SCORE_PREFERS_REJECTED);
            assertThat(f.margin()).isEqualTo(-2.0);
        });
    }

    @Test
    void aPairStaysOutOfTheBottomShareOfAgreement() {
        // 100 three-response items (bottom share 1) and a flipped pair: the pair has no
        // agreement value, so the lowest of the others is the bottom one
        Diagnoser d = new Diagnoser(misannotationOnly(0.01));
        accept(d, 0, v(1, 0), v(0.0, 1.0));
        accept(d, 1, v(1, 2, 3), v(3, 2, 1));
        for (int key = 2; key < 101; key++) {
            accept(d, key, v(1, 2, 3), v(1, 2, 3));
        }

        Diagnosis diagnosis = d.finish();

        assertThat(flagged(diagnosis, Reason.MISANNOTATED)).containsExactly("item-1");
        assertThat(flagged(diagnosis, Reason.SCORE_PREFERS_REJECTED)).containsExactly("item-0");
    }

    // ---- low impact --------------------------------------------------------------------

    @Test
    void theLowestFivePercentByVarianceAreLowImpactWithTiesIncluded() {
        // 20 items: int(20 * 0.05) = 1, but three have variance 0: all three are flagged
        Diagnoser d = new Diagnoser(new DiagnoseOptions(Correlation.COSINE, 0.65, 0, 0.05, true));
        accept(d, 0, v(1, 2, 3), v(4, 4, 4));
        accept(d, 1, v(1, 2, 3), v(2, 2, 2));
        accept(d, 2, v(1, 2, 3), v(1, 2, 8));
        accept(d, 3, v(1, 2, 3), v(7, 7, 7));
        for (int key = 4; key < 20; key++) {
            accept(d, key, v(1, 2, 3), v(1, 2, 3 + key));
        }

        Diagnosis diagnosis = d.finish();

        assertThat(flagged(diagnosis, Reason.LOW_IMPACT)).containsExactlyInAnyOrder("item-0", "item-1", "item-3");
        assertThat(diagnosis.lowImpactVariance()).isZero();
        assertThat(diagnosis.flags().get(0).detail()).isEqualTo("variance 0.000 in the bottom 5% (<= 0.000)");
    }

    @Test
    void fewerThanTwentyItemsHaveNoLowImpactShare() {
        // int(19 * 0.05) = 0
        Diagnoser d = new Diagnoser(new DiagnoseOptions(Correlation.COSINE, 0.65, 0, 0.05, true));
        for (int key = 0; key < 19; key++) {
            accept(d, key, v(1, 2, 3), v(2, 2, 2));
        }

        Diagnosis diagnosis = d.finish();

        assertThat(diagnosis.flags()).isEmpty();
        assertThat(diagnosis.lowImpactVariance()).isNaN();
    }

    @Property
    void lowImpactFlagsExactlyTheItemsAtOrBelowOneVariance(
            @ForAll @IntRange(min = 1, max = 300) int n,
            @ForAll @DoubleRange(min = 0, max = 0.5) double fraction,
            @ForAll long seed) {
        Random random = new Random(seed);
        Diagnoser d = new Diagnoser(new DiagnoseOptions(Correlation.COSINE, 0.65, 0, fraction, false));
        List<Double> variances = new ArrayList<>();
        for (int key = 0; key < n; key++) {
            double[] scores = {random.nextInt(3), random.nextInt(3), random.nextInt(3)};
            accept(d, key, v(NA, NA, NA), scores);
            double mean = (scores[0] + scores[1] + scores[2]) / 3;
            variances.add(((scores[0] - mean) * (scores[0] - mean) + (scores[1] - mean) * (scores[1] - mean)
                    + (scores[2] - mean) * (scores[2] - mean)) / 3);
        }

        Set<String> flagged = flagged(d.finish(), Reason.LOW_IMPACT);

        double[] sorted = variances.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int low = (int) (n * fraction);
        for (int key = 0; key < n; key++) {
            boolean expected = low > 0 && variances.get(key) <= sorted[low - 1];
            assertThat(flagged.contains("item-" + key)).as("item %d", key).isEqualTo(expected);
        }
        assertThat(flagged.size()).isGreaterThanOrEqualTo(low);
    }

    // ---- options and the flag itself ---------------------------------------------------

    @Test
    void labelsThatAreTheScoresRaiseNoMisannotationOrPairFlags() {
        Diagnoser d = new Diagnoser(new DiagnoseOptions(Correlation.COSINE, 0.65, 0.5, 0.05, false));
        accept(d, 0, v(1, 5, 5), v(5, 1, 1));
        accept(d, 1, v(1, 0), v(0.0, 1.0));
        for (int key = 2; key < 20; key++) {
            accept(d, key, v(1, 2, 3), v(1, 2, 3 + key));
        }

        Diagnosis diagnosis = d.finish();

        assertThat(flagged(diagnosis, Reason.MISANNOTATED)).isEmpty();
        assertThat(flagged(diagnosis, Reason.SCORE_PREFERS_REJECTED)).isEmpty();
        assertThat(diagnosis.correlationDefined()).isZero();
        // the low-impact rule still applies: int(20 * 0.05) = 1, the pair's variance 0.25 is lowest
        assertThat(flagged(diagnosis, Reason.LOW_IMPACT)).containsExactly("item-1");
    }

    @Test
    void aFlagCarriesEveryReasonAndTheNumbersBehindEach() {
        // 100 items (bottom share 1, low-impact share 5); item 0 is below 0.65, the lowest
        // agreement and the lowest variance at once
        Diagnoser d = new Diagnoser(DiagnoseOptions.paper(true));
        // cosine((5,1,1), (1,2,2)) = 9 / sqrt(27 * 9) = 0.5774; variance of (1,2,2) = 6/27
        accept(d, 0, v(5, 1, 1), v(1, 2, 2));
        for (int key = 1; key < 100; key++) {
            accept(d, key, v(1, 2, 3), v(1, 2, 3 + key));
        }

        Diagnosis diagnosis = d.finish();
        Flag f = diagnosis.flags().get(0);

        assertThat(f.id()).isEqualTo("item-0");
        assertThat(f.key()).isZero();
        assertThat(f.reasons()).containsExactlyInAnyOrder(Reason.MISANNOTATED, Reason.LOW_IMPACT);
        assertThat(f.n()).isEqualTo(3);
        assertThat(f.mean()).isEqualTo(5.0 / 3);
        assertThat(f.variance()).isEqualTo(6.0 / 27);
        assertThat(f.correlation()).isEqualTo(9 / Math.sqrt(27 * 9), within(1e-12));
        assertThat(f.margin()).isNaN();
        // the fifth-lowest variance is item 4's: (1,2,7) -> 186/27 = 6.889
        assertThat(f.detail()).isEqualTo("cosine 0.5774 <= 0.6500; cosine in the bottom 1% (<= 0.5774);"
                + " variance 0.2222 in the bottom 5% (<= 6.889)");
        assertThat(diagnosis.countsByReason()).containsEntry(Reason.MISANNOTATED, 1L)
                .containsEntry(Reason.SCORE_PREFERS_REJECTED, 0L).containsEntry(Reason.LOW_IMPACT, 5L);
    }

    @Test
    void flagsComeInInputOrder() {
        Diagnoser d = new Diagnoser(misannotationOnly(0));
        accept(d, 0, v(1, 5, 5), v(5, 1, 1));
        accept(d, 1, v(1, 2, 3), v(1, 2, 3));
        accept(d, 2, v(1, 5, 5), v(5, 1, 2));
        accept(d, 3, v(1, 5, 5), v(5, 1, 1.5));

        assertThat(d.finish().flags()).extracting(Flag::key).containsExactly(0, 2, 3);
    }

    @Test
    void fractionsOutsideZeroToOneAreRejected() {
        assertThatThrownBy(() -> new DiagnoseOptions(Correlation.COSINE, 0.65, 1.5, 0.05, true))
                .hasMessageContaining("bottom fraction");
        assertThatThrownBy(() -> new DiagnoseOptions(Correlation.COSINE, 0.65, 0.01, -0.1, true))
                .hasMessageContaining("low-impact fraction");
        assertThatThrownBy(() -> new DiagnoseOptions(Correlation.COSINE, 0.65, Double.NaN, 0.05, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPointAcceptedWithoutAnIdHasItsIdLookedUpOnlyWhenFlagged() {
        Diagnoser d = new Diagnoser(misannotationOnly(0));
        List<Integer> lookedUp = new ArrayList<>();
        d.idsFrom(key -> {
            lookedUp.add(key);
            return "looked-up-" + key;
        });
        MapPoint noId = new MapPoint(0, null, 3, 11 / 3.0, 3.5556, 1.8856, Region.HIGH_AVG, NA);
        d.accept(noId, new ItemScores(0, null, v(5, 1, 1), v(1, 5, 5)));
        accept(d, 1, v(1, 2, 3), v(1, 2, 3)); // agrees: not flagged
        accept(d, 2, v(1, 5, 5), v(5, 1, 1)); // flagged, and has its id

        Diagnosis diagnosis = d.finish();

        assertThat(flagged(diagnosis, Reason.MISANNOTATED)).containsExactlyInAnyOrder("looked-up-0", "item-2");
        assertThat(lookedUp).containsExactly(0);
    }
}
