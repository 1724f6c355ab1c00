package org.admap.internal.columns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.admap.Progress;
import org.admap.ingest.DatasetReader;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.MultiResponseRow;
import org.admap.internal.ingest.scan.ScannedScores;
import org.admap.internal.ingest.scan.ScoreScan;
import org.admap.map.ScanMap;
import org.admap.model.Item;
import org.admap.model.SourceLocation;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Items and texts read back by offset, whatever lies around them on their lines. */
class InputTextsTest {

    @TempDir
    Path dir;

    private static String row(String id, String prompt, String tail, String... texts) {
        StringBuilder b = new StringBuilder("{\"id\":\"" + id + "\",\"prompt\":\"" + prompt + "\",\"responses\":[");
        for (int i = 0; i < texts.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"text\":\"").append(texts[i]).append("\",\"score\":")
                    .append(i + 1).append(",\"label\":").append(texts.length - i).append("}");
        }
        return b.append("]").append(tail).append("}").toString();
    }

    @Test
    void itemsOfAJsonArrayAreReadWhateverTheOrderOfTheirMembersAndTheLinesTheySpan() throws IOException {
        String responses = "\"responses\": [\n      {\n        \"text\": \"%s one\",\n        \"score\": 1\n"
                + "      },\n      {\n        \"text\": \"%s two \\u00e9\",\n        \"score\": 2\n      }\n    ]";
        List<String> elements = List.of(
                // texts, then the prompt, its input and a reference after them
                "{\n    \"id\": \"a\",\n    " + responses.formatted("a", "a") + ",\n    \"prompt\": \"late\",\n"
                        + "    \"input\": \"and its input\",\n    \"reference\": \"ref a\"\n  }",
                // a reference first, and a prompt far longer than the margin read past the last text
                "{\n    \"reference\": \"ref b\",\n    " + responses.formatted("b", "b") + ",\n    \"prompt\": \""
                        + "p".repeat(5000) + "\"\n  }",
                // a long input between the prompt and the texts
                "{\n    \"prompt\": \"early\",\n    \"input\": \"" + "i".repeat(3000) + "\",\n    "
                        + responses.formatted("c", "c") + "\n  }");
        Path data = Files.writeString(dir.resolve("d.json"), "[\n  " + String.join(",\n  ", elements) + "\n]\n");
        Path run = Files.createDirectories(dir.resolve("run"));
        writeColumns(data, run);
        try (RunColumns columns = RunColumns.open(run); InputTexts texts = new InputTexts(columns);
             DatasetReader reader = DatasetReader.open(data, IngestOptions.defaults())) {
            for (int key = 0; key < elements.size(); key++) {
                Item want = reader.next();
                Item got = texts.item(key);
                assertThat(List.of(got.id(), got.prompt(), got.input(), String.valueOf(got.reference())))
                        .as("item %d", key)
                        .containsExactly(want.id(), want.prompt(), want.input(), String.valueOf(want.reference()));
                assertThat(got.responses()).as("item %d", key).isEqualTo(want.responses());
            }
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void everyItemIsItsLineAsTheFullIngestReadsItWhateverItsLengthAroundTheTexts() throws IOException {
        String longId = "id-" + "x".repeat(3000); // the line starts far before the prompt
        String longTail = ",\"note\":\"" + "y".repeat(5000) + "\""; // and ends far after the last text
        List<String> lines = List.of(
                row("a", "first", "", "r1", "r2", "r3"),
                row(longId, "a long id before me", "", "s1", "s2", "s3"),
                row("c", "a long tail after me", longTail, "t1", "t2", "t3"),
                row(longId, "both", longTail, "u1", "u\\n2", "u3"),
                row("e", "short " + "z".repeat(400), "", "v1", "v2", "v3"),
                row("f", "a long tail again", longTail, "w1", "w2", "w3"),
                row("g", "a reference \\u00e9", ",\"reference\":\"r \\\"\\u4e16\\\" \\ud83d\\ude00\"", "x\\/1",
                        "x\\u0000\\t2", "\u00e9\u4e16 3"),
                row("h", "a blank reference", ",\"reference\":\"\\u0020 \"", "y1", "y2", "y3"),
                row("i", "a null reference", ",\"reference\":null", "z1", "z2", "z3"));
        Path data = Files.writeString(dir.resolve("d.jsonl"), String.join("\n", lines));
        Path run = Files.createDirectories(dir.resolve("run"));
        writeColumns(data, run);
        try (RunColumns columns = RunColumns.open(run); InputTexts texts = new InputTexts(columns)) {
            assertThat(columns.items()).isEqualTo(lines.size());
            for (int key = 0; key < lines.size(); key++) {
                Item want = MultiResponseRow.read(lines.get(key).getBytes(StandardCharsets.UTF_8),
                        SourceLocation.line(abs(data), 0));
                Item got = texts.item(key);
                assertThat(got.prompt()).as("item %d", key).isEqualTo(want.prompt());
                assertThat(got.responses()).as("item %d", key).isEqualTo(want.responses());
                assertThat(texts.prompt(key)).isEqualTo(want.fullPrompt());
                assertThat(got.reference()).as("item %d", key).isEqualTo(want.reference());
                assertThat(got).as("from the literals as by the parse, item %d", key).isEqualTo(texts.parsedItem(key));
                int from = columns.responseStart(key);
                for (int r = from; r < columns.responseEnd(key); r++) {
                    assertThat(texts.response(key, r)).isEqualTo(want.responses().get(r - from).text());
                }
            }
            assertThat(texts.item(1).id()).isEqualTo(longId);
        }
    }

    /** Writes the lines as an input and its columns under dir/NAME; the input's path. */
    private Path mapped(String name, List<String> lines) throws IOException {
        Path data = Files.writeString(dir.resolve(name + ".jsonl"), String.join("\n", lines));
        Path run = Files.createDirectories(dir.resolve(name));
        writeColumns(data, run);
        return data;
    }

    /** Scans {@code data} and writes its columns into {@code run}, as {@code admap map} does. */
    private static void writeColumns(Path data, Path run) throws IOException {
        try (ScannedScores scan = ScoreScan.scan(List.of(data), 2, Progress.Factory.NONE)) {
            Path abs = data.toAbsolutePath();
            RunColumns.write(run, List.of(new RunColumns.InputFile(abs.toString(), Files.size(abs),
                    Files.getLastModifiedTime(abs).toMillis())), scan, ScanMap.build(scan, null, Correlation.COSINE));
        } catch (org.admap.internal.ingest.scan.NotScannable e) {
            throw new AssertionError(e);
        }
    }

    private static String cut(String s, int maxChars) {
        return s.codePointCount(0, s.length()) <= maxChars ? s : s.substring(0, s.offsetByCodePoints(0, maxChars));
    }

    /**
     * The cut prompt and input (read from the bytes for plain ASCII, decoded whole otherwise)
     * are the whole ones cut, for ASCII, escapes, characters beyond ASCII, inputs (empty
     * ones too) and prompts longer than the first read.
     */
    @Test
    void cutPromptsAndInputsAreTheWholeOnesCut() throws IOException {
        List<String> lines = List.of(
                row("a", "plain ascii prompt", "", "r1", "r2"),
                row("b", "with an escape \\n here", "", "r1", "r2"),
                row("c", "caf\\u00e9 and \\u4e16\\ud83d\\ude00 beyond", "", "r1", "r2"),
                row("d", "raw \u00e9\u4e16\uD83D\uDE00 bytes", "", "r1", "r2"),
                row("e", "with input", ",\"input\":\"the input text\"", "r1", "r2"),
                row("f", "with an empty input", ",\"input\":\"\"", "r1", "r2"),
                row("g", "ascii prompt", ",\"input\":\"but an input \u00e9 beyond\"", "r1", "r2"),
                row("h", "long " + "w".repeat(3000), ",\"input\":\"" + "v".repeat(2500) + "\"", "r1", "r2"));
        mapped("cut", lines);
        try (RunColumns columns = RunColumns.open(dir.resolve("cut")); InputTexts texts = new InputTexts(columns)) {
            assertThat(columns.items()).isEqualTo(lines.size());
            for (int key = 0; key < lines.size(); key++) {
                String[] whole = texts.promptAndInput(key);
                for (int max : new int[] {1, 5, 20, 104, 4000}) {
                    assertThat(texts.promptAndInputCut(key, max)).as("item %d, %d chars", key, max)
                            .containsExactly(cut(whole[0], max), cut(whole[1], max));
                }
            }
            assertThat(texts.promptAndInput(4)[1]).isEqualTo("the input text");
        }
    }

    /** A prompt or input changed in place (same size and time) is an error naming the input, not a wrong excerpt. */
    @Test
    void aChangedAsciiPromptIsAnErrorNotAWrongExcerpt() throws IOException {
        Path data = mapped("changed", List.of(row("a", "the original prompt", "", "r1", "r2"),
                row("b", "second", ",\"input\":\"an input\"", "r1", "r2")));
        long modified = Files.getLastModifiedTime(data).toMillis();
        String text = Files.readString(data);
        Files.writeString(data, text.replace("the original prompt", "the altered  prompt")
                .replace("an input", "an outpu"));
        Files.setLastModifiedTime(data, FileTime.fromMillis(modified)); // the size and time it was mapped with
        try (RunColumns columns = RunColumns.open(dir.resolve("changed")); InputTexts texts = new InputTexts(columns)) {
            for (int key = 0; key < 2; key++) {
                int k = key;
                assertThatThrownBy(() -> texts.promptAndInputCut(k, 10)).as("item %d", k)
                        .isInstanceOf(InputChangedException.class)
                        .hasMessageContaining(data.toAbsolutePath().toString());
            }
        }
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().toString();
    }
}
