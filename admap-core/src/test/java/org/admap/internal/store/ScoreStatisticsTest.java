package org.admap.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.TestFiles;
import org.admap.stats.Pearson;
import org.admap.stats.Spearman;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's summary statistics, checked against hand-counted values and against
 * org.admap.stats (the same definitions in Java).
 */
class ScoreStatisticsTest {

    @TempDir
    Path dir;

    private static double[] flat(double[][] rows) {
        return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
    }

    @Test
    void agreementIsPearsonOfScoresAndSpearmanOfRanksWithTies() throws Exception {
        try (RunStore store = ViewerFixture.create(dir)) {
            double[] scores = flat(ViewerFixture.SCORES);
            double[] labels = flat(ViewerFixture.LABELS);
            ScoreStatistics.Agreement a = ScoreStatistics.of(store).agreement(RunStore.INPUT, RunStore.LABELS);
            assertThat(a.n()).isEqualTo(12);
            assertThat(a.pearson()).isCloseTo(Pearson.ofPresent(scores, labels), within(1e-12));
            assertThat(a.spearman()).isCloseTo(Spearman.ofPresent(scores, labels), within(1e-12));
        }
    }

    /**
     * The database joins and ranks, org.admap.stats adds up in the responses' order: on many
     * responses with many ties and a missing label here and there, the agreement is exactly
     * (to the bit) Pearson's r and Spearman's rho of the stats package over the responses in
     * order, so a report's numbers do not move from one run to the next (the database's
     * parallel corr() added in the order its threads gave, and moved in the last digit).
     */
    @Test
    void agreementIsTheStatsPackagesPearsonAndSpearmanToTheBit() throws Exception {
        Random random = new Random(11);
        int items = 300;
        int per = 4;
        String[] rows = new String[items];
        double[] scores = new double[items * per];
        double[] labels = new double[items * per];
        for (int i = 0; i < items; i++) {
            StringBuilder row = new StringBuilder("{\"id\": \"i" + i + "\", \"prompt\": \"p" + i
                    + "\", \"responses\": [");
            for (int r = 0; r < per; r++) {
                double score = random.nextInt(7) / 2.0; // ties, as ratings have
                double label = random.nextInt(10) == 0 ? Double.NaN : random.nextInt(5) + 1 + 0.1 * score;
                scores[i * per + r] = score;
                labels[i * per + r] = label;
                row.append(r == 0 ? "" : ",").append("{\"text\": \"r").append(r).append("\", \"score\": ")
                        .append(score);
                if (!Double.isNaN(label)) {
                    row.append(", \"label\": ").append(label);
                }
                row.append('}');
            }
            rows[i] = row.append("]}").toString();
        }
        Path data = TestFiles.jsonl(dir, "many.jsonl", rows);
        try (RunStore store = TestFiles.ingest(dir.resolve(RunStore.FILE_NAME), IngestOptions.defaults(), data)) {
            ScoreStatistics.Agreement a = ScoreStatistics.of(store).agreement(RunStore.INPUT, RunStore.LABELS);
            assertThat(a.n()).isEqualTo(Arrays.stream(labels).filter(l -> !Double.isNaN(l)).count());
            assertThat(a.pearson()).isEqualTo(Pearson.ofPresent(scores, labels));
            assertThat(a.spearman()).isEqualTo(Spearman.ofPresent(scores, labels));
            assertThat(a.spearman()).isNotCloseTo(a.pearson(), within(1e-6)); // the two really differ here
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
