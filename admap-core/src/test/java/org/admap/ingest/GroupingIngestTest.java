package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.Progress;
import org.admap.ingest.group.GroupingOptions;
import org.admap.ingest.group.PairLabels;
import org.admap.internal.store.RunStore;
import org.admap.model.ItemScores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grouping and aggregation between the layouts and the store, end to end through
 * {@link Ingest}: pairs grouped by prompt, repeated rows of a response as its samples, and
 * named score sources stored as sources of their own.
 */
class GroupingIngestTest {

    @TempDir
    Path dir;

    private static IngestOptions grouped(IngestOptions o, GroupingOptions g) {
        return o.withGrouping(g);
    }

    private static List<ItemScores> scores(RunStore store, String source) {
        List<ItemScores> out = new ArrayList<>();
        store.forEachItemScores(source, out::add);
        return out;
    }

    @Test
    void pairsThatSharePromptBecomeOneInstructionPerPromptWithItsDistinctCompletions() throws Exception {
        Path file = TestFiles.copyResource("pairs-by-prompt.jsonl", dir, "pairs.jsonl");
        IngestOptions o = grouped(IngestOptions.defaults(), GroupingOptions.DEFAULTS.withByPrompt(true));
        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            IngestReport report = Ingest.run(List.of(file), o, store, Progress.Factory.NONE);
            assertThat(report.items()).as("the alpaca input is part of the prompt").isEqualTo(3);
            assertThat(report.grouping().rows()).isEqualTo(10);
            assertThat(report.grouping().comparisons()).isEqualTo(10);
            List<ItemScores> items = scores(store, RunStore.LABELS);
            assertThat(items).extracting(i -> i.labels().length).containsExactly(4, 3, 2);
            // every pair of four: 3, 1, -1, -3 by the completions' order of first appearance
            assertThat(items.get(0).labels()).containsExactly(3, 1, -1, -3);
            // Bonjour beat Bonsoir twice (the row repeats) and Buenos días once
            assertThat(items.get(1).labels()).containsExactly(3, -2, -1);
            assertThat(items.get(2).labels()).containsExactly(1, -1);
        }
        try (RunStore store = RunStore.create(dir.resolve("bt.duckdb"))) {
            Ingest.run(List.of(file), grouped(IngestOptions.defaults(), GroupingOptions.DEFAULTS.withByPrompt(true)
                    .withPairLabels(PairLabels.BRADLEY_TERRY)), store, Progress.Factory.NONE);
            double[] l = scores(store, RunStore.LABELS).get(0).labels();
            assertThat(l[0]).isGreaterThan(l[1]);
            assertThat(l[1]).isGreaterThan(l[2]);
            assertThat(l[2]).isGreaterThan(l[3]);
        }
    }

    @Test
    void withoutTheOptionEachPairStaysItsOwnInstruction() throws Exception {
        Path file = TestFiles.copyResource("pairs-by-prompt.jsonl", dir, "pairs.jsonl");
        try (RunStore store = TestFiles.ingest(dir.resolve("run.duckdb"), IngestOptions.defaults(), file)) {
            assertThat(store.itemCount()).isEqualTo(10);
            assertThat(store.responseCount()).isEqualTo(20);
        }
    }

    @Test
    void rowsRepeatingAResponseAreItsSamplesNotMoreResponses() throws Exception {
        Path file = TestFiles.jsonl(dir, "rows.jsonl",
                "{\"prompt\": \"Q1\", \"response\": \"a\", \"score\": 3}",
                "{\"prompt\": \"Q1\", \"response\": \"b\", \"score\": 1}",
                "{\"prompt\": \"Q1\", \"response\": \"a\", \"score\": 5}",
                "{\"prompt\": \"Q1\", \"response\": \"a\", \"score\": 4}",
                "{\"prompt\": \"Q1\", \"response\": \"b\", \"score\": 2}",
                "{\"prompt\": \"Q1\", \"response\": \"b\", \"score\": 3}");
        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            IngestReport report = Ingest.run(List.of(file), IngestOptions.defaults().withLayout(Layout.LONG), store,
                    Progress.Factory.NONE);
            assertThat(report.responses()).isEqualTo(2);
            assertThat(report.grouping().mergedRows()).isEqualTo(4);
            assertThat(store.hasInputSamples()).isTrue();
            assertThat(store.samplesPerScore(RunStore.INPUT)).isEqualTo(3);
            ItemScores s = scores(store, RunStore.INPUT).get(0);
            assertThat(s.scores()).containsExactly(4, 2);
            // sd of (3, 5, 4) and of (1, 2, 3) is 1: the standard error is 1 / sqrt(3)
            assertThat(s.standardErrors()[0]).isCloseTo(1 / Math.sqrt(3), within(1e-12));
            assertThat(s.standardErrors()[1]).isCloseTo(1 / Math.sqrt(3), within(1e-12));
        }
    }

    @Test
    void namedScoreFieldsBecomeSourcesOfTheirOwnWithTheirSamples() throws Exception {
        Path file = TestFiles.jsonl(dir, "two.jsonl",
                "{\"prompt\": \"Q1\", \"response\": \"a\", \"score\": 1, \"j1\": 0.9, \"j2\": [4, 5]}",
                "{\"prompt\": \"Q1\", \"response\": \"b\", \"score\": 2, \"j1\": 0.1, \"j2\": [2, 2]}",
                "{\"prompt\": \"Q2\", \"response\": \"c\", \"score\": 3, \"j2\": [1, 3]}",
                "{\"prompt\": \"Q2\", \"response\": \"d\", \"score\": 4, \"j1\": 0.5}");
        IngestOptions o = grouped(IngestOptions.defaults(), GroupingOptions.DEFAULTS.withScoreFields(List.of(
                new GroupingOptions.ScoreField("first", "j1"), new GroupingOptions.ScoreField("second", "j2"))));
        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            IngestReport report = Ingest.run(List.of(file), o, store, Progress.Factory.NONE);
            assertThat(report.sources()).containsEntry("first", 3L).containsEntry("second", 3L);
            assertThat(store.scoreSources()).containsExactly(RunStore.INPUT, "first", "second");
            assertThat(scores(store, RunStore.INPUT)).extracting(ItemScores::scores)
                    .containsExactly(new double[] {1, 2}, new double[] {3, 4});
            assertThat(scores(store, "first")).extracting(ItemScores::scores)
                    .containsExactly(new double[] {0.9, 0.1}, new double[] {Double.NaN, 0.5});
            List<ItemScores> second = scores(store, "second");
            assertThat(second).extracting(ItemScores::scores)
                    .containsExactly(new double[] {4.5, 2}, new double[] {2, Double.NaN});
            assertThat(second.get(0).standardErrors()[0]).isCloseTo(Math.sqrt(0.5) / Math.sqrt(2), within(1e-12));
            assertThat(store.scoreSource("second").orElseThrow().kind()).isEqualTo(Ingest.SOURCE_KIND);
            assertThat(store.scoreSource("second").orElseThrow().parameters()).isEqualTo("field=j2");
        }
    }

    @Test
    void theMultiLayoutReadsNamedSourcesFromEachResponse() throws Exception {
        Path file = TestFiles.jsonl(dir, "multi.jsonl",
                "{\"prompt\": \"Q\", \"responses\": [{\"text\": \"a\", \"score\": 1, \"judge\": 7},"
                        + " {\"text\": \"b\", \"score\": 2, \"judge\": 3}]}");
        IngestOptions o = grouped(IngestOptions.defaults(), GroupingOptions.DEFAULTS.withScoreFields(List.of(
                new GroupingOptions.ScoreField("judge", "judge"))));
        try (RunStore store = TestFiles.ingest(dir.resolve("run.duckdb"), o, file)) {
            assertThat(scores(store, "judge").get(0).scores()).containsExactly(7, 3);
            assertThat(scores(store, RunStore.INPUT).get(0).scores()).containsExactly(1, 2);
        }
    }

    @Test
    void ultraFeedbackAspectsBecomeNamedSourcesInOneRun() throws Exception {
        Path file = TestFiles.copyResource("ultrafeedback.jsonl", dir, "ultrafeedback.jsonl");
        IngestOptions o = grouped(IngestOptions.defaults(), GroupingOptions.DEFAULTS.withScoreFields(List.of(
                new GroupingOptions.ScoreField("helpfulness", "helpfulness"),
                new GroupingOptions.ScoreField("honesty", "honesty"))));
        try (RunStore store = TestFiles.ingest(dir.resolve("run.duckdb"), o, file)) {
            assertThat(store.scoreSources()).containsExactly(RunStore.LABELS, "helpfulness", "honesty");
            assertThat(scores(store, "helpfulness").get(0).scores()).containsExactly(4, 5, 1);
            assertThat(scores(store, "honesty").get(0).scores()).as("N/A is no score")
                    .containsExactly(5, 5, Double.NaN);
        }
    }

    @Test
    void aNamedFieldNoRowHasIsAnErrorNamingIt() throws Exception {
        Path file = TestFiles.jsonl(dir, "rows.jsonl", "{\"prompt\": \"Q\", \"response\": \"a\", \"score\": 1}");
        IngestOptions o = grouped(IngestOptions.defaults(), GroupingOptions.DEFAULTS.withScoreFields(List.of(
                new GroupingOptions.ScoreField("judge", "scor"))));
        assertThatThrownBy(() -> TestFiles.ingest(dir.resolve("run.duckdb"), o, file).close())
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("--score-field judge=scor: no response has a score in field 'scor'");
    }

    @Test
    void aLayoutWithFixedScoreFieldsRefusesNamedSources() throws Exception {
        Path file = TestFiles.jsonl(dir, "pairs.jsonl", "{\"prompt\": \"Q\", \"chosen\": \"a\", \"rejected\": \"b\"}");
        IngestOptions o = grouped(IngestOptions.defaults(), GroupingOptions.DEFAULTS.withScoreFields(List.of(
                new GroupingOptions.ScoreField("judge", "j"))));
        assertThatThrownBy(() -> TestFiles.ingest(dir.resolve("run.duckdb"), o, file).close())
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("pairwise layout reads its scores from fixed fields");
    }
}
