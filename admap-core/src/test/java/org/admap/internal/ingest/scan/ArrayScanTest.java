package org.admap.internal.ingest.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.admap.Progress;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan of JSON arrays, cut into ranges at element starts, against what the full ingest reads. */
class ArrayScanTest {

    @TempDir
    Path dir;

    @Test
    void arraysOfEveryScannedLayoutAndStyleAreScannedAsTheFullIngestReadsThem() throws Exception {
        String[][] layouts = {
            {"multi", ScoreScanTest.mixedRows(300, 21)},
            {"pairwise", PairwiseScanTest.pairRows(300, 22)},
            {"ultrafeedback", UltraFeedbackScanTest.rawRows(120, 23)},
            {"long", LongScanTest.longRows(300, 24)},
        };
        for (String[] layout : layouts) {
            for (ArrayStyles.Style style : ArrayStyles.Style.values()) {
                Path file = write(layout[0] + "-" + style + ".json", ArrayStyles.of(layout[1], style, 7));
                List<ScannedRows.Row> expected = layout[0].equals("long") ? LongScanTest.grouped(file)
                        : ScannedRows.fullIngest(file);
                assertThat(expected).as("%s %s", layout[0], style).isNotEmpty();
                for (int threads : new int[] {1, 3}) {
                    for (long minRange : new long[] {1, 997, 1 << 22}) {
                        ScannedScores scan = ScoreScan.scan(List.of(file), threads, Progress.Factory.NONE, minRange);
                        assertThat(scan.layout(0).layout().cliName()).isEqualTo(layout[0]);
                        assertThat(ScannedRows.of(scan, file))
                                .as("%s %s, %d threads, ranges of %d bytes", layout[0], style, threads, minRange)
                                .isEqualTo(expected);
                        if (minRange == 1) {
                            assertThat(scan.chunkCount()).as("the array was cut").isGreaterThan(1);
                        }
                    }
                }
            }
        }
    }

    @Test
    void promptsNotKeptInMemoryAreReadBackFromEveryArrayStyle() throws Exception {
        for (ArrayStyles.Style style : ArrayStyles.Style.values()) {
            Path file = write("budget-" + style + ".json", ArrayStyles.of(ScoreScanTest.mixedRows(200, 41), style, 5));
            ScannedScores scan = ScoreScan.scan(List.of(file), 2, Progress.Factory.NONE, 1, new PromptBudget(0));
            assertThat(ScannedRows.of(scan, file)).as(style.toString()).isEqualTo(ScannedRows.fullIngest(file));
        }
    }

    @Test
    void elementsTheHandWrittenReaderLeavesAloneAreReadByJacksonInTheMultiResponseLayout() throws Exception {
        // an escaped member name, a big integer, a negative zero: Jackson's, inside a multi-line element
        String rows = """
                {"prompt": "a", "responses": [{"text": "x", "score": 1}]}
                {"pr\\u006fmpt": "b", "responses": [{"text": "y", "score": 12345678901234567890}]}
                {"prompt": "c", "responses": [{"text": "z", "score": -0}, {"text": "w", "label": 2}]}
                {"prompt": "d", "responses": [{"text": "v", "score": 3}]}
                """;
        Path file = write("jackson.json", ArrayStyles.of(rows, ArrayStyles.Style.INDENT_2, 1));

        ScannedScores scan = ScoreScan.scan(List.of(file), 2, Progress.Factory.NONE, 1);

        assertThat(ScannedRows.of(scan, file)).isEqualTo(ScannedRows.fullIngest(file)).hasSize(4);
    }

    @Test
    void aGzipArrayIsCutIntoBlocksAtElementStartsWithTheSameResult() throws Exception {
        String array = ArrayStyles.of(ScoreScanTest.mixedRows(400, 31), ArrayStyles.Style.INDENT_2, 3);
        Path plain = write("plain.json", array);
        Path gzip = dir.resolve("rows.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
            out.write(array.getBytes(StandardCharsets.UTF_8));
        }

        ScannedScores scan = ScoreScan.scan(List.of(gzip), 2, Progress.Factory.NONE, 1000);

        assertThat(scan.chunkCount()).isGreaterThan(1);
        // offsets in a gzip file are those of its decompressed bytes: the plain file's
        assertThat(ScannedRows.of(scan, plain)).isEqualTo(ScannedRows.fullIngest(gzip));
    }

    @Test
    void aNestedObjectStartingWithTheFirstElementsNameIsNeverACutInAnIndentedArray() throws Exception {
        // every response starts with the member that starts each row: only the indentation tells them apart
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            rows.append("{\"note\": ").append(i).append(", \"prompt\": \"p").append(i)
                    .append("\", \"responses\": [{\"note\": 0, \"text\": \"a\", \"score\": 1}, {\"note\": 1,")
                    .append(" \"text\": \"b\", \"score\": ").append(i % 7).append("}]}\n");
        }
        Path indented = write("indented.json", ArrayStyles.of(rows.toString(), ArrayStyles.Style.INDENT_2, 1));
        Path oneLine = write("one-line.json", ArrayStyles.of(rows.toString(), ArrayStyles.Style.ONE_LINE, 1));

        ScannedScores scan = ScoreScan.scan(List.of(indented), 2, Progress.Factory.NONE, 1);
        assertThat(scan.chunkCount()).isGreaterThan(1);
        assertThat(ScannedRows.of(scan, indented)).isEqualTo(ScannedRows.fullIngest(indented));

        // on one line a response can be taken for an element; the range before it then ends inside one
        assertThatThrownBy(() -> ScoreScan.scan(List.of(oneLine), 2, Progress.Factory.NONE, 1))
                .isInstanceOf(NotScannable.class).hasMessageContaining("inside an element");
        assertThat(ScannedRows.of(ScoreScan.scan(List.of(oneLine), 2, Progress.Factory.NONE, 1 << 22), oneLine))
                .as("as one range").isEqualTo(ScannedRows.fullIngest(oneLine));
    }

    @Test
    void brokenArraysAreLeftToTheFullIngest() throws Exception {
        String ok = "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": 1}]}";
        List<String> broken = List.of(
                "[" + ok + ", " + ok + ",]",
                "[" + ok + ", " + ok,
                "[" + ok + " " + ok + "]",
                "[" + ok + ", 3, " + ok + "]",
                "[" + ok + "] [" + ok + "]",
                "[" + ok + ", {\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": 1}]]");
        for (String array : broken) {
            Path file = write("broken.json", array);
            for (long minRange : new long[] {1, 1 << 22}) {
                assertThatThrownBy(() -> ScoreScan.scan(List.of(file), 2, Progress.Factory.NONE, minRange))
                        .as(array).isInstanceOf(NotScannable.class);
            }
        }
    }

    @Test
    void arraysAreScannedWithTheDefaultOptionsInTheLayoutsTheScanReads() throws Exception {
        Path multi = write("m.json", "[{\"prompt\": \"q\", \"responses\": [{\"text\": \"x\", \"score\": 1}]}]");
        Path unpaired = write("u.json", "[{\"prompt\": \"p\", \"completion\": \"a\", \"label\": true}]");

        assertThat(ScoreScan.unsupportedReason(List.of(multi), IngestOptions.defaults())).isNull();
        assertThat(ScoreScan.unsupportedReason(List.of(multi), IngestOptions.defaults().withLayout(Layout.MULTI)))
                .isNull();
        assertThat(ScoreScan.unsupportedReason(List.of(unpaired), IngestOptions.defaults()))
                .contains("unpaired layout");
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
