package org.admap.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.junit.jupiter.api.Test;

class SelectorTest {

    private static MapPoint point(String id, Region region, double mean, double variance) {
        return new MapPoint(0, id, 4, mean, variance, Math.sqrt(variance), region, Double.NaN);
    }

    private static List<String> ids(List<MapPoint> points) {
        return points.stream().map(MapPoint::id).toList();
    }

    /** Ten points of one region, q0..q9, with means 0.0..0.9 and variances 9..0. */
    private static List<MapPoint> ten(Region region) {
        List<MapPoint> points = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            points.add(point("q" + i, region, i / 10.0, 9 - i));
        }
        return points;
    }

    // ---- how many ----------------------------------------------------------------------

    @Test
    void theNumberKeptIsTheFractionOfTheRegionRounded() {
        List<MapPoint> points = ten(Region.HIGH_AVG);

        assertThat(Selector.select(points, Target.ALL, 1.0, 0)).hasSize(10);
        assertThat(Selector.select(points, Target.ALL, 0.33, 0)).hasSize(3);   // 3.3
        assertThat(Selector.select(points, Target.ALL, 0.37, 0)).hasSize(4);   // 3.7
        assertThat(Selector.select(points, Target.ALL, 0.25, 0)).hasSize(3);   // 2.5, half up
        assertThat(Selector.select(points, Target.RANDOM, 0.25, 0)).hasSize(3);
    }

    @Test
    void aFractionThatRoundsToNothingIsRefusedRatherThanWritingAnEmptyFile() {
        assertThatThrownBy(() -> Selector.select(ten(Region.HIGH_AVG), Target.ALL, 0.04, 0)) // 0.4
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fraction 0.04 of 10 instructions (all) selects none: use a larger fraction");
    }

    @Test
    void theFractionIsOfTheRegionNotOfTheMap() {
        List<MapPoint> points = new ArrayList<>(ten(Region.LOW_AVG));
        points.add(point("h1", Region.HIGH_AVG, 9, 0));
        points.add(point("h2", Region.HIGH_AVG, 8, 0));

        assertThat(ids(Selector.select(points, Target.of(Region.HIGH_AVG), 0.5, 0))).containsExactly("h1");
        assertThat(ids(Selector.select(points, Target.of(Region.HIGH_AVG), 1.0, 0))).containsExactly("h1", "h2");
        assertThat(Selector.select(points, Target.of(Region.LOW_AVG), 0.5, 0)).hasSize(5);
        assertThat(Selector.select(points, Target.of(Region.HIGH_VAR), 1.0, 0)).isEmpty();
    }

    @Test
    void aFractionOutsideZeroToOneIsRejected() {
        List<MapPoint> points = ten(Region.HIGH_AVG);
        for (double f : new double[] {0, -0.5, 1.0001, 2, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> Selector.select(points, Target.ALL, f, 0)).as("fraction %s", f)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fraction must be in (0, 1]");
        }
    }

    // ---- which: rank orders ------------------------------------------------------------

    @Test
    void highAvgKeepsTheBestMeansFirst() {
        List<MapPoint> selected = Selector.select(ten(Region.HIGH_AVG), Target.of(Region.HIGH_AVG), 0.3, 0);

        assertThat(ids(selected)).containsExactly("q9", "q8", "q7");
    }

    @Test
    void lowAvgKeepsTheWorstMeansFirst() {
        List<MapPoint> selected = Selector.select(ten(Region.LOW_AVG), Target.of(Region.LOW_AVG), 0.3, 0);

        assertThat(ids(selected)).containsExactly("q0", "q1", "q2");
    }

    @Test
    void highVarKeepsTheLargestVariancesFirst() {
        // variances 9..0 for q0..q9, means the other way round: the variance decides
        List<MapPoint> selected = Selector.select(ten(Region.HIGH_VAR), Target.of(Region.HIGH_VAR), 0.3, 0);

        assertThat(ids(selected)).containsExactly("q0", "q1", "q2");
    }

    @Test
    void allKeepsTheBestMeansFirstAcrossRegions() {
        List<MapPoint> points = List.of(point("a", Region.LOW_AVG, 1, 0), point("b", Region.HIGH_VAR, 7, 5),
                point("c", Region.HIGH_AVG, 5, 0));

        assertThat(ids(Selector.select(points, Target.ALL, 1.0, 0))).containsExactly("b", "c", "a");
    }

    @Test
    void tiesAreBrokenByIdInEveryRegion() {
        for (Region region : Region.values()) {
            List<MapPoint> points = List.of(point("c", region, 5, 2), point("a", region, 5, 2),
                    point("b", region, 5, 2));

            assertThat(ids(Selector.select(points, Target.of(region), 1.0, 0))).as(region.cliName())
                    .containsExactly("a", "b", "c");
        }
    }

    // ---- random ------------------------------------------------------------------------

    @Test
    void randomDrawsFromTheWholeMap() {
        List<MapPoint> points = new ArrayList<>();
        for (Region r : Region.values()) {
            for (int i = 0; i < 5; i++) {
                points.add(point(r.cliName() + i, r, i, i));
            }
        }

        List<MapPoint> all = Selector.select(points, Target.RANDOM, 1.0, 7);

        assertThat(all).containsExactlyInAnyOrderElementsOf(points);
    }

    @Test
    void randomWithTheSameSeedDrawsTheSameAndWithAnotherSeedDiffers() {
        List<MapPoint> points = ten(Region.HIGH_AVG);

        List<MapPoint> first = Selector.select(points, Target.RANDOM, 0.5, 42);

        assertThat(Selector.select(points, Target.RANDOM, 0.5, 42)).isEqualTo(first);
        assertThat(Selector.select(points, Target.RANDOM, 0.5, 43)).isNotEqualTo(first);
    }

    @Test
    void randomGivesEveryPointTheSameChance() {
        // 3 of 10 points, 3000 seeds: each point is expected 900 times; the binomial
        // standard deviation is about 25, so 800..1000 is four of them either side
        List<MapPoint> points = ten(Region.HIGH_AVG);
        Map<String, Integer> counts = new HashMap<>();
        for (long seed = 0; seed < 3000; seed++) {
            for (MapPoint p : Selector.select(points, Target.RANDOM, 0.3, seed)) {
                counts.merge(p.id(), 1, Integer::sum);
            }
        }

        assertThat(counts).hasSize(10);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(800, 1000));
    }

    @Property
    void randomSelectionDoesNotDependOnInputOrder(@ForAll("maps") List<MapPoint> points,
                                                  @ForAll @DoubleRange(min = 0.01, max = 1) double fraction,
                                                  @ForAll long seed, @ForAll long shuffleSeed) {
        Assume.that(points.isEmpty() || Math.round(fraction * points.size()) > 0);
        List<MapPoint> shuffled = new ArrayList<>(points);
        Collections.shuffle(shuffled, new Random(shuffleSeed));

        assertThat(Selector.select(shuffled, Target.RANDOM, fraction, seed))
                .isEqualTo(Selector.select(points, Target.RANDOM, fraction, seed));
    }

    @Property
    void randomSelectionHasTheRightSizeAndNoDuplicates(@ForAll("maps") List<MapPoint> points,
                                                       @ForAll @DoubleRange(min = 0.01, max = 1) double fraction,
                                                       @ForAll long seed) {
        Assume.that(points.isEmpty() || Math.round(fraction * points.size()) > 0);
        List<MapPoint> selected = Selector.select(points, Target.RANDOM, fraction, seed);

        assertThat(selected).hasSize((int) Math.round(fraction * points.size())).doesNotHaveDuplicates();
        assertThat(points).containsAll(selected);
    }

    @Property
    void aRegionSelectionIsTheTopOfItsRankOrder(@ForAll("maps") List<MapPoint> points,
                                                @ForAll @DoubleRange(min = 0.01, max = 1) double fraction) {
        for (Region region : Region.values()) {
            List<MapPoint> pool = points.stream().filter(p -> p.region() == region).toList();
            if (!pool.isEmpty() && Math.round(fraction * pool.size()) == 0) {
                continue; // refused: see aFractionThatRoundsToNothingIsRefused...
            }
            List<MapPoint> selected = Selector.select(points, Target.of(region), fraction, 0);

            assertThat(selected).hasSize((int) Math.round(fraction * pool.size()));
            List<MapPoint> all = Selector.select(points, Target.of(region), 1.0, 0);
            assertThat(all).containsExactlyInAnyOrderElementsOf(pool);
            assertThat(all.subList(0, selected.size())).isEqualTo(selected);
            for (int i = 1; i < all.size(); i++) {
                MapPoint before = all.get(i - 1);
                MapPoint after = all.get(i);
                double b = region == Region.HIGH_VAR ? before.variance() : before.mean();
                double a = region == Region.HIGH_VAR ? after.variance() : after.mean();
                if (region == Region.LOW_AVG) {
                    assertThat(b).isLessThanOrEqualTo(a);
                } else {
                    assertThat(b).isGreaterThanOrEqualTo(a);
                }
                if (a == b) {
                    assertThat(before.id()).isLessThan(after.id());
                }
            }
        }
    }

    /** Up to 80 points with unique ids, any region, means and variances with frequent ties. */
    @Provide
    Arbitrary<List<MapPoint>> maps() {
        Arbitrary<Region> regions = Arbitraries.of(Region.class);
        Arbitrary<Double> values = Arbitraries.of(0.0, 0.5, 1.0, 2.0, 3.25);
        return net.jqwik.api.Combinators.combine(regions, values, values).as((r, m, v) -> new Object[] {r, m, v})
                .list().ofMaxSize(80).map(rows -> {
                    List<MapPoint> points = new ArrayList<>();
                    for (int i = 0; i < rows.size(); i++) {
                        Object[] row = rows.get(i);
                        points.add(point("id-" + (i * 7919 % 1000), (Region) row[0], (Double) row[1],
                                (Double) row[2]));
                    }
                    return points;
                });
    }

    @Test
    void chosenIsTheSelectedSetLookingUpIdsOnlyWhereTheyDecide() {
        Random random = new Random(7);
        List<MapPoint> withIds = new ArrayList<>();
        List<MapPoint> withoutIds = new ArrayList<>();
        Map<Integer, String> ids = new HashMap<>();
        Region[] regions = Region.values();
        for (int k = 0; k < 500; k++) {
            String id = "id" + random.nextInt(100_000) + "-" + k;
            double mean = random.nextInt(8) / 2.0; // many ties, broken by id
            double variance = random.nextInt(5);
            Region region = regions[random.nextInt(3)];
            withIds.add(new MapPoint(k, id, 4, mean, variance, Math.sqrt(variance), region, Double.NaN));
            withoutIds.add(new MapPoint(k, null, 4, mean, variance, Math.sqrt(variance), region, Double.NaN));
            ids.put(k, id);
        }
        List<Target> targets = List.of(Target.of(Region.HIGH_AVG), Target.of(Region.LOW_AVG),
                Target.of(Region.HIGH_VAR), Target.ALL, Target.RANDOM);
        for (Target target : targets) {
            for (double fraction : new double[] {1.0, 0.5, 0.13}) {
                List<Integer> expected = Selector.select(withIds, target, fraction, 42).stream()
                        .map(MapPoint::key).sorted().toList();
                List<Integer> got = Selector.chosen(withoutIds, target, fraction, 42, ids::get).stream()
                        .map(MapPoint::key).sorted().toList();
                assertThat(got).as(target.cliName() + " " + fraction).isEqualTo(expected).isNotEmpty();
            }
        }
        assertThat(Selector.chosen(withoutIds, Target.of(Region.HIGH_AVG), 1.0, 42, k -> {
            throw new AssertionError("a whole region needs no id");
        })).isNotEmpty();
    }
}
