package org.admap.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.admap.model.Region;
import org.junit.jupiter.api.Test;

class MapComparisonTest {

    private static final Region HA = Region.HIGH_AVG;
    private static final Region LA = Region.LOW_AVG;
    private static final Region HV = Region.HIGH_VAR;

    @Test
    void countsRegionChangesAndTheConfusionTable() {
        MapComparison c = MapComparison.of("a", "b", 5, 6, new double[] {1, 2, 3, 4}, new double[] {2, 4, 6, 8},
                new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}, new Region[] {HA, HA, LA, HV},
                new Region[] {HA, LA, LA, HA}, new double[] {1, 2, Double.NaN}, new double[] {1, 3, 5});

        assertThat(c.joined()).isEqualTo(4);
        assertThat(c.pointsA()).isEqualTo(5);
        assertThat(c.pointsB()).isEqualTo(6);
        assertThat(c.meanSpearman()).isEqualTo(1.0);
        assertThat(c.varianceKendall()).isEqualTo(-1.0);
        assertThat(c.regionChanges()).isEqualTo(2);
        assertThat(c.count(HA, HA)).isEqualTo(1);
        assertThat(c.count(HA, LA)).isEqualTo(1);
        assertThat(c.count(HV, HA)).isEqualTo(1);
        // high-avg: on both 1, on a 2, on b 2 -> 1 / 3
        assertThat(c.overlap(HA)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(c.overlap(HV)).isZero();
        assertThat(c.responses()).as("the pair with a NaN is left out").isEqualTo(2);
    }

    @Test
    void roundingToTwelveDigitsMakesSumsInAnotherOrderTiesAndKeepsRealDifferences() {
        double[] r = MapComparison.significant(new double[] {0.1 + 0.2, 0.3, 6.5, 6.500000001, -2.25e-300, 0});
        assertThat(r[0]).isEqualTo(r[1]);
        assertThat(r[2]).isLessThan(r[3]);
        assertThat(r[4]).isEqualTo(-2.25e-300);
        assertThat(r[5]).isZero();
    }
}
