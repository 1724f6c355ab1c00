package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.admap.Progress;
import org.admap.RealData;
import org.admap.ingest.group.GroupingOptions;
import org.admap.internal.store.RunStore;
import org.admap.model.ItemScores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grouping and aggregation on the real data beside the repository (skipped where it is
 * absent): UltraFeedback's pairs grouped back into their instructions, and Prometheus' three
 * GPT-4 grades per response given as three rows.
 */
class GroupingRealDataTest {

    private static final ObjectMapper RAW = new ObjectMapper();

    @TempDir
    Path dir;

    private static List<JsonNode> jsonLines(Path file) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) {
                    rows.add(RAW.readTree(line));
                }
            }
        }
        return rows;
    }

    private static List<ItemScores> scores(RunStore store, String source) {
        List<ItemScores> out = new ArrayList<>();
        store.forEachItemScores(source, out::add);
        return out;
    }

    @Test
    void ultraFeedbackPairsGroupBackIntoTheirInstructions() throws Exception {
        Path file = RealData.require("ultrafeedback-pairs").resolve("lowavg-sample.jsonl.gz");
        IngestOptions o = IngestOptions.defaults().withGrouping(GroupingOptions.DEFAULTS.withByPrompt(true));
        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            IngestReport report = Ingest.run(List.of(file), o, store, Progress.Factory.NONE);
            assertThat(report.files().get(0).rows()).isEqualTo(11_262);
            assertThat(report.items()).isEqualTo(1_968);
            Map<Integer, Integer> byCompletions = new TreeMap<>();
            for (ItemScores s : scores(store, RunStore.LABELS)) {
                byCompletions.merge(s.labels().length, 1, Integer::sum);
            }
            assertThat(byCompletions).containsExactlyEntriesOf(new TreeMap<>(Map.of(4, 1_897, 3, 61, 2, 10)));
            assertThat(report.responses()).isEqualTo(1_897 * 4 + 61 * 3 + 10 * 2);
            // every row is one comparison; each completion is in several, so most rows merge
            assertThat(report.grouping().comparisons()).isEqualTo(11_262);
            assertThat(report.grouping().mergedRows()).isEqualTo(2 * 11_262 - report.responses());
        }
    }

    @Test
    void prometheusGradesGivenAsRowsAreThreeSamplesOfEachResponseAsTheirListIs() throws Exception {
        Path list = RealData.require("prometheus-gpt4-samples").resolve("vicuna_eval.jsonl.gz");
        // one row per (response, grade): what a user who flattened gpt4_score would give
        StringBuilder rows = new StringBuilder();
        for (JsonNode r : jsonLines(list)) {
            for (JsonNode grade : r.get("gpt4_score")) {
                ObjectNode row = ((ObjectNode) r.deepCopy());
                row.remove("gpt4_feedback");
                row.set("gpt4_score", grade);
                rows.append(RAW.writeValueAsString(row)).append('\n');
            }
        }
        Path flat = TestFiles.write(dir, "vicuna-rows.jsonl", rows.toString());
        // the grading prompt embeds the response, so it is both; grouped by idx
        IngestOptions o = IngestOptions.defaults().withLayout(Layout.LONG)
                .withFields("instruction", "instruction", "gpt4_score", null, "response_source", "idx");

        List<ItemScores> fromList;
        try (RunStore store = TestFiles.ingest(dir.resolve("list.duckdb"), o, list)) {
            fromList = scores(store, RunStore.INPUT);
        }
        try (RunStore store = RunStore.create(dir.resolve("rows.duckdb"))) {
            IngestReport report = Ingest.run(List.of(flat), o, store, Progress.Factory.NONE);
            assertThat(report.files().get(0).rows()).isEqualTo(960);
            assertThat(report.items()).isEqualTo(80);
            assertThat(report.responses()).as("not 960 responses").isEqualTo(320);
            assertThat(report.grouping().mergedRows()).isEqualTo(640);
            assertThat(store.samplesPerScore(RunStore.INPUT)).isEqualTo(3);
            List<ItemScores> fromRows = scores(store, RunStore.INPUT);
            assertThat(fromRows).hasSize(80);
            for (int i = 0; i < 80; i++) {
                assertThat(fromRows.get(i).scores()).isEqualTo(fromList.get(i).scores());
                assertThat(fromRows.get(i).standardErrors()).isEqualTo(fromList.get(i).standardErrors());
            }
            assertThat(fromRows).allSatisfy(s -> assertThat(s.hasUncertainty()).isTrue());
        }
    }
}
