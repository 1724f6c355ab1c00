package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.admap.internal.store.ItemDetails;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.junit.jupiter.api.Test;

/**
 * The view's size policy: every point up to the limit, beyond it every flagged one plus a
 * seeded sample; the full texts go to all embedded ones when few, else to the flagged ones
 * first and then an even spread; the viewer embeds none; the flags travel as one bit per reason.
 */
class EmbeddedPointsTest {

    /** n points whose keys are 3 apart (0, 3, 6, ...), so that a key is not its index. */
    private static List<MapPoint> points(int n) {
        List<MapPoint> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(new MapPoint(i * 3, "id-" + i, 4, 5, 1, 1, Region.HIGH_AVG, 0.5));
        }
        return all;
    }

    private static FlagIndex flagged(int... keys) {
        List<ItemDetails.ViewerFlag> rows = new ArrayList<>();
        for (int k : keys) {
            rows.add(new ItemDetails.ViewerFlag(k, "misannotated", Map.of()));
        }
        return FlagIndex.of(rows);
    }

    private static ViewData.Options report(int maxPoints, int maxDetails) {
        return new ViewData.Options(maxPoints, 0, maxDetails, 100, false);
    }

    @Test
    void aSmallMapIsEmbeddedWholeWithEveryText() {
        List<MapPoint> all = points(50);
        EmbeddedPoints e = EmbeddedPoints.choose(PointColumns.of(all), flagged(3), report(50, 50));
        assertThat(e.indices()).containsExactly(IntStream.range(0, 50).toArray());
        assertThat(e.detailKeys()).isEqualTo(e.keys());
        assertThat(e.keys().cardinality()).isEqualTo(50);
        assertThat(e.excerptChars()).isEqualTo(160);
    }

    @Test
    void aBigMapEmbedsEveryFlaggedPointAndASeededSampleInKeyOrder() {
        List<MapPoint> all = points(1_000);
        FlagIndex flags = flagged(0, 2_997, 1_500);
        EmbeddedPoints e = EmbeddedPoints.choose(PointColumns.of(all), flags, report(100, 10));
        assertThat(e.indices()).hasSize(100).isSorted().doesNotHaveDuplicates();
        assertThat(e.keys().get(0) && e.keys().get(2_997) && e.keys().get(1_500)).as("the flagged ones").isTrue();
        for (int i : e.indices()) {
            assertThat(e.keys().get(all.get(i).key())).isTrue();
        }
        EmbeddedPoints again = EmbeddedPoints.choose(PointColumns.of(all), flags, report(100, 10));
        assertThat(again.indices()).as("the same page for the same run").containsExactly(e.indices());
        assertThat(IntStream.of(e.indices()).max().getAsInt() - IntStream.of(e.indices()).min().getAsInt())
                .as("spread over the map, not its first hundred").isGreaterThan(500);
    }

    @Test
    void textsGoToTheFlaggedFirstThenAnEvenSpread() {
        List<MapPoint> all = points(200);
        EmbeddedPoints e = EmbeddedPoints.choose(PointColumns.of(all), flagged(30, 300), report(200, 6));
        BitSet expected = new BitSet();
        expected.set(30);
        expected.set(300);
        // 4 left over 200 embedded: a stride of 50 points, keys 3 apart
        for (int s = 0; s < 4; s++) {
            expected.set(s * 50 * 3);
        }
        assertThat(e.detailKeys()).isEqualTo(expected);
    }

    @Test
    void moreFlaggedThanTextsGivesTheFirstFlaggedInKeyOrder() {
        List<MapPoint> all = points(20);
        EmbeddedPoints e = EmbeddedPoints.choose(PointColumns.of(all), flagged(57, 3, 12, 30), report(20, 2));
        assertThat(e.detailKeys().stream().toArray()).containsExactly(3, 12);
    }

    @Test
    void theViewerEmbedsNoTextsAndLargeMapsGetShorterExcerpts() {
        EmbeddedPoints serve = EmbeddedPoints.choose(PointColumns.of(points(30_000)), flagged(),
                ViewData.Options.forServe());
        assertThat(serve.detailKeys().isEmpty()).isTrue();
        assertThat(serve.indices()).hasSize(30_000);
        assertThat(serve.excerptChars()).isEqualTo(64);
        assertThat(ViewData.Options.forReport().excerpt(100_001)).isEqualTo(40);
        assertThat(new ViewData.Options(10, 12, 0, 1, false).excerpt(5)).as("asked for").isEqualTo(12);
    }

    @Test
    void eachReasonIsOneBitOfAPointsFlagsInAlphabeticalOrder() {
        List<ItemDetails.ViewerFlag> rows = new ArrayList<>();
        rows.add(new ItemDetails.ViewerFlag(7, "misannotated", Map.of()));
        rows.add(new ItemDetails.ViewerFlag(7, "duplicate-responses", Map.of()));
        rows.add(new ItemDetails.ViewerFlag(9, "low-impact", Map.of()));
        FlagIndex index = FlagIndex.of(rows);
        assertThat(index.reasons()).containsExactly("duplicate-responses", "low-impact", "misannotated");
        assertThat(index.bits(7)).isEqualTo(0b101);
        assertThat(index.bits(9)).isEqualTo(0b010);
        assertThat(index.bits(8)).isZero();
        assertThat(index.size()).isEqualTo(2);
        assertThat(List.of(index.key(0), index.key(1))).containsExactly(7, 9);
        assertThat(index.rows(7)).extracting(ItemDetails.ViewerFlag::reason)
                .containsExactly("misannotated", "duplicate-responses");
        assertThat(index.rows(8)).isEmpty();
        FlagIndex unordered = FlagIndex.of(List.of(rows.get(2), rows.get(0), rows.get(1)));
        assertThat(List.of(unordered.key(0), unordered.key(1))).as("in key order").containsExactly(7, 9);
        assertThat(unordered.rows(7)).as("a key's rows in their order").isEqualTo(index.rows(7));
        assertThat(Arrays.asList(index.flagged(7), index.flagged(8))).containsExactly(true, false);
    }
}
