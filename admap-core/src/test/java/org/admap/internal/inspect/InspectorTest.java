package org.admap.internal.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.admap.RealData;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectorTest {

    @TempDir
    Path tmp;

    private Path write(String name, String... lines) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, List.of(lines));
        return p;
    }

    @Test
    void aLongFileIsGroupedByPromptAndItsFieldsAreFound() throws Exception {
        Path f = write("evals.jsonl",
                "{\"question\": \"q1\", \"answer\": \"a\", \"rating\": 4, \"who\": \"m1\"}",
                "{\"question\": \"q1\", \"answer\": \"b\", \"rating\": 2, \"who\": \"m2\"}",
                "{\"question\": \"q2\", \"answer\": \"c\", \"rating\": 5, \"who\": \"m1\"}",
                "{\"question\": \"q2\", \"answer\": \"d\", \"rating\": 5, \"who\": \"m2\"}",
                "{\"question\": \"q3\", \"answer\": \"e\", \"rating\": 1, \"who\": \"m1\"}");
        IngestOptions o = IngestOptions.defaults().withFields("question", "answer", "rating", null, "who", null);
        Inspection in = Inspector.inspect(List.of(f), null, o, 10_000);
        assertThat(in.inputs().get(0).layout()).isEqualTo(Layout.LONG);
        assertThat(in.inputs().get(0).reason()).contains("--prompt-field/--response-field");
        assertThat(in.mappings().get(0)).containsEntry("prompt", "question").containsEntry("response", "answer")
                .containsEntry("score", "rating").containsEntry("model", "who").containsEntry("label", "(none)");
        assertThat(in.instructions()).isEqualTo(3);
        assertThat(in.responsesPerInstruction()).containsEntry(2, 2L).containsEntry(1, 1L);
        assertThat(in.rowsPerPrompt()).containsEntry(2, 2L).containsEntry(1, 1L);
        assertThat(in.scored()).isEqualTo(5);
        assertThat(in.scoreRange()).containsExactly(1, 5);
        assertThat(in.sample().prompt()).isEqualTo("q1");
        assertThat(in.warnings()).containsExactly(
                "1 of 3 instructions have a single response and would be left off the map");
    }

    @Test
    void pairsWithLabelsOnlyAreSaidToGiveADegenerateMap() throws Exception {
        Path f = write("pairs.jsonl",
                "{\"prompt\": \"p1\", \"chosen\": \"good\", \"rejected\": \"bad\"}",
                "{\"prompt\": \"p2\", \"chosen\": \"fine\", \"rejected\": \"poor\"}");
        Inspection in = Inspector.inspect(List.of(f), null, IngestOptions.defaults(), 10_000);
        assertThat(in.inputs().get(0).reason()).isEqualTo("the first row has 'chosen' and 'rejected'");
        assertThat(in.mappings().get(0)).containsEntry("response", "chosen, rejected");
        assertThat(in.labelValues()).containsExactly(0.0, 1.0);
        assertThat(in.warnings()).singleElement().asString().startsWith("labels only (no scores)")
                .contains("same mean and variance").contains("select would refuse it");
    }

    @Test
    void pairsThatShareAPromptAreCountedAndSaidToStayApart() throws Exception {
        Path f = write("pairs.jsonl",
                "{\"prompt\": \"p1\", \"chosen\": \"a\", \"rejected\": \"b\", \"score_chosen\": 3, " +
                        "\"score_rejected\": 1}",
                "{\"prompt\": \"p1\", \"chosen\": \"a\", \"rejected\": \"c\", \"score_chosen\": 3, " +
                        "\"score_rejected\": 2}");
        Inspection in = Inspector.inspect(List.of(f), null, IngestOptions.defaults(), 10_000);
        assertThat(in.rowsPerPrompt()).containsExactly(java.util.Map.entry(2, 1L));
        assertThat(in.instructions()).isEqualTo(2);
        assertThat(in.mappings().get(0)).containsEntry("score", "score_chosen, score_rejected");
        assertThat(in.warnings()).anyMatch(w -> w.startsWith("1 row(s) repeat an earlier instruction's id or prompt"));
    }

    @Test
    void noScoresAndNoLabelsIsSaid() throws Exception {
        Path f = write("plain.jsonl", "{\"prompt\": \"p\", \"response\": \"a\"}", "{\"prompt\": \"p\", \"response\": " +
                "\"b\"}");
        Inspection in = Inspector.inspect(List.of(f), null, IngestOptions.defaults(), 10_000);
        assertThat(in.warnings()).singleElement().asString().startsWith("no scores and no labels");
    }

    @Test
    void onlyTheBoundedRowsAreReadAndTheWarningSaysSo() throws Exception {
        Path f = write("many.jsonl",
                "{\"prompt\": \"p\", \"response\": \"a\", \"score\": 1}",
                "{\"prompt\": \"p\", \"response\": \"b\", \"score\": 2}",
                "{\"prompt\": \"q\", \"response\": \"c\", \"score\": 3}");
        Inspection in = Inspector.inspect(List.of(f), null, IngestOptions.defaults(), 2);
        assertThat(in.inputs().get(0).rowsRead()).isEqualTo(2);
        assertThat(in.inputs().get(0).complete()).isFalse();
        assertThat(in.instructions()).isEqualTo(1);
        assertThat(in.warnings()).anyMatch(w -> w.startsWith("read only the first 2 rows of"));
    }

    @Test
    void aMisspeltFieldAndABadRowAreWarningsNotFailures() throws Exception {
        Path f = write("evals.jsonl",
                "{\"prompt\": \"p\", \"response\": \"a\", \"score\": 1}",
                "{\"prompt\": \"p\", \"response\": \"b\", \"score\": \"high\"}");
        Inspection typo = Inspector.inspect(List.of(f), null,
                IngestOptions.defaults().withFields(null, null, "scroe", null, null, null), 10_000);
        assertThat(typo.warnings()).anyMatch(w -> w.contains("--score-field 'scroe' names a field not in")
                && w.contains("did you mean 'score'?"));
        Inspection bad = Inspector.inspect(List.of(f), null, IngestOptions.defaults(), 10_000);
        assertThat(bad.warnings()).anyMatch(w -> w.startsWith("map would stop: ") && w.contains(":2: field 'score'"));
    }

    @Test
    void aListScoreIsFoundAsSamplesOnPrometheus() throws Exception {
        Path d = RealData.require("prometheus-gpt4-samples");
        Inspection in = Inspector.inspect(List.of(d.resolve("vicuna_eval.jsonl.gz")), null,
                IngestOptions.defaults().withFields("instruction", "response_source", "gpt4_score", null, null,
                        null), 100);
        assertThat(in.mappings().get(0).get("score")).isEqualTo("gpt4_score (a list: 3 samples, mapped by their mean)");
        assertThat(in.withSamples()).isEqualTo(100);
    }
}
