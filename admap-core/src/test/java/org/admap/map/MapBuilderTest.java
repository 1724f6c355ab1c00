package org.admap.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.admap.internal.map.MapJob;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.admap.stats.Moments;
import org.junit.jupiter.api.Test;

class MapBuilderTest {

    private static final double NA = Double.NaN;
    private static final MapProvenance PROVENANCE = new MapProvenance("input", null, Instant.EPOCH, "test");

    private static ItemScores item(int key, String id, double... scores) {
        double[] labels = new double[scores.length];
        java.util.Arrays.fill(labels, NA);
        return new ItemScores(key, id, scores, labels);
    }

    @Test
    void partsBuiltApartGiveTheMapOneBuilderGives() {
        java.util.Random r = new java.util.Random(3);
        List<ItemScores> items = new java.util.ArrayList<>();
        for (int k = 0; k < 500; k++) {
            items.add(item(k, "q" + k, r.nextInt(10), r.nextInt(10), r.nextInt(3) == 0 ? NA : r.nextInt(10)));
        }
        items.add(item(500, "one", 3)); // unmapped
        MapBuilder whole = new MapBuilder(PROVENANCE, null);
        items.forEach(whole);
        List<MapBuilder> parts = new java.util.ArrayList<>();
        for (int from = 0; from < items.size(); from += 137) {
            MapBuilder part = new MapBuilder(PROVENANCE, null);
            items.subList(from, Math.min(items.size(), from + 137)).forEach(part);
            parts.add(part);
        }

        AlignmentMap joined = MapBuilder.build(PROVENANCE, parts);
        AlignmentMap expected = whole.build();

        assertThat(joined.points()).isEqualTo(expected.points());
        assertThat(joined.unmapped()).isEqualTo(1);
    }

    @Test
    void aPointCarriesTheMeanPopulationVarianceAndStdOfItsScores() {
        MapBuilder builder = new MapBuilder(PROVENANCE, null);
        builder.accept(item(0, "q1", 8, 2, 5, 9));

        MapPoint p = builder.build().points().get(0);

        // mean 6; squared deviations 4 + 16 + 1 + 9 = 30; population variance 30 / 4
        assertThat(p.key()).isZero();
        assertThat(p.id()).isEqualTo("q1");
        assertThat(p.n()).isEqualTo(4);
        assertThat(p.mean()).isEqualTo(6.0);
        assertThat(p.variance()).isEqualTo(7.5);
        assertThat(p.std()).isEqualTo(Math.sqrt(7.5));
        assertThat(p.correlation()).isNaN();
    }

    @Test
    void absentScoresAreLeftOutOfTheStatisticsAndOfN() {
        MapBuilder builder = new MapBuilder(PROVENANCE, null);
        builder.accept(item(0, "q1", 8, NA, 2, 5));

        MapPoint p = builder.build().points().get(0);

        assertThat(p.n()).isEqualTo(3);
        assertThat(p.mean()).isEqualTo(5.0);
        assertThat(p.variance()).isEqualTo(6.0);
    }

    @Test
    void itemsWithFewerThanTwoScoresAreCountedAsUnmappedAndKeptOffTheMap() {
        MapBuilder builder = new MapBuilder(PROVENANCE, null);
        builder.accept(item(0, "none", NA, NA, NA));
        builder.accept(item(1, "one", 7.0));
        builder.accept(item(2, "one-of-three", NA, 4.0, NA));
        builder.accept(item(3, "empty"));
        builder.accept(item(4, "two", 1.0, 3.0));

        AlignmentMap map = builder.build();

        assertThat(map.unmapped()).isEqualTo(4);
        assertThat(map.points()).extracting(MapPoint::id).containsExactly("two");
        assertThat(map.provenance()).isEqualTo(PROVENANCE);
    }

    @Test
    void anEmptyInputGivesAnEmptyMap() {
        AlignmentMap map = new MapBuilder(PROVENANCE, null).build();

        assertThat(map.points()).isEmpty();
        assertThat(map.unmapped()).isZero();
        assertThat(map.regionCounts()).containsEntry(Region.HIGH_AVG, 0L).containsEntry(Region.LOW_AVG, 0L)
                .containsEntry(Region.HIGH_VAR, 0L);
    }

    @Test
    void pointsKeepInputOrderBeyondTheInitialCapacity() {
        MapBuilder builder = new MapBuilder(PROVENANCE, null);
        int n = 3000; // past the builder's first two growths (1024, 2048)
        for (int i = 0; i < n; i++) {
            builder.accept(item(i, "id-" + (n - i), i, 2.0 * i, NA));
        }

        List<MapPoint> points = builder.build().points();

        assertThat(points).hasSize(n);
        for (int i = 0; i < n; i++) {
            MapPoint p = points.get(i);
            assertThat(p.key()).isEqualTo(i);
            assertThat(p.id()).isEqualTo("id-" + (n - i));
            assertThat(p.mean()).isEqualTo(1.5 * i);
            assertThat(p.variance()).isEqualTo(0.25 * i * i);
        }
    }

    @Test
    void theCorrelationFunctionFillsTheCorrelationColumn() {
        MapBuilder builder = new MapBuilder(PROVENANCE, s -> s.key() / 10.0);
        builder.accept(item(3, "a", 1, 2));
        builder.accept(item(7, "b", NA, 2)); // unmapped: the function is not needed for it
        builder.accept(item(5, "c", 1, 3));

        assertThat(builder.build().points()).extracting(MapPoint::correlation).containsExactly(0.3, 0.5);
    }

    @Test
    void regionsAreAssignedByRankWhenBuilt() {
        MapBuilder builder = new MapBuilder(PROVENANCE, null);
        builder.accept(item(0, "flat-low", 1, 1, 1));   // mean 1, variance 0
        builder.accept(item(1, "flat-high", 9, 9, 9));  // mean 9, variance 0
        builder.accept(item(2, "spread", 0, 10, 5));    // mean 5, variance 50/3

        AlignmentMap map = builder.build();

        assertThat(map.points()).extracting(MapPoint::region)
                .containsExactly(Region.LOW_AVG, Region.HIGH_AVG, Region.HIGH_VAR);
        assertThat(map.points(Region.HIGH_VAR)).extracting(MapPoint::id).containsExactly("spread");
    }

    @Test
    void aBuiltMapTakesNoMoreItems() {
        MapBuilder builder = new MapBuilder(PROVENANCE, null);
        builder.build();

        assertThatThrownBy(() -> builder.accept(item(0, "late", 1, 2)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Property
    void withTwoResponsesTheVarianceIsTheSquareOfHalfTheMargin(
            @ForAll @DoubleRange(min = -1e6, max = 1e6) double a,
            @ForAll @DoubleRange(min = -1e6, max = 1e6) double b,
            @ForAll @IntRange(min = -100, max = 100) int exponent) {
        double scale = Math.pow(10, exponent);
        double x = a * scale;
        double y = b * scale;
        MapBuilder builder = new MapBuilder(PROVENANCE, null);
        builder.accept(item(0, "pair", x, y));

        MapPoint p = builder.build().points().get(0);

        double halfMargin = (x - y) / 2;
        assertThat(p.variance()).isCloseTo(halfMargin * halfMargin, within(1e-14 * halfMargin * halfMargin));
        assertThat(p.std()).isCloseTo(Math.abs(halfMargin), within(1e-14 * Math.abs(halfMargin)));
    }

    @Property
    void stdIsTheSquareRootOfTheVariance(@ForAll @DoubleRange(min = -1e3, max = 1e3) double a,
                                         @ForAll @DoubleRange(min = -1e3, max = 1e3) double b,
                                         @ForAll @DoubleRange(min = -1e3, max = 1e3) double c) {
        MapBuilder builder = new MapBuilder(PROVENANCE, null);
        builder.accept(item(0, "q", a, b, c));

        MapPoint p = builder.build().points().get(0);

        assertThat(p.std()).isEqualTo(Math.sqrt(p.variance()));
        assertThat(p.variance()).isGreaterThanOrEqualTo(0.0);
    }

    // ---- numbers read in place, parts that share columns, the map as columns -----------

    /** Items of 0 to 6 responses, some scores and labels absent, laid end to end in two columns as a scan keeps them.
     * */
    private record Columns(int[] ends, double[] scores, double[] labels) {
        static Columns random(java.util.Random r, int items) {
            int[] ends = new int[items];
            java.util.List<double[]> rows = new java.util.ArrayList<>();
            int end = 0;
            for (int i = 0; i < items; i++) {
                int k = r.nextInt(7);
                for (int j = 0; j < k; j++) {
                    // ties, signed zeros, infinities and extreme magnitudes, which every measure
                    // and the moments must treat as the copies' arithmetic does
                    double[] few = {-0.0, 0.0, 1, 2.5, 4.6, 10, -3, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        1e300, Double.MIN_VALUE};
                    double[] labels = {-0.0, 0.0, 1, 2, 3, 4, 5, -1, 1e-300, Double.POSITIVE_INFINITY};
                    rows.add(new double[] {
                        r.nextInt(6) == 0 ? NA : r.nextBoolean() ? few[r.nextInt(r.nextBoolean() ? 6 : few.length)]
                                : r.nextGaussian() * 1e3,
                        r.nextInt(5) == 0 ? NA : labels[r.nextInt(r.nextBoolean() ? 7 : labels.length)]});
                }
                end += k;
                ends[i] = end;
            }
            double[] scores = new double[end + 3]; // longer than the items, as the scan's arrays are
            double[] labels = new double[end + 3];
            for (int j = 0; j < end; j++) {
                scores[j] = rows.get(j)[0];
                labels[j] = rows.get(j)[1];
            }
            return new Columns(ends, scores, labels);
        }

        ItemScores item(int i) {
            int from = i == 0 ? 0 : ends[i - 1];
            return new ItemScores(i, "id-" + i, java.util.Arrays.copyOfRange(scores, from, ends[i]),
                    java.util.Arrays.copyOfRange(labels, from, ends[i]));
        }
    }

    @Property(tries = 400)
    void numbersReadInPlaceGiveTheBitsOfMomentsOnACopy(@ForAll long seed,
                                                       @ForAll org.admap.stats.Correlation measure) {
        java.util.Random r = new java.util.Random(seed);
        Columns c = Columns.random(r, 1 + r.nextInt(200));
        MapBuilder inPlace = MapBuilder.withAgreement(PROVENANCE, measure);
        for (int i = 0, from = 0; i < c.ends().length; from = c.ends()[i], i++) {
            inPlace.accept(i, "id-" + i, c.scores(), c.labels(), from, c.ends()[i]);
        }

        java.util.Iterator<MapPoint> points = inPlace.build().points().iterator();
        for (int i = 0; i < c.ends().length; i++) {
            ItemScores item = c.item(i);
            if (Moments.count(item.scores()) < 2) {
                continue; // unmapped
            }
            MapPoint p = points.next();
            double mean = Moments.mean(item.scores());
            assertThat(p.key()).isEqualTo(i);
            assertThat(Double.doubleToLongBits(p.mean())).isEqualTo(Double.doubleToLongBits(mean));
            assertThat(Double.doubleToLongBits(p.variance()))
                    .isEqualTo(Double.doubleToLongBits(Moments.variance(item.scores(), mean)));
            assertThat(Double.doubleToLongBits(p.correlation())).as("%s of %s and %s", measure,
                    java.util.Arrays.toString(item.labels()), java.util.Arrays.toString(item.scores()))
                    .isEqualTo(Double.doubleToLongBits(MapJob.agreement(measure, item)));
        }
        assertThat(points.hasNext()).isFalse();
    }

    @Property(tries = 100)
    void partsSharingColumnsGiveTheMapOneBuilderGives(@ForAll long seed) {
        java.util.Random r = new java.util.Random(seed);
        int items = r.nextInt(400);
        Columns c = Columns.random(r, items);
        org.admap.stats.Correlation measure = r.nextBoolean() ? org.admap.stats.Correlation.PEARSON : null;
        MapBuilder whole = new MapBuilder(PROVENANCE, measure == null ? null : s -> MapJob.agreement(measure, s));
        for (int i = 0; i < items; i++) {
            whole.accept(c.item(i));
        }
        MapColumns shared = new MapColumns(items, measure != null);
        List<MapBuilder> parts = new java.util.ArrayList<>();
        for (int first = 0; first < items; ) {
            int size = Math.min(items - first, 1 + r.nextInt(60));
            MapBuilder part = MapBuilder.part(PROVENANCE, measure, shared, first, size);
            for (int i = first; i < first + size; i++) {
                part.accept(i, "id-" + i, c.scores(), c.labels(), i == 0 ? 0 : c.ends()[i - 1], c.ends()[i]);
            }
            parts.add(part);
            first += size;
        }

        AlignmentMap joined = MapBuilder.build(PROVENANCE, parts);
        AlignmentMap expected = whole.build();

        assertThat(joined.points()).isEqualTo(expected.points());
        assertThat(joined.unmapped()).isEqualTo(expected.unmapped());
        assertThat(joined.regionCounts()).isEqualTo(expected.regionCounts());
        for (Region region : Region.values()) {
            assertThat(joined.points(region)).isEqualTo(expected.points(region));
        }
    }

    @Test
    void aPartTakesNoMorePointsThanItsRangeHolds() {
        MapColumns shared = new MapColumns(3, false);
        MapBuilder part = MapBuilder.part(PROVENANCE, null, shared, 1, 2);
        part.accept(item(0, "a", 1, 2));
        part.accept(item(1, "b", 1, 2));

        assertThatThrownBy(() -> part.accept(item(2, "c", 1, 2))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("room for 2");
    }

    @Test
    void aJoinedPartBuildsNothingOfItsOwn() {
        MapBuilder part = new MapBuilder(PROVENANCE, null);
        part.accept(item(0, "a", 1, 2));
        MapBuilder.build(PROVENANCE, List.of(part));

        assertThatThrownBy(part::build).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> part.accept(item(1, "b", 1, 2))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> MapBuilder.build(PROVENANCE, List.of(part))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void thePointsAreAnUnmodifiableListMadeAsItIsRead() {
        MapBuilder builder = new MapBuilder(PROVENANCE, null);
        builder.accept(item(4, "q", 8, 2, 5, 9));
        builder.accept(item(5, "r", 1, 1));
        List<MapPoint> points = builder.build().points();

        assertThat(points).isInstanceOf(java.util.RandomAccess.class).hasSize(2);
        assertThat(points.get(0)).isEqualTo(points.get(0)).isEqualTo(new MapPoint(4, "q", 4, 6.0, 7.5, Math.sqrt(7.5),
                points.get(0).region(), NA));
        assertThatThrownBy(() -> points.set(0, points.get(1))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> points.add(points.get(1))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> points.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
