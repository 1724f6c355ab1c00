package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.admap.Progress;
import org.admap.RealData;
import org.admap.internal.store.KeyedItem;
import org.admap.internal.store.RunStore;
import org.admap.model.Item;
import org.admap.model.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real public data from {@code ../shared/data} (skipped where it is absent): AlpacaEval
 * annotations, HH-RLHF harmless pairs and UltraFeedback pairs ingest as the issue says,
 * checked against values computed here straight from the raw files.
 */
class RealDataIngestTest {

    /** A plain Jackson mapper: the expected values do not go through admap's reader. */
    private static final ObjectMapper RAW = new ObjectMapper();

    @TempDir
    Path dir;

    private static InputStream gunzip(Path file) throws IOException {
        return new GZIPInputStream(Files.newInputStream(file));
    }

    private static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(gunzip(file), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) {
                    rows.add(RAW.readTree(line));
                }
            }
        }
        return rows;
    }

    private static List<KeyedItem> stored(RunStore store, BitSet keys) {
        List<KeyedItem> items = new ArrayList<>();
        store.forEachItem(RunStore.INPUT, keys, items::add);
        return items;
    }

    // ---- AlpacaEval -------------------------------------------------------------------------

    /** One expected response: the model's answer, its generator and preference - 1. */
    private record Expected(String text, String model, double score) {
    }

    @Test
    void alpacaEvalFilesAreRecognisedAndGive805InstructionsScoredPreferenceMinusOne() throws Exception {
        Path folder = RealData.require("alpaca_eval");
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json.gz")).sorted().toList();
        }
        assertThat(files).hasSize(12);

        // Expected, from the raw JSON: per instruction, its responses in file order then row order.
        Map<String, List<Expected>> expected = new LinkedHashMap<>();
        long rows = 0;
        for (Path f : files) {
            try (InputStream in = gunzip(f)) {
                for (JsonNode row : RAW.readTree(in)) {
                    JsonNode preference = row.get("preference");
                    double score = preference == null || preference.isNull() ? Response.ABSENT
                            : preference.doubleValue() - 1;
                    expected.computeIfAbsent(row.get("instruction").textValue(), k -> new ArrayList<>())
                            .add(new Expected(row.get("output_2").textValue(), row.get("generator_2").textValue(),
                                    score));
                    rows++;
                }
            }
        }
        assertThat(expected).hasSize(805);

        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            IngestReport report = Ingest.run(files, IngestOptions.defaults(), store, Progress.Factory.NONE);

            assertThat(report.items()).isEqualTo(805);
            assertThat(report.responses()).isEqualTo(rows);
            assertThat(report.renamedIds()).isZero();
            assertThat(report.badRows().count()).isZero();
            assertThat(report.files()).extracting(IngestReport.FileReport::layout)
                    .containsOnly("long (preset alpaca-eval)");
            assertThat(store.labelsEqualScores()).isTrue();
            double[] range = store.scoreRange(RunStore.INPUT);
            assertThat(range[0]).isGreaterThanOrEqualTo(0);
            assertThat(range[1]).isLessThanOrEqualTo(1);

            Set<String> seen = new HashSet<>();
            store.forEachItem(RunStore.INPUT, null, k -> {
                Item item = k.item();
                List<Expected> want = expected.get(item.prompt());
                assertThat(want).as("stored prompt of item %s is an instruction of the files", item.id()).isNotNull();
                assertThat(item.responses()).hasSameSizeAs(want);
                for (int i = 0; i < want.size(); i++) {
                    Response got = item.responses().get(i);
                    assertThat(got.text()).isEqualTo(want.get(i).text());
                    assertThat(got.model()).isEqualTo(want.get(i).model());
                    assertThat(Double.valueOf(got.score())).as("score of response %d of %s", i, item.id())
                            .isEqualTo(want.get(i).score());
                    assertThat(Double.valueOf(got.label())).isEqualTo(want.get(i).score());
                }
                seen.add(item.prompt());
            });
            assertThat(seen).isEqualTo(expected.keySet());
        }
    }

    // ---- HH-RLHF ----------------------------------------------------------------------------

    private static final String ASSISTANT = "\n\nAssistant:";

    @Test
    void hhRlhfHarmlessPairsSplitIntoSharedPromptAndFinalAssistantTurns() throws Exception {
        Path file = RealData.require("hh-rlhf").resolve("harmless-base-test.jsonl.gz");
        List<JsonNode> raw = jsonLines(file);
        assertThat(raw).hasSize(2312);

        try (RunStore store = TestFiles.ingest(dir.resolve("run.duckdb"), IngestOptions.defaults(), file)) {
            List<KeyedItem> items = stored(store, null);

            assertThat(store.itemCount()).isEqualTo(2312);
            assertThat(store.responseCount()).isEqualTo(2 * 2312);
            assertThat(store.inputs().get(0).layout()).isEqualTo("pairwise");
            assertThat(items).extracting(k -> k.item().id()).filteredOn(id -> id.contains("#")).hasSize(2);
            for (KeyedItem k : items) {
                Item item = k.item();
                JsonNode row = raw.get(k.key());
                assertThat(item.source().line()).isEqualTo(k.key() + 1L);
                assertThat(item.prompt()).endsWith(ASSISTANT);
                assertThat(item.responses()).extracting(Response::label).containsExactly(1.0, 0.0);
                // Nothing is lost: prompt + response is each raw dialogue, byte for byte (issue 17, item 11).
                assertThat(item.prompt() + item.responses().get(0).text()).isEqualTo(row.get("chosen").textValue());
                assertThat(item.prompt() + item.responses().get(1).text()).isEqualTo(row.get("rejected").textValue());
            }
        }
    }

    @Test
    void hhRlhfRowsAgreeWithASplitComputedHere() throws Exception {
        Path file = RealData.require("hh-rlhf").resolve("harmless-base-test.jsonl.gz");
        List<JsonNode> raw = jsonLines(file);
        // Rows whose two dialogues differ only in the final assistant turn, from the start, middle and end.
        Map<Integer, String[]> expected = new HashMap<>();
        for (int start : new int[] {0, 1000, 2290}) {
            int taken = 0;
            for (int i = start; i < raw.size() && taken < 5; i++) {
                String chosen = raw.get(i).get("chosen").textValue();
                String rejected = raw.get(i).get("rejected").textValue();
                String prompt = chosen.substring(0, chosen.lastIndexOf(ASSISTANT) + ASSISTANT.length());
                String rejectedPrompt = rejected.substring(0, rejected.lastIndexOf(ASSISTANT) + ASSISTANT.length());
                if (prompt.equals(rejectedPrompt)) {
                    expected.put(i, new String[] {prompt, finalTurn(chosen), finalTurn(rejected)});
                    taken++;
                }
            }
        }
        assertThat(expected).hasSize(15);
        BitSet keys = new BitSet();
        expected.keySet().forEach(keys::set);

        try (RunStore store = TestFiles.ingest(dir.resolve("run.duckdb"), IngestOptions.defaults(), file)) {
            List<KeyedItem> items = stored(store, keys);

            assertThat(items).hasSize(15);
            for (KeyedItem k : items) {
                String[] want = expected.get(k.key());
                assertThat(k.item().prompt()).isEqualTo(want[0]);
                assertThat(k.item().responses()).extracting(Response::text).containsExactly(want[1], want[2]);
            }
        }
    }

    /** The text after the last assistant marker, with the space that follows it. */
    private static String finalTurn(String dialogue) {
        return dialogue.substring(dialogue.lastIndexOf(ASSISTANT) + ASSISTANT.length());
    }

    // ---- UltraFeedback pairs ----------------------------------------------------------------

    @Test
    void ultraFeedbackPairsReadInTheAlpacaPairwiseLayout() throws Exception {
        Path file = RealData.require("ultrafeedback-pairs").resolve("lowavg-sample.jsonl.gz");
        List<JsonNode> raw = jsonLines(file);
        assertThat(raw).hasSize(11_262);
        Set<String> distinctPrompts = new HashSet<>();
        for (JsonNode row : raw) {
            distinctPrompts.add(fullPrompt(row));
        }

        try (RunStore store = TestFiles.ingest(dir.resolve("run.duckdb"), IngestOptions.defaults(), file)) {
            List<KeyedItem> items = stored(store, null);

            assertThat(store.inputs().get(0).layout()).isEqualTo("pairwise");
            assertThat(items).hasSize(11_262);
            assertThat(items).extracting(k -> k.item().id()).filteredOn(id -> id.contains("#"))
                    .hasSize(11_262 - distinctPrompts.size());
            assertThat(store.hasInputScores()).isFalse();
            for (KeyedItem k : items) {
                JsonNode row = raw.get(k.key());
                Item item = k.item();
                assertThat(item.prompt()).isEqualTo(row.get("instruction").textValue());
                assertThat(item.fullPrompt()).isEqualTo(fullPrompt(row));
                assertThat(item.responses()).containsExactly(
                        new Response(row.get("chosen").textValue(), Response.ABSENT, 1, null),
                        new Response(row.get("rejected").textValue(), Response.ABSENT, 0, null));
            }
        }
    }

    /** The instruction, then the input after a blank line when there is one. */
    private static String fullPrompt(JsonNode row) {
        String instruction = row.get("instruction").textValue();
        String input = row.path("input").asText("");
        return input.isEmpty() ? instruction : instruction + "\n\n" + input;
    }
}
