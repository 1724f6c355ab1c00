package org.admap.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.admap.model.Region;
import org.junit.jupiter.api.Test;

/**
 * The paper's split script: sort by variance, the top third (from {@code floor(2N/3)}) is
 * high-var; sort the rest by mean, the lower {@code floor(M/2)} low-avg, the rest
 * high-avg; ties by id.
 */
class RegionAssignerTest {

    /** One mapped point as the assigner sees it. */
    record P(String id, double mean, double variance) {
    }

    private static Region[] assign(List<P> points) {
        return RegionAssigner.assign(points.stream().map(P::id).toArray(String[]::new),
                points.stream().mapToDouble(P::mean).toArray(), points.stream().mapToDouble(P::variance).toArray());
    }

    private static Map<Region, Long> counts(Region[] regions) {
        Map<Region, Long> counts = new EnumMap<>(Region.class);
        for (Region r : Region.values()) {
            counts.put(r, 0L);
        }
        for (Region r : regions) {
            counts.merge(r, 1L, Long::sum);
        }
        return counts;
    }

    @Property(tries = 400)
    void regionSizesFollowTheFloorOfTwoThirdsForEveryN(@ForAll @IntRange(min = 0, max = 200) int n,
                                                       @ForAll long seed) {
        Random random = new Random(seed);
        List<P> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // few distinct values, so that ties are common
            points.add(new P(String.format("id-%03d", i), random.nextInt(5), random.nextInt(4)));
        }

        Map<Region, Long> counts = counts(assign(points));

        int rest = 2 * n / 3;
        assertThat(counts.get(Region.HIGH_VAR)).isEqualTo(n - rest);
        assertThat(counts.get(Region.LOW_AVG)).isEqualTo(rest / 2);
        assertThat(counts.get(Region.HIGH_AVG)).isEqualTo(rest - rest / 2);
    }

    @Test
    void everyNFromZeroTo200GetsTheRankRuleSizes() {
        // the exhaustive version of the property, so no N is left to chance
        for (int n = 0; n <= 200; n++) {
            List<P> points = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                points.add(new P("q" + i, (i * 7) % 11, (i * 5) % 13));
            }
            Map<Region, Long> counts = counts(assign(points));
            int rest = 2 * n / 3;
            assertThat(counts).as("N = %d", n)
                    .containsEntry(Region.HIGH_VAR, (long) (n - rest))
                    .containsEntry(Region.LOW_AVG, (long) (rest / 2))
                    .containsEntry(Region.HIGH_AVG, (long) (rest - rest / 2));
        }
    }

    @Test
    void alpacaEvalSizeGives268LowAvg268HighAvg269HighVar() {
        List<P> points = new ArrayList<>();
        Random random = new Random(805);
        for (int i = 0; i < 805; i++) {
            points.add(new P("q" + i, random.nextDouble(), random.nextDouble()));
        }

        assertThat(counts(assign(points))).containsEntry(Region.LOW_AVG, 268L).containsEntry(Region.HIGH_AVG, 268L)
                .containsEntry(Region.HIGH_VAR, 269L);
    }

    @Property
    void everyHighVarVarianceIsAtLeastEveryOtherVariance(@ForAll("maps") List<P> points) {
        Region[] regions = assign(points);

        double lowestHighVar = Double.POSITIVE_INFINITY;
        double highestOther = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < regions.length; i++) {
            if (regions[i] == Region.HIGH_VAR) {
                lowestHighVar = Math.min(lowestHighVar, points.get(i).variance());
            } else {
                highestOther = Math.max(highestOther, points.get(i).variance());
            }
        }
        assertThat(lowestHighVar).isGreaterThanOrEqualTo(highestOther);
    }

    @Property
    void everyHighAvgMeanIsAtLeastEveryLowAvgMean(@ForAll("maps") List<P> points) {
        Region[] regions = assign(points);

        double lowestHighAvg = Double.POSITIVE_INFINITY;
        double highestLowAvg = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < regions.length; i++) {
            if (regions[i] == Region.HIGH_AVG) {
                lowestHighAvg = Math.min(lowestHighAvg, points.get(i).mean());
            } else if (regions[i] == Region.LOW_AVG) {
                highestLowAvg = Math.max(highestLowAvg, points.get(i).mean());
            }
        }
        assertThat(lowestHighAvg).isGreaterThanOrEqualTo(highestLowAvg);
    }

    @Property
    void regionsDoNotDependOnInputOrder(@ForAll("maps") List<P> points, @ForAll long seed) {
        Map<String, Region> before = byId(points, assign(points));
        List<P> shuffled = new ArrayList<>(points);
        Collections.shuffle(shuffled, new Random(seed));

        assertThat(byId(shuffled, assign(shuffled))).isEqualTo(before);
    }

    @Property
    void regionsMatchThePapersScriptWithTiesBrokenById(@ForAll("maps") List<P> points) {
        // The paper's split, restated: a stable sort (pandas sort_values, kind="mergesort")
        // of the rows ordered by id is a sort by (value, id).
        List<P> byVariance = new ArrayList<>(points);
        byVariance.sort(Comparator.comparing(P::id));
        byVariance.sort(Comparator.comparingDouble(P::variance));
        int cut = (int) Math.floor(2.0 * points.size() / 3);
        Map<String, Region> expected = new HashMap<>();
        byVariance.subList(cut, byVariance.size()).forEach(p -> expected.put(p.id(), Region.HIGH_VAR));
        List<P> rest = new ArrayList<>(byVariance.subList(0, cut));
        rest.sort(Comparator.comparing(P::id));
        rest.sort(Comparator.comparingDouble(P::mean));
        int half = (int) Math.floor(rest.size() / 2.0);
        for (int i = 0; i < rest.size(); i++) {
            expected.put(rest.get(i).id(), i < half ? Region.LOW_AVG : Region.HIGH_AVG);
        }

        assertThat(byId(points, assign(points))).isEqualTo(expected);
    }

    @Test
    void tiesAreBrokenByIdAsStrings() {
        // all six points identical: the ids alone decide. Sorted as strings, "q10" < "q2".
        List<P> points = new ArrayList<>();
        for (String id : List.of("q6", "q2", "q10", "q5", "q3", "q4")) {
            points.add(new P(id, 1.0, 0.5));
        }

        Map<String, Region> regions = byId(points, assign(points));

        // id order: q10, q2, q3, q4 | q5, q6 -> the last two high-var;
        // the first four by mean then id: q10, q2 low-avg; q3, q4 high-avg
        assertThat(regions).containsEntry("q10", Region.LOW_AVG).containsEntry("q2", Region.LOW_AVG)
                .containsEntry("q3", Region.HIGH_AVG).containsEntry("q4", Region.HIGH_AVG)
                .containsEntry("q5", Region.HIGH_VAR).containsEntry("q6", Region.HIGH_VAR);
    }

    @Test
    void aVarianceTieAtTheHighVarBoundaryIsSettledById() {
        // variances 0, 1, 2, 2, 2, 2: cut = 4, so exactly two of the four tied points are
        // high-var: the two with the largest ids
        List<P> points = List.of(new P("a", 0, 0), new P("b", 0, 1), new P("z", 0, 2), new P("c", 0, 2),
                new P("y", 0, 2), new P("d", 0, 2));

        Map<String, Region> regions = byId(points, assign(points));

        assertThat(regions.get("y")).isEqualTo(Region.HIGH_VAR);
        assertThat(regions.get("z")).isEqualTo(Region.HIGH_VAR);
        assertThat(regions.get("c")).isNotEqualTo(Region.HIGH_VAR);
        assertThat(regions.get("d")).isNotEqualTo(Region.HIGH_VAR);
    }

    @Test
    void aMeanTieAtTheAvgBoundaryIsSettledById() {
        // none has variance (N = 3: one high-var by id, the last one);
        // means 5, 5 for "m" and "n": floor(2/2) = 1 low-avg, the smaller id
        List<P> points = List.of(new P("n", 5, 0), new P("m", 5, 0), new P("zz", 0, 0));

        Map<String, Region> regions = byId(points, assign(points));

        assertThat(regions).containsEntry("zz", Region.HIGH_VAR).containsEntry("m", Region.LOW_AVG)
                .containsEntry("n", Region.HIGH_AVG);
    }

    @Test
    void smallMapsFillHighVarFirst() {
        assertThat(assign(List.of())).isEmpty();
        assertThat(assign(List.of(new P("a", 1, 1)))).containsExactly(Region.HIGH_VAR);
        // N = 2: floor(4/3) = 1 point left for the avg split, floor(1/2) = 0 low-avg
        assertThat(assign(List.of(new P("a", 1, 1), new P("b", 2, 0))))
                .containsExactly(Region.HIGH_VAR, Region.HIGH_AVG);
    }

    @Test
    void arraysOfDifferentLengthsAreRejected() {
        assertThatThrownBy(() -> RegionAssigner.assign(new String[] {"a", "b"}, new double[] {1, 2},
                new double[] {1})).isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<String, Region> byId(List<P> points, Region[] regions) {
        Map<String, Region> map = new HashMap<>();
        for (int i = 0; i < regions.length; i++) {
            map.put(points.get(i).id(), regions[i]);
        }
        return map;
    }

    /** Maps of 0 to 60 points with unique ids and values drawn from small sets (many ties) or wide ranges. */
    @Provide
    Arbitrary<List<P>> maps() {
        Arbitrary<Double> values = Arbitraries.oneOf(
                Arbitraries.of(0.0, 0.25, 1.0, 2.0),
                Arbitraries.doubles().between(-10, 10));
        Arbitrary<Double> variances = Arbitraries.oneOf(
                Arbitraries.of(0.0, 0.25, 1.0),
                Arbitraries.doubles().between(0, 25));
        Arbitrary<List<double[]>> rows = Combinators.combine(values, variances).as((m, v) -> new double[] {m, v})
                .list().ofMaxSize(60);
        Arbitrary<Long> seeds = Arbitraries.longs();
        return Combinators.combine(rows, seeds).as((rs, seed) -> {
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < rs.size(); i++) {
                ids.add(i);
            }
            Collections.shuffle(ids, new Random(seed)); // ids not in input order
            List<P> points = new ArrayList<>();
            for (int i = 0; i < rs.size(); i++) {
                points.add(new P("item-" + ids.get(i), rs.get(i)[0], rs.get(i)[1]));
            }
            return points;
        });
    }

    /**
     * The rule restated as the simplest program: sort every point by (key as
     * {@link Double#compare}, id), take the first floor(2N/3) by variance, and split those
     * by mean.
     */
    private static Region[] reference(String[] ids, double[] means, double[] variances) {
        int n = ids.length;
        Comparator<Integer> byVariance = (a, b) -> {
            int c = Double.compare(variances[a], variances[b]);
            return c != 0 ? c : ids[a].compareTo(ids[b]);
        };
        Comparator<Integer> byMean = (a, b) -> {
            int c = Double.compare(means[a], means[b]);
            return c != 0 ? c : ids[a].compareTo(ids[b]);
        };
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        all.sort(byVariance);
        Region[] regions = new Region[n];
        int cut = 2 * n / 3;
        all.subList(cut, n).forEach(i -> regions[i] = Region.HIGH_VAR);
        List<Integer> rest = new ArrayList<>(all.subList(0, cut));
        rest.sort(byMean);
        for (int j = 0; j < rest.size(); j++) {
            regions[rest.get(j)] = j < cut / 2 ? Region.LOW_AVG : Region.HIGH_AVG;
        }
        return regions;
    }

    @Property(tries = 300)
    void regionsAreThoseOfASortOfEveryPointByKeyThenId(@ForAll("manyTies") Points points) {
        assertThat(RegionAssigner.assign(points.ids(), points.means(), points.variances()))
                .containsExactly(reference(points.ids(), points.means(), points.variances()));
    }

    @Test
    void tensOfThousandsOfTiesAtBothSplitsAreSettledById() {
        // discrete ratings: a handful of means and variances, so that the points at each
        // split tie by the ten thousand and only their ids decide
        Random random = new Random(7);
        int n = 60_000;
        String[] ids = new String[n];
        double[] means = new double[n];
        double[] variances = new double[n];
        for (int i = 0; i < n; i++) {
            ids[i] = "item-" + random.nextInt(1_000_000_000) + "-" + i;
            means[i] = 1 + random.nextInt(5) / 2.0;
            variances[i] = random.nextInt(3) * 0.25;
        }

        assertThat(RegionAssigner.assign(ids, means, variances)).containsExactly(reference(ids, means, variances));
    }

    @Test
    void negativeZeroRanksBeforeZeroAsDoubleCompareHasIt() {
        // variances -0.0 (as a computation can give) and 0.0: N = 3, two stay below the cut
        String[] ids = {"a", "b", "c"};
        double[] means = {1, 1, 1};
        double[] variances = {0.0, -0.0, 0.0};

        assertThat(RegionAssigner.assign(ids, means, variances))
                .containsExactly(reference(ids, means, variances))
                .containsExactly(Region.LOW_AVG, Region.HIGH_AVG, Region.HIGH_VAR);
    }

    /** A map as the assigner takes it. */
    record Points(String[] ids, double[] means, double[] variances) {
        @Override
        public String toString() {
            return ids.length + " points: " + java.util.Arrays.toString(ids) + " means "
                    + java.util.Arrays.toString(means) + " variances " + java.util.Arrays.toString(variances);
        }
    }

    /**
     * Maps of up to 3000 points (enough for the selection to partition, not only sort) whose
     * means and variances come from a few values, -0.0 and 0.0 among them, or from a wide
     * range; unique ids that share long prefixes, differ in length, hold NUL and non-Latin
     * chars, or are numbers (so that "10" sorts before "9").
     */
    @Provide
    Arbitrary<Points> manyTies() {
        Arbitrary<Integer> sizes = Arbitraries.oneOf(Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(40, 3000));
        return Combinators.combine(sizes, Arbitraries.longs(), Arbitraries.integers().between(0, 3))
                .as((n, seed, style) -> {
                    Random r = new Random(seed);
                    double[] few = {-0.0, 0.0, 0.25, 1.0, 2.0, 4.5};
                    int distinct = 1 + r.nextInt(few.length);
                    boolean wide = r.nextInt(4) == 0;
                    String[] ids = new String[n];
                    double[] means = new double[n];
                    double[] variances = new double[n];
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    for (int i = 0; i < n; i++) {
                        String id;
                        do {
                            id = switch (style) {
                                case 0 -> "gen-" + r.nextInt(10 * n + 1);
                                case 1 -> "shared/prefix/longer/than/eight/chars/" + r.nextInt(10 * n + 1)
                                        + (r.nextBoolean() ? "\u0000" : "") + (r.nextBoolean() ? "\u00e9\u4e2d" : "");
                                case 2 -> String.valueOf(r.nextInt(10 * n + 1));
                                default -> Integer.toString(r.nextInt(10 * n + 1), 36)
                                        + "\uD83D\uDE00".repeat(r.nextInt(2));
                            };
                        } while (!seen.add(id));
                        ids[i] = id;
                        means[i] = wide ? r.nextDouble() * 20 - 10 : few[r.nextInt(distinct)];
                        variances[i] = wide && r.nextBoolean() ? r.nextDouble() * 25
                                : Math.abs(few[r.nextInt(distinct)]) * (r.nextInt(8) == 0 ? -1 : 1);
                    }
                    return new Points(ids, means, variances);
                });
    }
}
