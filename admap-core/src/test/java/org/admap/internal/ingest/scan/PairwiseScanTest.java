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
import org.admap.ingest.IngestOptions;
import org.admap.ingest.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan of the pairwise layout against what the full ingest reads from the same rows. */
class PairwiseScanTest {

    @TempDir
    Path dir;

    @Test
    void pairwiseRowsAreScannedAsTheFullIngestReadsThemWhateverTheRangesAndThreads() throws Exception {
        Path file = write("pairs.jsonl", pairRows(500, 11));
        List<ScannedRows.Row> expected = ScannedRows.fullIngest(file);
        assertThat(expected).hasSize(500);

        for (int threads : new int[] {1, 3}) {
            for (long minRange : new long[] {1, 211, 1 << 22}) {
                ScannedScores scan = ScoreScan.scan(List.of(file), threads, Progress.Factory.NONE, minRange);
                assertThat(scan.layout(0).layout()).isEqualTo(Layout.PAIRWISE);
                assertThat(ScannedRows.of(scan, file)).as("threads %d, ranges of %d bytes", threads, minRange)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void aResponseThatStartsWithThePromptIsScannedWhenTheOtherDoesNot() throws Exception {
        String prompt = "Write a haiku about the sea, please.\\n";
        Path file = write("one-side.jsonl", "{\"prompt\": \"" + prompt + "\", \"chosen\": \"" + prompt
                + "Waves fold\", \"rejected\": \"No.\"}\n");

        assertThat(ScannedRows.of(ScoreScan.scan(List.of(file), 1, Progress.Factory.NONE, 1), file))
                .isEqualTo(ScannedRows.fullIngest(file));
    }

    @Test
    void pairwiseRowsOfOtherSpellingsAreLeftToTheFullIngest() throws Exception {
        String ok = "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}";
        String repeated = "Tell me about the moon and its phases\\n";
        List<String> others = List.of(
                "{\"chosen\": \"Human: hi Assistant: a\", \"rejected\": \"Human: hi Assistant: b\"}",
                "{\"prompt\": [{\"role\": \"user\", \"content\": \"p\"}], \"chosen\": [{\"role\": \"assistant\","
                        + " \"content\": \"a\"}], \"rejected\": [{\"role\": \"assistant\", \"content\": \"b\"}]}",
                "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\", \"score_chosen\": 3}",
                "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\", \"score_chosen\": \"3\","
                        + " \"score_rejected\": 1}",
                "{\"prompt\": \"p\", \"chosen\": \"a\", \"chosen\": \"c\", \"rejected\": \"b\"}",
                "{\"prompt\": \"p\", \"chosen\": null, \"rejected\": \"b\"}",
                "{\"prompt\": \"p\", \"chosen\": 7, \"rejected\": \"b\"}",
                "{\"prompt\": \"p\", \"id\": 1.5, \"chosen\": \"a\", \"rejected\": \"b\"}",
                "{\"instruction\": \"p\", \"system\": \"be brief\", \"chosen\": \"a\", \"rejected\": \"b\"}",
                "{\"instruction\": \"p\", \"history\": [[\"q\", \"r\"]], \"chosen\": \"a\", \"rejected\": \"b\"}",
                "{\"question\": \"p\", \"input\": 3, \"chosen\": \"a\", \"rejected\": \"b\"}",
                // both sides repeat the prompt, which the full ingest cuts off; the second spelled with an escape
                "{\"prompt\": \"" + repeated + "\", \"chosen\": \"" + repeated + "a\", \"rejected\": \""
                        + repeated + "b\"}",
                "{\"prompt\": \"" + repeated + "\", \"chosen\": \"" + repeated + "a\", \"rejected\": \""
                        + repeated.replace("moon", "\\u006doon") + "b\"}",
                "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"} {}");
        for (String row : others) {
            Path file = write("other.jsonl", ok + "\n" + row + "\n" + ok + "\n");
            assertThatThrownBy(() -> ScoreScan.scan(List.of(file), 2, Progress.Factory.NONE, 1))
                    .as(row).isInstanceOf(NotScannable.class);
        }
    }

    @Test
    void multiResponseAndPairwiseFilesAreScannedTogetherAndOtherLayoutsAreNot() throws Exception {
        Path multi = write("m.jsonl", "{\"prompt\": \"q\", \"responses\": [{\"text\": \"x\", \"score\": 1}]}\n");
        Path pairwise = write("p.jsonl", "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n");
        Path unpaired = write("u.jsonl", "{\"prompt\": \"p\", \"completion\": \"a\", \"label\": true}\n");

        assertThat(ScoreScan.unsupportedReason(List.of(multi, pairwise), IngestOptions.defaults())).isNull();
        assertThat(ScoreScan.unsupportedReason(List.of(pairwise),
                IngestOptions.defaults().withLayout(Layout.PAIRWISE))).isNull();
        assertThat(ScoreScan.unsupportedReason(List.of(multi),
                IngestOptions.defaults().withLayout(Layout.PAIRWISE))).contains("recognised as multi");
        assertThat(ScoreScan.unsupportedReason(List.of(pairwise, unpaired), IngestOptions.defaults()))
                .contains("u.jsonl").contains("unpaired layout");
        ScannedScores scan = ScoreScan.scan(List.of(multi, pairwise), 1, Progress.Factory.NONE);
        assertThat(List.of(scan.layout(0).layout(), scan.layout(1).layout()))
                .containsExactly(Layout.MULTI, Layout.PAIRWISE);
        assertThat(ScannedRows.of(scan, multi, pairwise))
                .isEqualTo(concat(ScannedRows.fullIngest(multi), ScannedRows.fullIngest(pairwise)));
    }

    private static List<ScannedRows.Row> concat(List<ScannedRows.Row> a, List<ScannedRows.Row> b) {
        List<ScannedRows.Row> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Pairs in every spelling and variation the scan reads: TRL's prompt (with alpaca's members
     * beside it, which the layout then ignores), alpaca's instruction and orca's question with
     * or without input and with empty system prompts and histories, members in any order, ids
     * as strings, integers, blank or absent, {@code prompt_id}, scores or none, models, escapes,
     * non-ASCII text, CRLF and blank lines.
     */
    static String pairRows(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            List<String> fields = new ArrayList<>();
            int idKind = r.nextInt(5);
            if (idKind == 0) {
                fields.add("\"id\": \"pair-" + i + "\"");
            } else if (idKind == 1) {
                fields.add("\"id\": " + (5000 + i));
            } else if (idKind == 2) {
                fields.add("\"id\": \" \"");
                fields.add("\"prompt_id\": \"h" + Integer.toHexString(i * 7919) + "\"");
            } else if (idKind == 3) {
                fields.add("\"prompt_id\": \"only-" + i + "\"");
            }
            String prompt = "Question " + i + (r.nextBoolean() ? " with \\\"quotes\\\"\\nand a line" : "")
                    + (r.nextInt(4) == 0 ? " caf\u00e9 \u4e2d\u6587" : "");
            int spelling = r.nextInt(4);
            if (spelling < 2) {
                fields.add("\"prompt\": \"" + prompt + "\"");
                if (spelling == 1) {
                    fields.add("\"instruction\": \"ignored\"");
                    fields.add("\"input\": \"ignored " + i + "\"");
                    fields.add("\"system\": \"ignored too\"");
                }
            } else {
                if (r.nextBoolean()) {
                    fields.add("\"prompt\": null");
                }
                fields.add((spelling == 2 ? "\"instruction\": \"" : "\"question\": \"") + prompt + "\"");
                int input = r.nextInt(4);
                if (input == 0) {
                    fields.add("\"input\": \"the input " + i + "\"");
                } else if (input == 1) {
                    fields.add("\"input\": \"\"");
                } else if (input == 2) {
                    fields.add("\"input\": null");
                }
                if (r.nextBoolean()) {
                    fields.add(r.nextBoolean() ? "\"system\": \"\"" : "\"system\": null");
                }
                if (r.nextBoolean()) {
                    fields.add(r.nextBoolean() ? "\"history\": [ ]" : "\"history\": null");
                }
            }
            fields.add("\"chosen\": \"" + (r.nextInt(6) == 0 ? prompt + "\\nand more" : "good " + i)
                    + (r.nextBoolean() ? " \\u00e9\\t" : "") + "\"");
            fields.add("\"rejected\": \"" + (r.nextInt(8) == 0 ? "" : "bad " + i + "  words") + "\"");
            int scores = r.nextInt(4);
            if (scores == 0) {
                fields.add("\"score_chosen\": " + (r.nextInt(10) + 0.5));
                fields.add("\"score_rejected\": " + r.nextInt(10));
            } else if (scores == 1) {
                fields.add("\"score_chosen\": null");
                fields.add("\"score_rejected\": null");
            } else if (scores == 2) {
                fields.add("\"score_chosen\": " + Math.round(r.nextDouble() * 1e6) / 1e6);
                fields.add("\"score_rejected\": -" + r.nextInt(3) + ".25");
            }
            if (r.nextBoolean()) {
                fields.add("\"chosen_model\": \"model-" + r.nextInt(3) + "\"");
            }
            if (r.nextInt(3) == 0) {
                fields.add(r.nextBoolean() ? "\"rejected_model\": null" : "\"rejected_model\": \"m\\u00e9\"");
            }
            if (r.nextInt(5) == 0) {
                fields.add("\"meta\": {\"source\": [1, {\"chosen\": \"x\"}], \"system\": \"s\"}");
            }
            Collections.shuffle(fields, r);
            sb.append('{').append(String.join(r.nextBoolean() ? ", " : ",", fields)).append('}')
                    .append(r.nextInt(10) == 0 ? "\r\n" : "\n");
            if (r.nextInt(25) == 0) {
                sb.append("  \n");
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
