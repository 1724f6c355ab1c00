package org.admap.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
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

/** Points are found by key whatever the order they are listed and asked for in. */
class PointsByKeyTest {

    @Property(tries = 500)
    void everyKeyGivesItsPointOrNoneInAnyOrderOfAsking(@ForAll @Size(max = 60) Set<@IntRange(max = 99) Integer> mapped,
                                                        @ForAll boolean shuffledList, @ForAll boolean shuffledAsks) {
        List<MapPoint> points = new ArrayList<>();
        for (int key : new TreeSet<>(mapped)) {
            points.add(point(key));
        }
        if (shuffledList) {
            Collections.shuffle(points);
        }
        List<Integer> asks = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int key = 0; key < 100; key++) {
                asks.add(key);
            }
        }
        if (shuffledAsks) {
            Collections.shuffle(asks);
        }
        PointsByKey.Reader reader = PointsByKey.of(100, points).reader();
        for (int key : asks) {
            MapPoint p = reader.get(key);
            if (mapped.contains(key)) {
                assertThat(p).isNotNull();
                assertThat(p.key()).isEqualTo(key);
            } else {
                assertThat(p).isNull();
            }
        }
    }

    @Test
    void aPointOutsideTheItemsIsRefused() {
        assertThatThrownBy(() -> PointsByKey.of(3, List.of(point(5), point(1))))
                .hasMessageContaining("key 5 among 3 items");
    }

    private static MapPoint point(int key) {
        return new MapPoint(key, "id" + key, 2, 1.5, 0.25, 0.5, Region.LOW_AVG, Double.NaN);
    }
}
