package org.admap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's summary statistics, checked against the definitions computed here by hand. */
class ScoreStatisticsTest {

    @TempDir
    Path dir;

    private static double[] flat(double[][] rows) {
        return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
    }

    private static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** Ranks 1..n, ties at their average rank. */
    private static double[] ranks(double[] x) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int below = 0;
            int equal = 0;
            for (double v : x) {
                if (v < x[i]) {
                    below++;
                } else if (v == x[i]) {
                    equal++;
                }
            }
            r[i] = below + (equal + 1) / 2.0;
        }
        return r;
    }

    @Test
    void agreementIsPearsonOfScoresAndSpearmanOfRanksWithTies() throws Exception {
        try (RunStore store = ViewerFixture.create(dir)) {
            double[] scores = flat(ViewerFixture.SCORES);
            double[] labels = flat(ViewerFixture.LABELS);
            ScoreStatistics.Agreement a = ScoreStatistics.of(store).agreement(RunStore.INPUT, RunStore.LABELS);
            assertThat(a.n()).isEqualTo(12);
            assertThat(a.pearson()).isCloseTo(pearson(scores, labels), within(1e-12));
            assertThat(a.spearman()).isCloseTo(pearson(ranks(scores), ranks(labels)), within(1e-12));
        }
    }

    @Test
    void agreementCountsOnlyResponsesBothSourcesScored() throws Exception {
        try (RunStore store = ViewerFixture.create(dir)) {
            ScoreStatistics.Agreement a = ScoreStatistics.of(store).agreement(RunStore.INPUT, "judge");
            assertThat(a.n()).isEqualTo(1); // the judge's failed score does not count
            assertThat(a.pearson()).isNaN();
        }
    }

    @Test
    void histogramsHaveOneBarPerValueForRatingsAndEqualBinsOtherwise() throws Exception {
        try (RunStore store = ViewerFixture.create(dir)) {
            ScoreStatistics stats = ScoreStatistics.of(store);
            ScoreStatistics.SourceStats labels = stats.source(RunStore.LABELS, 30);
            assertThat(labels.count()).isEqualTo(12);
            assertThat(labels.histogram().values()).containsExactly(1, 2, 3, 4, 5);
            assertThat(labels.histogram().counts()).containsExactly(2, 3, 2, 2, 3);

            ScoreStatistics.SourceStats input = stats.source(RunStore.INPUT, 4);
            assertThat(input.min()).isEqualTo(1);
            assertThat(input.max()).isEqualTo(9);
            assertThat(input.mean()).isCloseTo(Arrays.stream(flat(ViewerFixture.SCORES)).average().orElseThrow(),
                    within(1e-12));
            assertThat(input.histogram().edges()).containsExactly(1, 3, 5, 7, 9);
            // [1,3): 1 2 ; [3,5): 4 4 3 ; [5,7): 5 6 5 ; [7,9]: 9 7 8 8
            assertThat(input.histogram().counts()).containsExactly(2, 3, 3, 4);
            assertThat(Arrays.stream(input.histogram().counts()).sum()).isEqualTo(12);
        }
    }

    @Test
    void modelsGetTheirMeansAndTheirBestResponsesCounted() throws Exception {
        try (RunStore store = ViewerFixture.create(dir)) {
            List<ScoreStatistics.ModelStats> models = ScoreStatistics.of(store)
                    .models(List.of(RunStore.INPUT, RunStore.LABELS), RunStore.INPUT);
            ScoreStatistics.ModelStats m3 = models.stream().filter(m -> m.model().equals("m3"))
                    .findFirst().orElseThrow();
            assertThat(m3.responses()).isEqualTo(3);
            assertThat(m3.means().get(RunStore.INPUT)).isCloseTo((9 + 7 + 8) / 3.0, within(1e-12));
            // best of a: m3 (9); b: the model-less b3 (6); c: m3 (7); d: a tie of 8s, the earlier (m3) wins
            assertThat(m3.best()).isEqualTo(3);
            assertThat(models.stream().filter(m -> m.model().isEmpty()).findFirst().orElseThrow().best()).isEqualTo(1);
            String[] best = ScoreStatistics.of(store).bestModels(RunStore.INPUT);
            assertThat(new ArrayList<>(Arrays.asList(best))).containsExactly("m3", null, "m3", "m3");
        }
    }
}
