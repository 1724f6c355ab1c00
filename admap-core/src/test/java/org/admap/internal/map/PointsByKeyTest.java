package org.admap.internal.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.junit.jupiter.api.Test;

/**
 * Points are found by key: in an index whatever their order, in the list itself when it
 * is in key order; a list out of order never gives a wrong point, and tells that it missed.
 */
class PointsByKeyTest {

    @Property(tries = 500)
    void everyKeyGivesItsPointOrNone(@ForAll @Size(max = 60) Set<@IntRange(max = 99) Integer> mapped,
                                     @ForAll boolean shuffled, @ForAll boolean askedShuffled) {
        List<MapPoint> points = new ArrayList<>();
        for (int key : new TreeSet<>(mapped)) {
            points.add(point(key));
        }
        if (shuffled) {
            Collections.shuffle(points);
        }
        List<Integer> asks = new ArrayList<>();
        for (int key = 0; key < 100; key++) {
            asks.add(key);
        }
        if (askedShuffled) {
            Collections.shuffle(asks);
        }
        PointsByKey indexed = PointsByKey.indexed(100, points);
        PointsByKey listed = PointsByKey.listed(points);
        PointsByKey.Reader index = indexed.reader();
        PointsByKey.Reader list = listed.reader();
        for (int key : asks) {
            MapPoint p = index.get(key);
            assertThat(p == null ? null : p.key()).isEqualTo(mapped.contains(key) ? key : null);
            MapPoint q = list.get(key);
            if (q != null) {
                assertThat(q.key()).isEqualTo(key);
            } else if (!shuffled) {
                assertThat(mapped).doesNotContain(key);
            }
        }
        assertThat(indexed.found()).isEqualTo(points.size());
        if (!shuffled) {
            assertThat(listed.found()).isEqualTo(points.size());
        }
    }

    @Test
    void aListOutOfOrderMissesPointsAndSaysSo() {
        PointsByKey listed = PointsByKey.listed(List.of(point(3), point(1), point(2), point(0)));
        PointsByKey.Reader reader = listed.reader();
        for (int key = 0; key < 4; key++) {
            reader.get(key);
        }
        assertThat(listed.found()).isLessThan(4);
    }

    @Test
    void aListWithoutRandomAccessIsIndexed() {
        PointsByKey listed = PointsByKey.listed(new LinkedList<>(List.of(point(2), point(0))));
        PointsByKey.Reader reader = listed.reader();
        assertThat(reader.get(0).key()).isZero();
        assertThat(reader.get(1)).isNull();
        assertThat(reader.get(2).key()).isEqualTo(2);
        assertThat(reader.get(3)).isNull();
        assertThat(listed.found()).isEqualTo(2);
    }

    @Test
    void aPointOutsideTheItemsIsRefused() {
        assertThatThrownBy(() -> PointsByKey.indexed(3, List.of(point(5), point(1))))
                .hasMessageContaining("key 5 among 3 items");
    }

    private static MapPoint point(int key) {
        return new MapPoint(key, "id" + key, 2, 1.5, 0.25, 0.5, Region.LOW_AVG, Double.NaN);
    }
}
