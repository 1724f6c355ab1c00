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

/** The scan of UltraFeedback's raw rows ({@code openbmb/UltraFeedback}) against the full ingest's reading. */
class UltraFeedbackScanTest {

    @TempDir
    Path dir;

    @Test
    void rawRowsAreScannedAsTheFullIngestReadsThemWhateverTheRangesAndThreads() throws Exception {
        Path file = write("uf.jsonl", rawRows(300, 5));
        List<ScannedRows.Row> expected = ScannedRows.fullIngest(file);
        assertThat(expected).hasSize(300);
        assertThat(ScoreScan.unsupportedReason(List.of(file), IngestOptions.defaults())).isNull();

        for (int threads : new int[] {1, 2}) {
            for (long minRange : new long[] {1, 1 << 22}) {
                ScannedScores scan = ScoreScan.scan(List.of(file), threads, Progress.Factory.NONE, minRange);
                assertThat(scan.layout(0)).isEqualTo(new ScannedScores.FileLayout(Layout.ULTRAFEEDBACK,
                        "ultrafeedback (label fine-grained_score)"));
                assertThat(ScannedRows.of(scan, file)).as("threads %d, ranges of %d bytes", threads, minRange)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void rowsOfOtherShapesAreLeftToTheFullIngest() throws Exception {
        String ok = "{\"instruction\": \"p\", \"completions\": [{\"response\": \"a\", \"fine-grained_score\": 3}]}";
        List<String> others = List.of(
                "{\"instruction\": \"p\", \"completions\": [{\"response\": \"a\", \"fine-grained_score\": \"N/A\"}]}",
                "{\"instruction\": \"p\", \"completions\": [\"a\"]}",
                "{\"instruction\": \"p\", \"completions\": []}",
                "{\"instruction\": \"p\", \"completions\": \"[]\"}",
                "{\"instruction\": \"p\", \"completions\": [{\"fine-grained_score\": 3}]}",
                "{\"instruction\": 5, \"completions\": [{\"response\": \"a\", \"fine-grained_score\": 3}]}",
                "{\"completions\": [{\"response\": \"a\", \"fine-grained_score\": 3}]}");
        for (String row : others) {
            Path file = write("other.jsonl", ok + "\n" + row + "\n");
            assertThatThrownBy(() -> ScoreScan.scan(List.of(file), 1, Progress.Factory.NONE, 1))
                    .as(row).isInstanceOf(NotScannable.class);
        }
    }

    @Test
    void optionsOtherThanTheDefaultsGoToTheFullIngest() throws Exception {
        Path file = write("uf.jsonl", rawRows(3, 1));
        IngestOptions honesty = IngestOptions.defaults().withFields(null, null, null, "honesty", null, null);

        assertThat(ScoreScan.unsupportedReason(List.of(file), honesty)).contains("options");
    }

    /**
     * Rows shaped as openbmb/UltraFeedback's: source, instruction, models, completions with
     * annotations (ratings as strings, rationales, lists of types), critique, custom system
     * prompt, fine-grained and overall scores (or null), principle and response; members in any
     * order, some rows with an id, and the members the layout ignores (input, reference, score).
     */
    static String rawRows(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            List<String> fields = new ArrayList<>();
            fields.add("\"source\": \"evol_instruct\"");
            fields.add("\"instruction\": \"Instruction " + i + (r.nextBoolean() ? " \\\"quoted\\\"\\n\\u00e9" : "")
                    + "\"");
            if (r.nextInt(3) == 0) {
                fields.add("\"id\": \"uf-" + i + "\"");
            }
            if (r.nextInt(4) == 0) {
                fields.add("\"input\": \"ignored\", \"correct_answers\": [\"x\"], \"reference\": \"r\"");
            }
            int k = 1 + r.nextInt(4);
            fields.add("\"models\": [" + String.join(", ", Collections.nCopies(k, "\"m\"")) + "]");
            List<String> completions = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                List<String> c = new ArrayList<>();
                c.add("\"annotations\": {\"helpfulness\": {\"Rating\": \"" + (1 + r.nextInt(5))
                        + "\", \"Rationale\": \"fine {ok}\", \"Type\": [\"1\", \"2\"]}, \"honesty\": [{\"Rating\":"
                        + " \"N/A\", \"Rationale\": \"none\"}]}");
                c.add("\"critique\": \"Critique [" + j + "]\"");
                c.add("\"custom_system_prompt\": \"Be helpful.\"");
                c.add("\"fine-grained_score\": " + (r.nextInt(8) == 0 ? "null"
                        : String.valueOf(1 + r.nextInt(16) * 0.25)));
                c.add("\"overall_score\": " + (1 + r.nextInt(9)) + ".5");
                c.add("\"model\": " + (r.nextInt(5) == 0 ? "null" : "\"model-" + j + "\""));
                c.add("\"principle\": \"helpfulness\"");
                c.add("\"response\": \"Response " + j + " to " + i + (r.nextBoolean() ? " \\u4e2d\\t" : "") + "\"");
                if (r.nextInt(5) == 0) {
                    c.add("\"score\": 9");
                }
                Collections.shuffle(c, r);
                completions.add("{" + String.join(", ", c) + "}");
            }
            fields.add("\"completions\": [" + String.join(", ", completions) + "]");
            Collections.shuffle(fields, r);
            sb.append('{').append(String.join(", ", fields)).append("}\n");
        }
        return sb.toString();
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
