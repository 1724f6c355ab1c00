package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.admap.internal.columns.RunColumns;
import org.admap.model.MapPoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scanned run's points read into arrays are the points {@link RunColumns#points(boolean)}
 * makes, field for field, with or without their ids, and a report reads the same through them
 * as through a list of those points.
 */
class ArrayPointColumnsTest {

    @TempDir
    Path tmp;
    private RunColumns columns;

    @BeforeEach
    void mapTheDemo() throws IOException {
        columns = ScannedDemo.columns(tmp.resolve("run"));
    }

    @Test
    void readsEveryPointAsTheColumnsMakeIt() throws IOException {
        try (RunColumns c = columns) {
            List<MapPoint> expected = c.points(true);
            ArrayPointColumns read = ArrayPointColumns.read(c, true);

            assertThat(expected).hasSizeGreaterThan(10);
            assertThat(read.asList()).containsExactlyElementsOf(expected);
            assertThat(read.anyCorrelation())
                    .isEqualTo(expected.stream().anyMatch(p -> !Double.isNaN(p.correlation())));
            assertThat(read.anyRegionP()).isFalse();
        }
    }

    @Test
    void withoutIdsHoldsTheSameNumbersAndNullIds() throws IOException {
        try (RunColumns c = columns) {
            List<MapPoint> expected = c.points(false);
            ArrayPointColumns read = ArrayPointColumns.read(c, false);

            assertThat(read.asList()).containsExactlyElementsOf(expected);
            assertThat(read.get(0).id()).isNull();
        }
    }

    @Test
    void givesEachFieldAsAListOfThePointsDoes() throws IOException {
        try (RunColumns c = columns) {
            PointColumns read = ArrayPointColumns.read(c, true);
            PointColumns list = PointColumns.of(c.points(true));

            assertThat(read.size()).isEqualTo(list.size());
            for (int i = 0; i < list.size(); i++) {
                assertThat(read.key(i)).isEqualTo(list.key(i));
                assertThat(read.n(i)).isEqualTo(list.n(i));
                assertThat(read.mean(i)).isEqualTo(list.mean(i));
                assertThat(read.variance(i)).isEqualTo(list.variance(i));
                assertThat(read.region(i)).isEqualTo(list.region(i));
                assertThat(read.correlation(i)).isEqualTo(list.correlation(i));
                assertThat(read.regionP(i)).isNaN();
            }
        }
    }
}
