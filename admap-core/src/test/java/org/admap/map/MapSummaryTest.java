package org.admap.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.admap.model.ItemScores;
import org.admap.model.Region;
import org.junit.jupiter.api.Test;

class MapSummaryTest {

    private static final double NA = Double.NaN;

    private static AlignmentMap map(double[]... scoresPerItem) {
        MapBuilder builder = new MapBuilder(new MapProvenance("labels", null, Instant.EPOCH, "test"), null);
        for (int i = 0; i < scoresPerItem.length; i++) {
            double[] labels = new double[scoresPerItem[i].length];
            java.util.Arrays.fill(labels, NA);
            builder.accept(new ItemScores(i, String.format("q%02d", i), scoresPerItem[i], labels));
        }
        return builder.build();
    }

    @Test
    void chosenRejectedLabelsUsedAsScoresGiveADegenerateMap() {
        // every pair labelled 1/0: mean 0.5 and variance 0.25 everywhere, so the regions are
        // decided by id alone
        double[][] pairs = new double[9][];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = i % 2 == 0 ? new double[] {1, 0} : new double[] {0, 1};
        }

        MapSummary s = MapSummary.of(map(pairs));

        assertThat(s.degenerate()).isTrue();
        assertThat(s.mapped()).isEqualTo(9);
        assertThat(s.meanRange()).containsExactly(0.5, 0.5);
    }

    @Test
    void aMapWithDifferentMeansOrVariancesIsNotDegenerate() {
        // same variance, different means
        assertThat(MapSummary.of(map(new double[] {1, 0}, new double[] {2, 1})).degenerate()).isFalse();
        // same mean, different variances
        assertThat(MapSummary.of(map(new double[] {1, 0}, new double[] {1.5, -0.5})).degenerate()).isFalse();
    }

    @Test
    void oneOrNoPointIsNotCalledDegenerate() {
        assertThat(MapSummary.of(map(new double[] {1, 0})).degenerate()).isFalse();
        assertThat(MapSummary.of(map()).degenerate()).isFalse();
    }

    @Test
    void theSummaryCountsEachRegionWithItsRanges() {
        AlignmentMap map = map(
                new double[] {1, 1, 1},      // mean 1, var 0
                new double[] {2, 2, 2},      // mean 2, var 0
                new double[] {8, 8, 8},      // mean 8, var 0
                new double[] {9, 9, 9},      // mean 9, var 0
                new double[] {0, 10},        // mean 5, var 25
                new double[] {4, 6},         // mean 5, var 1
                new double[] {7, NA},        // unmapped
                new double[] {NA, NA});      // unmapped

        MapSummary s = MapSummary.of(map);

        // N = 6: floor(12/3) = 4 by mean, 2 high-var; 2 low-avg, 2 high-avg
        assertThat(s.mapped()).isEqualTo(6);
        assertThat(s.unmapped()).isEqualTo(2);
        assertThat(s.degenerate()).isFalse();
        assertThat(s.meanRange()).containsExactly(1.0, 9.0);
        MapSummary.RegionStats highVar = s.regions().get(Region.HIGH_VAR);
        assertThat(highVar.count()).isEqualTo(2);
        assertThat(highVar.meanRange()).containsExactly(5.0, 5.0);
        assertThat(highVar.varianceRange()).containsExactly(1.0, 25.0);
        assertThat(s.regions().get(Region.LOW_AVG).meanRange()).containsExactly(1.0, 2.0);
        assertThat(s.regions().get(Region.HIGH_AVG).meanRange()).containsExactly(8.0, 9.0);
        assertThat(s.regions().get(Region.HIGH_AVG).varianceRange()).containsExactly(0.0, 0.0);
    }

    @Test
    void anEmptyRegionHasNoRanges() {
        MapSummary s = MapSummary.of(map(new double[] {1, 3}));

        // N = 1: the single point is high-var
        assertThat(s.regions().get(Region.HIGH_VAR).count()).isEqualTo(1);
        assertThat(s.regions().get(Region.HIGH_AVG).count()).isZero();
        assertThat(s.regions().get(Region.HIGH_AVG).meanRange()).containsExactly(NA, NA);
    }
}
