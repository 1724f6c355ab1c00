package org.admap.internal.ingest.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.admap.Progress;
import org.admap.ingest.DatasetReader;
import org.admap.ingest.IngestOptions;
import org.admap.model.Item;
import org.admap.model.ItemScores;
import org.admap.model.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreScanTest {

    @TempDir
    Path dir;

    /** What the full ingest reads, reduced to what the scan keeps: id, full prompt, scores, labels. */
    private record Row(String id, String prompt, List<Double> scores, List<Double> labels) {
    }

    @Test
    void scanGivesWhatTheFullIngestReadsWhateverTheRangesAndThreads() throws Exception {
        Path file = write("mixed.jsonl", mixedRows(400, 7));
        List<Row> expected = fullIngest(file);

        for (int threads : new int[] {1, 2, 3}) {
            for (long minRange : new long[] {1, 97, 4096, 1 << 22}) {
                ScannedScores scan = ScoreScan.scan(List.of(file), threads, Progress.Factory.NONE, minRange);
                assertThat(rows(scan)).as("threads %d, ranges of %d bytes", threads, minRange)
                        .isEqualTo(expected);
                assertThat(scan.items()).isEqualTo(expected.size());
            }
        }
    }

    @Test
    void promptsAreTheSameWhetherKeptInMemoryOrReadBackFromTheFile() throws Exception {
        Path file = write("mixed.jsonl", mixedRows(300, 5));
        List<Row> expected = fullIngest(file);

        for (long budget : new long[] {0, 2000, Long.MAX_VALUE / 2}) { // none kept, some chunks kept, all kept
            assertThat(rows(ScoreScan.scan(List.of(file), 2, Progress.Factory.NONE, 512, new PromptBudget(budget))))
                    .as("budget %d", budget).isEqualTo(expected);
        }
    }

    /** Prompts handed over as JSON literals (no input, or an empty one) are the whole prompt, kept or read back. */
    @Test
    void literalsHandedOverAreTheWholePromptWhetherKeptOrReadBack() throws Exception {
        Path file = write("mixed.jsonl", mixedRows(300, 6));
        List<String> expected = fullIngest(file).stream().map(Row::prompt).toList();

        for (long budget : new long[] {0, 2000, Long.MAX_VALUE / 2}) {
            ScannedScores scan = ScoreScan.scan(List.of(file), 2, Progress.Factory.NONE, 512, new PromptBudget(budget));
            String[] prompts = new String[expected.size()];
            int[] literals = {0};
            scan.forEachPrompt(new ScannedScores.PromptConsumer() {
                @Override
                public void accept(int key, String id, String prompt) {
                    prompts[key] = prompt;
                }

                @Override
                public void acceptLiteral(int key, String id, byte[] json, int quote, int end) throws IOException {
                    assertThat(json[quote]).isEqualTo((byte) '"');
                    prompts[key] = JsonStrings.at(json, quote, end);
                    literals[0]++;
                }
            });
            assertThat(prompts).as("budget %d", budget).containsExactlyElementsOf(expected);
            assertThat(literals[0]).as("budget %d", budget).isGreaterThan(expected.size() / 2);
        }
    }

    @Test
    void gzipIsDecompressedOnOneThreadAndScannedOnOthersWithTheSameResult() throws Exception {
        String content = mixedRows(300, 11);
        Path plain = write("mixed.jsonl", content);
        Path gz = dir.resolve("mixed.jsonl.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        List<Row> expected = fullIngest(plain);

        for (int threads : new int[] {1, 2}) {
            for (long block : new long[] {7, 300, 1 << 22}) { // 7 bytes: every line is longer than a block
                assertThat(rows(ScoreScan.scan(List.of(gz), threads, Progress.Factory.NONE, block)))
                        .as("threads %d, blocks of %d bytes", threads, block).isEqualTo(expected);
            }
        }
        assertThat(rows(ScoreScan.scan(List.of(plain, gz), 2, Progress.Factory.NONE)))
                .hasSize(2 * expected.size());
    }

    @Test
    void parquetIsProjectedByDuckDbToTheColumnsTheLayoutReadsWithTheSameResult() throws Exception {
        Path jsonl = write("p.jsonl", """
                {"id": "a", "prompt": "p1", "responses": [{"text": "x", "score": 1.1, "label": 2, "model": "m"},\
                 {"text": "y", "score": 2.25, "label": 1, "model": "n"}]}
                {"id": null, "prompt": "p2, \\"quoted\\"\\nline", "responses": [{"text": "x", "score": null,\
                 "label": 3, "model": null}, {"text": "y", "score": 0.1, "label": null, "model": "n"}]}
                {"id": "c", "prompt": "p3", "responses": [{"text": "x", "score": 1e-7, "label": 5, "model": "m"},\
                 {"text": "y", "score": 7, "label": 4, "model": "m"}, {"text": "z", "score": 3.3333333333333335,\
                 "label": 1, "model": "m"}]}
                """);
        Path parquet = dir.resolve("p.parquet");
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM read_json('" + jsonl + "', format = 'newline_delimited', columns = {id:"
                    + " 'VARCHAR', prompt: 'VARCHAR', responses: 'STRUCT(text VARCHAR, score DOUBLE, label DOUBLE,"
                    + " model VARCHAR)[]'})) TO '" + parquet + "' (FORMAT parquet)");
        }
        List<Row> expected = fullIngest(parquet);

        try (ScannedScores scan = ScoreScan.scan(List.of(parquet), 2, Progress.Factory.NONE, 1)) {
            assertThat(rows(scan)).isEqualTo(expected);
        }
        assertThat(ScoreScan.unsupportedReason(List.of(parquet), IngestOptions.defaults())).isNull();
    }

    @Test
    void repeatedIdsAreRenamedAsTheStoreRenamesThem() throws Exception {
        Path file = write("dups.jsonl", """
                {"id": "a", "prompt": "p1", "responses": [{"text": "x", "score": 1}, {"text": "y", "score": 2}]}
                {"id": "a", "prompt": "p2", "responses": [{"text": "x", "score": 1}, {"text": "y", "score": 2}]}
                {"id": "a#2", "prompt": "p3", "responses": [{"text": "x", "score": 1}, {"text": "y", "score": 2}]}
                {"id": "a", "prompt": "p4", "responses": [{"text": "x", "score": 1}, {"text": "y", "score": 2}]}
                """);

        ScannedScores scan = ScoreScan.scan(List.of(file), 2, Progress.Factory.NONE, 1);

        assertThat(rows(scan).stream().map(Row::id)).containsExactly("a", "a#2", "a#2#2", "a#3");
        assertThat(scan.renamedIds()).isEqualTo(3);
    }

    @Test
    void fiftyThousandRowsSharingAnIdAreRenamedInLinearTime() throws Exception {
        // the search from #2 for every copy made 40,000 such rows take minutes
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            sb.append("{\"id\": \"same\", \"prompt\": \"p\", \"responses\": [{\"text\": \"x\", \"score\": 1},"
                    + " {\"text\": \"y\", \"score\": 2}]}\n");
        }
        Path file = write("same.jsonl", sb.toString());
        try (ScannedScores scan = ScoreScan.scan(List.of(file), 2, Progress.Factory.NONE, 1)) {
            List<String> ids = rows(scan).stream().map(Row::id).toList();
            assertThat(ids).hasSize(50_000).startsWith("same", "same#2").endsWith("same#50000");
            assertThat(scan.renamedIds()).isEqualTo(49_999);
        }
    }

    @Test
    void textsNeverNeededAreNotRequiredToBeValidBeyondJson() throws Exception {
        // the scan keeps no text, but prompts come back exactly, escapes and all
        Path file = write("esc.jsonl", "{\"prompt\": \"tab\\there \\u00e9\\ud83d\\ude00 \\\"q\\\"\", \"responses\": "
                + "[{\"text\": \"a\", \"score\": 1.5}, \"plain string\", {\"text\": \"b\", \"score\": 2}]}\n");

        assertThat(rows(ScoreScan.scan(List.of(file), 1, Progress.Factory.NONE))).isEqualTo(fullIngest(file));
    }

    @Test
    void aParquetResponseWithoutTextIsLeftToTheFullIngest() throws Exception {
        Path parquet = dir.resolve("null-text.parquet");
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            st.execute("COPY (SELECT 'p' || i AS prompt, [{'text': CASE WHEN i = 2 THEN NULL ELSE 'x' END, 'score': i,"
                    + " 'model': 'm'}, {'text': 'y', 'score': 1.5, 'model': NULL}] AS responses FROM range(3) t(i))"
                    + " TO '" + parquet + "' (FORMAT parquet)");
        }
        assertThatThrownBy(() -> ScoreScan.scan(List.of(parquet), 2, Progress.Factory.NONE, 1))
                .isInstanceOf(NotScannable.class);
    }

    @Test
    void unusualShapesAreLeftToTheFullIngest() throws Exception {
        String ok = "{\"prompt\": \"p\", \"responses\": [{\"text\": \"x\", \"score\": 1}, {\"text\": \"y\", " +
                "\"score\": 2}]}";
        List<String> unusual = List.of(
                "{\"prompt\": \"p\", \"responses\": [{\"text\": \"x\", \"score\": \"7\"}]}",
                "{\"prompt\": \"p\", \"reference\": [\"a\"], \"responses\": [{\"text\": \"x\", \"score\": 1}]}",
                "{\"prompt\": \"p\", \"prompt\": \"q\", \"responses\": [{\"text\": \"x\", \"score\": 1}]}",
                "{\"prompt\": \"p\", \"responses\": []}",
                "{\"prompt\": \"p\", \"responses\": [{\"score\": 1}]}",
                "{\"prompt\": \"p\", \"responses\": [{\"text\": \"x\", \"score\": NaN}]}",
                "{\"responses\": [{\"text\": \"x\", \"score\": 1}]}",
                ok + " " + ok,
                "[1, 2]",
                "{\"prompt\": \"p\", \"responses\": [{\"text\": \"x\", \"score\": 1}");
        for (String row : unusual) {
            Path file = write("odd.jsonl", ok + "\n" + row + "\n" + ok + "\n");
            assertThatThrownBy(() -> ScoreScan.scan(List.of(file), 2, Progress.Factory.NONE, 1))
                    .as(row).isInstanceOf(NotScannable.class);
        }
    }

    @Test
    void onlyJsonLinesInTheMultiOrPairwiseLayoutWithDefaultOptionsAreScanned() throws Exception {
        Path multi = write("m.jsonl", mixedRows(3, 1));
        Path unpaired = write("u.jsonl", "{\"prompt\": \"p\", \"completion\": \"a\", \"label\": true}\n");

        assertThat(ScoreScan.unsupportedReason(List.of(multi), IngestOptions.defaults())).isNull();
        assertThat(ScoreScan.unsupportedReason(List.of(multi, unpaired), IngestOptions.defaults()))
                .contains("multi-response");
        assertThat(ScoreScan.unsupportedReason(List.of(multi), IngestOptions.defaults().withSkipBadRows(true)))
                .contains("options");
    }

    @Test
    void aLineLongerThanTheBlockIsReadWhole() throws Exception {
        String content = mixedRows(50, 3);
        Path file = write("long.jsonl", content);
        List<String> lines = new ArrayList<>();
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            LineBlocks.read(ch, 0, ch.size(), ch.size(), 16, (buf, from, to, base) -> {
                String block = new String(buf, from, to - from, StandardCharsets.UTF_8);
                assertThat(block).endsWith("\n");
                lines.addAll(List.of(block.split("\n", -1)).subList(0, block.split("\n", -1).length - 1));
            });
        }
        assertThat(String.join("\n", lines) + "\n").isEqualTo(content);
    }

    private static List<Row> rows(ScannedScores scan) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<ItemScores> numbers = new ArrayList<>();
        scan.forEachItem(false, numbers::add);
        scan.forEachPrompt((key, id, prompt) -> {
            ItemScores s = numbers.get(key);
            assertThat(s.id()).isEqualTo(id);
            rows.add(new Row(id, prompt, boxed(s.scores()), boxed(s.labels())));
        });
        return rows;
    }

    private static List<Row> fullIngest(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            for (Item item; (item = reader.next()) != null; ) {
                assertThat(seen.add(item.id())).as("test data repeats no id").isTrue();
                rows.add(new Row(item.id(), item.fullPrompt(),
                        item.responses().stream().map(Response::score).toList(),
                        item.responses().stream().map(Response::label).toList()));
            }
        }
        return rows;
    }

    private static List<Double> boxed(double[] xs) {
        List<Double> list = new ArrayList<>();
        for (double x : xs) {
            list.add(x);
        }
        return list;
    }

    /** Rows of every shape the scan reads: with and without ids, inputs, references, models, extra fields, nulls. */
    static String mixedRows(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("\uFEFF");
        for (int i = 0; i < n; i++) {
            StringBuilder row = new StringBuilder("{");
            List<String> fields = new ArrayList<>();
            if (r.nextInt(3) > 0) {
                fields.add(r.nextBoolean() ? "\"id\": \"q" + i + "\"" : "\"id\": " + (100000 + i));
            } else if (r.nextInt(4) == 0) {
                fields.add("\"id\": \"  \"");
            }
            fields.add("\"prompt\": \"prompt " + i + (r.nextBoolean() ? " with \\\"quotes\\\", commas\\nand lines" : "")
                    + (r.nextInt(5) == 0 ? " caf\u00e9 \u4e2d\u6587" : "") + "\"");
            if (r.nextInt(4) == 0) {
                fields.add(r.nextBoolean() ? "\"input\": \"the input " + i + "\"" : "\"input\": \"\"");
            }
            if (r.nextInt(5) == 0) {
                fields.add("\"reference\": \"ref\"");
            }
            if (r.nextInt(6) == 0) {
                fields.add("\"meta\": {\"a\": [1, {\"b\": \"c\"}], \"prompt\": 3}");
            }
            StringBuilder responses = new StringBuilder("\"responses\": [");
            int k = 1 + r.nextInt(5);
            for (int j = 0; j < k; j++) {
                if (j > 0) {
                    responses.append(", ");
                }
                List<String> rf = new ArrayList<>();
                rf.add("\"text\": \"response " + j + " \\u00e9\"");
                int s = r.nextInt(10);
                if (s < 7) {
                    rf.add("\"score\": " + (r.nextBoolean() ? String.valueOf(r.nextInt(10))
                            : String.valueOf(Math.round(r.nextDouble() * 1000) / 100.0)));
                } else if (s == 7) {
                    rf.add("\"score\": null");
                }
                if (r.nextBoolean()) {
                    rf.add("\"label\": " + (1 + r.nextInt(5)));
                }
                if (r.nextBoolean()) {
                    rf.add("\"model\": \"m" + j + "\"");
                }
                if (r.nextInt(8) == 0) {
                    rf.add("\"extra\": {\"x\": [1, 2]}");
                }
                java.util.Collections.shuffle(rf, r);
                responses.append("{").append(String.join(", ", rf)).append("}");
            }
            responses.append("]");
            fields.add(responses.toString());
            java.util.Collections.shuffle(fields, r);
            row.append(String.join(", ", fields)).append("}");
            sb.append(row).append(r.nextInt(10) == 0 ? "\r\n" : "\n");
            if (r.nextInt(20) == 0) {
                sb.append("   \n");
            }
        }
        return sb.toString();
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
