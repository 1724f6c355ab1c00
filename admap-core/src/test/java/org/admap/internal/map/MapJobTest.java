package org.admap.internal.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.admap.Progress;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.internal.store.RunStore;
import org.admap.map.AlignmentMap;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;
import org.admap.stats.Correlation;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building a run's map from its store, and writing {@code map.csv}. */
class MapJobTest {

    private static final double NA = Double.NaN;
    private static final List<String> HEADER = List.of("id", "prompt", "n", "mean", "variance", "std", "region");

    @TempDir
    Path dir;

    // ---- fixtures ----------------------------------------------------------------------

    /** One instruction in admap's neutral layout; NaN leaves a score or label out. */
    private static Map<String, Object> item(String id, String prompt, double[] scores, double[] labels) {
        List<Map<String, Object>> responses = new ArrayList<>();
        for (int i = 0; i < Math.max(scores.length, labels.length); i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("text", "response " + i + " to " + id);
            if (i < scores.length && !Double.isNaN(scores[i])) {
                r.put("score", scores[i]);
            }
            if (i < labels.length && !Double.isNaN(labels[i])) {
                r.put("label", labels[i]);
            }
            responses.add(r);
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("prompt", prompt);
        item.put("responses", responses);
        return item;
    }

    private static double[] v(double... xs) {
        return xs;
    }

    private RunStore ingest(List<Map<String, Object>> items) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> item : items) {
            text.append(json.writeValueAsString(item)).append('\n');
        }
        Path file = dir.resolve("fixture.jsonl");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        RunStore store = RunStore.create(dir.resolve(RunStore.FILE_NAME));
        Ingest.run(List.of(file), IngestOptions.defaults(), store, Progress.Factory.NONE);
        return store;
    }

    private Path writeCsv(RunStore store, AlignmentMap map) throws IOException {
        Path csv = dir.resolve("map.csv");
        MapCsv.write(store, map.points(), map.provenance().correlation() != null, csv);
        return csv;
    }

    private static List<CSVRecord> parse(Path csv, List<String> header) throws IOException {
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            assertThat(parser.getHeaderNames()).isEqualTo(header);
            return parser.getRecords();
        }
    }

    private static List<String> withCorrelation() {
        List<String> h = new ArrayList<>(HEADER);
        h.add("correlation");
        return h;
    }

    // ---- score sources -----------------------------------------------------------------

    @Test
    void theDefaultSourceIsTheInputsScores() throws IOException {
        try (RunStore store = ingest(List.of(item("a", "p", v(1, 2), v(0, 1))))) {
            assertThat(MapJob.defaultSource(store)).isEqualTo(RunStore.INPUT);
        }
    }

    @Test
    void withoutScoresTheDefaultSourceIsTheLabels() throws IOException {
        try (RunStore store = ingest(List.of(item("a", "p", v(NA, NA), v(0, 1))))) {
            assertThat(MapJob.defaultSource(store)).isEqualTo(RunStore.LABELS);
            assertThat(MapJob.labelRelation(store, RunStore.LABELS)).isEqualTo("scores");
        }
    }

    @Test
    void dataWithNeitherScoresNorLabelsHasNothingToMap() throws IOException {
        try (RunStore store = ingest(List.of(item("a", "p", v(NA, NA), v())))) {
            assertThatThrownBy(() -> MapJob.defaultSource(store)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("neither scores nor labels");
        }
    }

    @Test
    void anUnknownSourceIsRejectedWithTheAvailableOnes() throws IOException {
        try (RunStore store = ingest(List.of(item("a", "p", v(1, 2), v(0, 1))))) {
            assertThatThrownBy(() -> MapJob.run(store, "judge", Correlation.COSINE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no scores from 'judge' in this run; available: input, labels");
            assertThat(store.mapPoints()).isEmpty();
        }
    }

    @Test
    void aSourceWithNoItemScoredTwiceIsRejected() throws IOException {
        try (RunStore store = ingest(List.of(item("a", "p", v(1, NA), v(0, 1)), item("b", "q", v(NA, 3), v(1, 0))))) {
            assertThatThrownBy(() -> MapJob.run(store, RunStore.INPUT, Correlation.COSINE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no instruction has two or more responses scored by 'input'");
        }
    }

    // ---- the map in the store ----------------------------------------------------------

    @Test
    void theMapIsStoredWithItsProvenance() throws IOException {
        try (RunStore store = ingest(List.of(
                item("a", "p1", v(8, 2, 5, 9), v(4, 1, 3, 5)),
                item("b", "p2", v(7, NA), v(1, 2)),          // one score: unmapped
                item("c", "p3", v(1, 3), v(0, 1))))) {
            AlignmentMap map = MapJob.run(store, RunStore.INPUT, Correlation.KENDALL);

            assertThat(map.unmapped()).isEqualTo(1);
            assertThat(store.mapPoints()).isEqualTo(map.points());
            assertThat(map.points()).extracting(MapPoint::id).containsExactly("a", "c");
            assertThat(store.info(MapJob.INFO_SCORES)).contains("input");
            assertThat(store.info(MapJob.INFO_CORRELATION)).contains("kendall");
            assertThat(store.info(MapJob.INFO_LABELS)).contains("independent");
            assertThat(map.provenance().correlation()).isEqualTo("kendall");
            // (4,1,3,5) vs (8,2,5,9): same order -> tau 1; the pair has no correlation
            assertThat(map.points().get(0).correlation()).isEqualTo(1.0);
            assertThat(map.points().get(1).correlation()).isNaN();
        }
    }

    @Test
    void theCorrelationNeedsThreeResponsesWithBothNumbers() {
        ItemScores two = new ItemScores(0, "a", v(1, 2, NA), v(2, 1, 3));
        ItemScores three = new ItemScores(0, "a", v(1, 2, 3), v(3, 2, 1));

        assertThat(MapJob.agreement(Correlation.PEARSON, two)).isNaN();
        assertThat(MapJob.agreement(Correlation.PEARSON, three)).isCloseTo(-1.0, within(1e-12));
    }

    @Test
    void mappingTheLabelsThemselvesHasNoCorrelation() throws IOException {
        try (RunStore store = ingest(List.of(item("a", "p", v(8, 2, 5), v(4, 1, 3))))) {
            AlignmentMap map = MapJob.run(store, RunStore.LABELS, Correlation.COSINE);

            assertThat(map.provenance().correlation()).isNull();
            assertThat(store.info(MapJob.INFO_LABELS)).contains("scores");
            assertThat(map.points().get(0).mean()).isEqualTo(8.0 / 3);
            assertThat(map.points().get(0).correlation()).isNaN();
        }
    }

    @Test
    void aRebuiltMapReplacesTheOldOne() throws IOException {
        try (RunStore store = ingest(List.of(item("a", "p", v(8, 2, 5), v(4, 1, 3)),
                item("b", "q", v(1, 1, 1), v(2, 2, 2))))) {
            MapJob.run(store, RunStore.INPUT, Correlation.COSINE);
            AlignmentMap byLabels = MapJob.run(store, RunStore.LABELS, Correlation.COSINE);

            assertThat(store.mapPoints()).isEqualTo(byLabels.points());
            assertThat(MapJob.currentSource(store)).isEqualTo("labels");
        }
    }

    // ---- map.csv -----------------------------------------------------------------------

    @Test
    void mapCsvHasTheCorrelationColumnOnlyWhenLabelsAreIndependentOfScores() throws IOException {
        try (RunStore store = ingest(List.of(item("a", "p", v(8, 2, 5), v(4, 1, 3))))) {
            parse(writeCsv(store, MapJob.run(store, RunStore.INPUT, Correlation.COSINE)), withCorrelation());
            parse(writeCsv(store, MapJob.run(store, RunStore.LABELS, Correlation.COSINE)), HEADER);
        }
        Files.delete(dir.resolve(RunStore.FILE_NAME));
        try (RunStore store = ingest(List.of(item("a", "p", v(8, 2, 5), v()), item("b", "q", v(1, 2), v())))) {
            parse(writeCsv(store, MapJob.run(store, RunStore.INPUT, Correlation.COSINE)), HEADER);
        }
    }

    @Test
    void mapCsvRowsComeInInputOrderAndAwkwardPromptsRoundTrip() throws IOException {
        List<String> prompts = List.of(
                "plain",
                "two\nlines, with a comma",
                "\"quoted\" and \"\"doubly\"\"",
                "ends with a quote\"",
                "Windows\r\nline end and a trailing newline\n",
                "Unicode: café, naïve, ¿cómo estás? — ≤ ≈ ° 漢字 \uD83D\uDE00",
                " leading and trailing spaces ",
                "");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            items.add(item("z" + (prompts.size() - i), prompts.get(i), v(i, 2 * i + 1, NA), v()));
        }
        items.add(2, item("unmapped", "left off", v(1, NA), v()));

        try (RunStore store = ingest(items)) {
            AlignmentMap map = MapJob.run(store, RunStore.INPUT, Correlation.COSINE);
            List<CSVRecord> rows = parse(writeCsv(store, map), HEADER);

            assertThat(rows).hasSize(prompts.size());
            for (int i = 0; i < prompts.size(); i++) {
                assertThat(rows.get(i).get("id")).isEqualTo("z" + (prompts.size() - i));
                assertThat(rows.get(i).get("prompt")).isEqualTo(prompts.get(i));
            }
        }
    }

    @Test
    void mapCsvNumbersParseBackToExactlyTheStoredDoubles() throws IOException {
        Random random = new Random(20260);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            double scale = Math.pow(10, random.nextInt(40) - 20);
            int n = 2 + random.nextInt(4);
            double[] scores = new double[n];
            double[] labels = new double[n];
            for (int j = 0; j < n; j++) {
                scores[j] = random.nextGaussian() * scale;
                labels[j] = 1 + random.nextInt(5);
            }
            items.add(item("q" + i, "prompt " + i, scores, labels));
        }

        try (RunStore store = ingest(items)) {
            AlignmentMap map = MapJob.run(store, RunStore.INPUT, Correlation.PEARSON);
            List<CSVRecord> rows = parse(writeCsv(store, map), withCorrelation());
            List<MapPoint> stored = store.mapPoints();

            assertThat(rows).hasSize(stored.size());
            for (int i = 0; i < rows.size(); i++) {
                CSVRecord r = rows.get(i);
                MapPoint p = stored.get(i);
                assertThat(r.get("id")).isEqualTo(p.id());
                assertThat(Integer.parseInt(r.get("n"))).isEqualTo(p.n());
                assertThat(Double.parseDouble(r.get("mean"))).isEqualTo(p.mean());
                assertThat(Double.parseDouble(r.get("variance"))).isEqualTo(p.variance());
                assertThat(Double.parseDouble(r.get("std"))).isEqualTo(p.std());
                assertThat(r.get("region")).isEqualTo(p.region().cliName());
                if (Double.isNaN(p.correlation())) {
                    assertThat(r.get("correlation")).isEmpty();
                } else {
                    assertThat(Double.parseDouble(r.get("correlation"))).isEqualTo(p.correlation());
                }
            }
        }
    }

    @Test
    void mapCsvLeavesTheCorrelationEmptyWhereItIsUndefined() throws IOException {
        try (RunStore store = ingest(List.of(
                item("three", "p", v(8, 2, 5), v(4, 1, 3)),
                item("pair", "q", v(1, 2), v(0, 1)),
                item("zero-labels", "r", v(1, 2, 3), v(0, 0, 0))))) {
            List<CSVRecord> rows = parse(writeCsv(store, MapJob.run(store, RunStore.INPUT, Correlation.COSINE)),
                    withCorrelation());

            assertThat(rows).extracting(r -> r.get("correlation").isEmpty()).containsExactly(false, true, true);
        }
    }
}
