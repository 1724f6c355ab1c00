package org.admap.internal.columns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.admap.Progress;
import org.admap.ingest.MultiResponseRow;
import org.admap.internal.ingest.scan.NotScannable;
import org.admap.internal.ingest.scan.ScannedScores;
import org.admap.internal.ingest.scan.ScoreScan;
import org.admap.map.ScanMap;
import org.admap.model.Item;
import org.admap.model.SourceLocation;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The responses' models as the columns record them at scan time are those the full ingest
 * reads, by either of the scan's parsers; columns of version 1, which have none, are still read.
 */
class RunColumnsModelsTest {

    @TempDir
    Path dir;

    /** Rows of every way a model can be given, some on the plain scanner's path, some on Jackson's. */
    private static List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String score = i % 9 == 0 ? "1e0" : Integer.toString(i % 10); // an exponent: Jackson's path
            lines.add("{\"id\":\"r" + i + "\",\"prompt\":\"p" + i + "\",\"responses\":["
                    + "{\"text\":\"a\",\"score\":" + score + ",\"model\":\"m" + (i % 70) + "\"},"
                    + "{\"model\":null,\"text\":\"b\",\"score\":2},"
                    + "{\"text\":\"c\",\"score\":3,\"meta\":{\"model\":\"not-this\"}},"
                    + "\"just text\","
                    + "{\"text\":\"d\",\"score\":4,\"model\":\"" + (i % 2 == 0 ? "gpt-4" : "gpt\\u002d4") + "\"},"
                    + "{\"text\":\"e\",\"score\":5,\"model\":\"caf\u00e9 \\\"q\\\" \\ud83d\\ude00\"}"
                    + "],\"meta\":{\"responses\":[{\"model\":\"nor-this\"}]}}");
        }
        return lines;
    }

    private Path run(List<String> lines) throws IOException {
        Path data = Files.writeString(dir.resolve("d.jsonl"), String.join("\n", lines) + "\n");
        Path run = Files.createDirectories(dir.resolve("run"));
        Path abs = data.toAbsolutePath();
        try (ScannedScores scan = ScoreScan.scan(List.of(data), 3, Progress.Factory.NONE)) {
            RunColumns.write(run, List.of(new RunColumns.InputFile(abs.toString(), Files.size(abs),
                    Files.getLastModifiedTime(abs).toMillis())), scan, ScanMap.build(scan, null, Correlation.COSINE));
        } catch (NotScannable e) {
            throw new AssertionError(e);
        }
        return run;
    }

    @Test
    void everyResponsesModelIsTheOneTheFullIngestReads() throws IOException {
        List<String> lines = lines();
        Path run = run(lines);
        try (RunColumns columns = RunColumns.open(run); InputTexts texts = new InputTexts(columns)) {
            assertThat(columns.hasModels()).isTrue();
            Set<String> seen = new HashSet<>();
            for (int key = 0; key < lines.size(); key++) {
                Item want = MultiResponseRow.read(lines.get(key).getBytes(StandardCharsets.UTF_8),
                        SourceLocation.line("d.jsonl", key + 1));
                int from = columns.responseStart(key);
                String[] got = new String[columns.responseEnd(key) - from];
                for (int r = from; r < columns.responseEnd(key); r++) {
                    got[r - from] = columns.model(r);
                    if (got[r - from] != null) {
                        seen.add(got[r - from]);
                    }
                }
                String[] expected = want.responses().stream().map(x -> x.model()).toArray(String[]::new);
                assertThat(got).as("item %d", key).containsExactly(expected);
                assertThat(texts.models(key)).as("the per-line read, item %d", key).containsExactly(expected);
            }
            // one entry per name, however it was spelled: 70 m's, gpt-4 and the unicode one
            assertThat(columns.header().models()).hasSize(72).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(seen).contains("gpt-4", "caf\u00e9 \"q\" \ud83d\ude00")
                    .doesNotContain("not-this", "nor-this");
        }
    }

    @Test
    void columnsOfVersionOneAreReadWithoutModels() throws IOException {
        List<String> lines = lines();
        Path run = run(lines);
        Path file = run.resolve(RunColumns.FILE);
        List<Integer> ends = new ArrayList<>();
        try (RunColumns columns = RunColumns.open(run)) {
            for (int key = 0; key < columns.items(); key++) {
                ends.add(columns.responseEnd(key));
            }
        }
        OlderColumns.rewrite(run, 1);
        assertThat(OlderColumns.version(run)).isEqualTo(1);
        try (RunColumns columns = RunColumns.open(run); InputTexts texts = new InputTexts(columns)) {
            assertThat(columns.hasModels()).isFalse();
            assertThat(columns.header().models()).isNull();
            assertThat(columns.items()).isEqualTo(lines.size());
            for (int key = 0; key < columns.items(); key++) {
                assertThat(columns.responseEnd(key)).isEqualTo(ends.get(key));
            }
            assertThat(columns.id(lines.size() - 1)).isEqualTo("r" + (lines.size() - 1));
            assertThat(columns.points()).hasSize(lines.size());
            assertThat(texts.models(1)).containsExactly("m1", null, null, null, "gpt-4",
                    "caf\u00e9 \"q\" \ud83d\ude00");
            assertThat(texts.item(5)).as("parsed from the line").isEqualTo(texts.parsedItem(5));
            assertThat(texts.item(5).responses().get(0).model()).isEqualTo("m5");
            assertThatThrownBy(() -> columns.model(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("version 1");
        }
        byte[] newer = Files.readAllBytes(file);
        ByteBuffer.wrap(newer).order(ByteOrder.LITTLE_ENDIAN).putInt(8, RunColumns.VERSION + 1);
        Files.write(file, newer);
        assertThatThrownBy(() -> RunColumns.open(run)).isInstanceOf(IOException.class)
                .hasMessageContaining("version " + (RunColumns.VERSION + 1)).hasMessageContaining("admap map");
    }
}
