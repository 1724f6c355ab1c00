package org.admap.internal.ingest.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.admap.Progress;
import org.admap.ingest.DatasetReader;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.Layout;
import org.admap.ingest.group.PromptGrouping;
import org.admap.model.Item;
import org.admap.model.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan of the long layout (one response per row) against the full ingest's reading and grouping. */
class LongScanTest {

    @TempDir
    Path dir;

    @Test
    void rowsAreGroupedIntoInstructionsAsTheFullIngestGroupsThemWhateverTheRangesAndThreads() throws Exception {
        Path file = write("long.jsonl", longRows(120, 3));
        List<ScannedRows.Row> expected = grouped(file);
        assertThat(expected).hasSize(120);

        for (int threads : new int[] {1, 3}) {
            for (long minRange : new long[] {1, 333, 1 << 22}) {
                ScannedScores scan = ScoreScan.scan(List.of(file), threads, Progress.Factory.NONE, minRange);
                assertThat(scan.layout(0).layout()).isEqualTo(Layout.LONG);
                assertThat(ScannedRows.of(scan, file)).as("threads %d, ranges of %d bytes", threads, minRange)
                        .isEqualTo(expected);
                assertThat(scan.rows(0)).isEqualTo(Files.readAllLines(file).stream().filter(l -> !l.isBlank())
                        .count());
                assertThat(scan.grouping().instructions()).isEqualTo(120);
                assertThat(scan.items()).isEqualTo(120);
            }
        }
    }

    @Test
    void promptsReadBackFromTheFileAreThoseOfEachInstructionsFirstRow() throws Exception {
        Path file = write("long.jsonl", longRows(60, 8));

        assertThat(ScannedRows.of(ScoreScan.scan(List.of(file), 2, Progress.Factory.NONE, 97, new PromptBudget(0)),
                file)).isEqualTo(grouped(file));
    }

    @Test
    void aResponseGivenTwiceAndOtherShapesAreLeftToTheFullIngest() throws Exception {
        String a = "{\"prompt\": \"p\", \"response\": \"a\", \"score\": 1}";
        List<String> others = List.of(
                "{\"prompt\": \"p\", \"response\": \"a\", \"score\": 2}", // merged into a's samples in full
                "{\"prompt\": \"p\", \"response\": \"\\u0061\", \"score\": 2}", // the same text, spelled otherwise
                "{\"prompt\": \"q\", \"response\": \"b\", \"score\": [1, 2]}",
                "{\"prompt\": \"q\", \"response\": \"b\", \"score\": \"3\"}",
                "{\"prompt\": \"q\", \"score\": 3}",
                "{\"prompt\": 4, \"response\": \"b\"}");
        for (String row : others) {
            Path file = write("other.jsonl", a + "\n" + row + "\n");
            assertThatThrownBy(() -> ScoreScan.scan(List.of(file), 1, Progress.Factory.NONE, 1))
                    .as(row).isInstanceOf(NotScannable.class);
        }
    }

    @Test
    void longFilesAreScannedOnlyAmongLongFilesAndWithoutAPreset() throws Exception {
        Path longFile = write("l.jsonl", longRows(3, 1));
        Path multi = write("m.jsonl", "{\"prompt\": \"q\", \"responses\": [{\"text\": \"x\", \"score\": 1}]}\n");
        Path alpacaEval = write("ae.jsonl", "{\"instruction\": \"i\", \"output_1\": \"a\", \"output_2\": \"b\","
                + " \"preference\": 1}\n");

        assertThat(ScoreScan.unsupportedReason(List.of(longFile), IngestOptions.defaults())).isNull();
        assertThat(ScoreScan.unsupportedReason(List.of(longFile, multi), IngestOptions.defaults()))
                .contains("mixed");
        assertThat(ScoreScan.unsupportedReason(List.of(alpacaEval), IngestOptions.defaults()))
                .contains("preset");
    }

    /** What the full ingest stores: each row read by the layout, then grouped by id. */
    static List<ScannedRows.Row> grouped(Path file) throws IOException {
        PromptGrouping grouping = new PromptGrouping(IngestOptions.defaults().grouping());
        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            for (Item item; (item = reader.next()) != null; ) {
                grouping.add(item, reader.groupsRows(), 0);
            }
        }
        List<ScannedRows.Row> rows = new ArrayList<>();
        grouping.forEach(g -> {
            Item item = g.item();
            List<Response> r = item.responses();
            rows.add(new ScannedRows.Row(item.id(), item.fullPrompt(), r.stream().map(Response::text).toList(),
                    r.stream().map(Response::score).toList(), r.stream().map(Response::label).toList(),
                    r.stream().map(Response::model).toList()));
        });
        return rows;
    }

    /**
     * Rows of {@code n} instructions, 1 to 5 responses each, shuffled so that an instruction's
     * rows are apart (and some consecutive): ids the layout ignores, scores, labels and models
     * or none, escapes and non-ASCII text, members in any order.
     */
    static String longRows(int n, long seed) {
        Random r = new Random(seed);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String prompt = "Prompt " + i + (r.nextBoolean() ? " \\\"q\\\"\\n\\u00e9" : "") + (r.nextInt(5) == 0
                    ? " \u4e2d" : "");
            int k = 1 + r.nextInt(5);
            for (int j = 0; j < k; j++) {
                List<String> fields = new ArrayList<>();
                fields.add("\"prompt\": \"" + prompt + "\"");
                fields.add("\"response\": \"answer " + j + " of " + i + (r.nextBoolean() ? " \\t\u00e9" : "") + "\"");
                if (r.nextInt(5) > 0) {
                    fields.add("\"score\": " + (r.nextInt(6) == 0 ? "null" : String.valueOf(r.nextInt(100) / 10.0)));
                }
                if (r.nextBoolean()) {
                    // -0.0: the full ingest's grouping reads it as 0.0
                    fields.add("\"label\": " + (r.nextInt(6) == 0 ? "-0.0" : String.valueOf(1 + r.nextInt(5))));
                }
                if (r.nextBoolean()) {
                    fields.add("\"model\": \"m" + j + "\"");
                }
                if (r.nextInt(3) == 0) {
                    fields.add("\"id\": \"ignored-" + j + "\", \"meta\": {\"k\": [1, 2]}");
                }
                Collections.shuffle(fields, r);
                rows.add("{" + String.join(", ", fields) + "}");
            }
        }
        // keep runs of an instruction's rows together half the time
        List<String> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); ) {
            int run = 1 + r.nextInt(4);
            out.add(String.join("\n", rows.subList(i, Math.min(rows.size(), i + run))));
            i += run;
        }
        Collections.shuffle(out, r);
        return String.join("\n", out) + "\n";
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
