package org.admap.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.TestFiles;
import org.admap.model.ItemScores;
import org.admap.model.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scores table's samples, spreads and methods ({@link Scoring#SCORES}): old stores gain
 * the columns on open and read exactly as before; repeated judgments of a response read as
 * their mean with its standard error; a sample is cached, replaced and resumed on its own.
 */
class ScoreSamplesStoreTest {

    private static final double NA = Response.ABSENT;

    /** Two instructions of two responses each. */
    private static final String[] ROWS = {
        "{\"id\": \"a\", \"prompt\": \"Pick.\", \"responses\": [{\"text\": \"x\", \"label\": 1},"
                + " {\"text\": \"y\", \"label\": 2}]}",
        "{\"id\": \"b\", \"prompt\": \"Say.\", \"responses\": [{\"text\": \"u\", \"label\": 3},"
                + " {\"text\": \"v\", \"label\": 4}]}",
    };

    @TempDir
    Path dir;

    private Path ingested() throws Exception {
        Path file = dir.resolve(RunStore.FILE_NAME);
        TestFiles.ingest(file, IngestOptions.defaults(), TestFiles.jsonl(dir, "data.jsonl", ROWS)).close();
        return file;
    }

    private static void execute(Path file, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
             Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private static List<String> scoreColumns(Path file) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT column_name FROM information_schema.columns"
                     + " WHERE table_name = 'scores' ORDER BY ordinal_position")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static List<ItemScores> scores(RunStore store, String source) {
        List<ItemScores> all = new ArrayList<>();
        store.forEachItemScores(source, all::add);
        return all;
    }

    private static ScoreWriter.Row row(int key, int position, int sample, double value, double spread,
                                       String method) {
        return new ScoreWriter.Row(key, position, "judge", "fp", "p" + key, "r" + key + position, value,
                Double.isNaN(value) ? "bad reply" : null, "raw", 10, 2, 0.001, 5, 1, null, "http://x", "m",
                Instant.now(), sample, spread, method);
    }

    private static void write(RunStore store, ScoreWriter.Row... rows) {
        try (ScoreWriter w = store.openScoreWriter()) {
            w.write(List.of(rows));
        }
    }

    @Test
    void aStoreFromBeforeTheSampleColumnsGainsThemOnOpenAndReadsAsBefore() throws Exception {
        Path file = ingested();
        // The scores table as admap wrote it before samples, spreads and methods existed.
        execute(file, "ALTER TABLE scores DROP COLUMN method", "ALTER TABLE scores DROP COLUMN spread",
                "ALTER TABLE scores DROP COLUMN sample",
                "INSERT INTO scores (item_key, position, source, fingerprint, prompt_hash, response_hash, value,"
                        + " status, created) VALUES (0, 0, 'judge', 'fp', 'p0', 'r00', 0.30000000000000004, 'ok',"
                        + " now()), (0, 1, 'judge', 'fp', 'p0', 'r01', 7, 'ok', now()),"
                        + " (1, 0, 'judge', 'fp', 'p1', 'r10', NULL, 'failed', now())");
        assertThat(scoreColumns(file)).doesNotContain("sample", "spread", "method");

        try (RunStore store = RunStore.open(file)) {
            List<ItemScores> judge = scores(store, "judge");
            assertThat(judge.get(0).scores()).as("exactly the stored values").containsExactly(0.30000000000000004, 7);
            assertThat(judge.get(0).standardErrors()).containsExactly(NA, NA);
            assertThat(judge.get(1).scores()).containsExactly(NA, NA);
            assertThat(judge.stream().anyMatch(ItemScores::hasUncertainty)).isFalse();
            ScoreState state = store.loadScoreState("judge", "fp");
            assertThat(state.status(0, 0, 0)).isEqualTo(ScoreState.Status.OK);
            assertThat(state.status(1, 0, 0)).isEqualTo(ScoreState.Status.FAILED);
            assertThat(state.status(0, 0, 1)).isEqualTo(ScoreState.Status.NONE);
            assertThat(state.cached("p0", "r01", 0)).isEqualTo(new ScoreState.Cached(7, NA, "plain", "judge", null));
            write(store, row(1, 1, 1, 5, 0.5, "logprobs"));
        }
        assertThat(scoreColumns(file)).endsWith("sample", "spread", "method");
        try (RunStore store = RunStore.open(file)) {
            assertThat(scores(store, "judge").get(1).scores()).containsExactly(NA, 5);
            assertThat(scores(store, "judge").get(1).standardErrors()).containsExactly(NA, 0.5);
        }
    }

    @Test
    void aResponseJudgedSeveralTimesReadsAsTheMeanOfItsOkSamplesWithTheirStandardError() throws Exception {
        try (RunStore store = RunStore.open(ingested())) {
            write(store, row(0, 0, 0, 6, NA, "plain"), row(0, 0, 1, 7, NA, "plain"), row(0, 0, 2, 9, NA, "plain"),
                    row(0, 0, 3, NA, NA, "plain"),
                    row(0, 1, 0, 4, 0.75, "logprobs"),
                    row(1, 0, 0, 0.30000000000000004, NA, "plain"),
                    row(1, 1, 0, 2, 0.5, "logprobs"), row(1, 1, 1, 2, 0.5, "logprobs"));
            List<ItemScores> judge = scores(store, "judge");
            assertThat(judge.get(0).scores()).containsExactly(22.0 / 3, 4);
            double sd = Math.sqrt(((6 - 22.0 / 3) * (6 - 22.0 / 3) + (7 - 22.0 / 3) * (7 - 22.0 / 3)
                    + (9 - 22.0 / 3) * (9 - 22.0 / 3)) / 2);
            assertThat(judge.get(0).standardErrors()[0]).as("sd(ddof=1)/sqrt(3) of the three ok samples")
                    .isCloseTo(sd / Math.sqrt(3), within(1e-12));
            assertThat(judge.get(0).standardErrors()[1]).as("one sample: its spread").isEqualTo(0.75);
            assertThat(judge.get(1).scores()).containsExactly(0.30000000000000004, 2);
            assertThat(judge.get(1).standardErrors()[0]).isNaN();
            assertThat(judge.get(1).standardErrors()[1]).as("two equal samples: their sd, not the spread")
                    .isZero();
            assertThat(store.scoreRange("judge")).containsExactly(0.30000000000000004, 22.0 / 3);
            assertThat(scores(store, RunStore.LABELS).get(0).standardErrors()).containsExactly(NA, NA);

            List<SourceScores.ScoredItem> both = new ArrayList<>();
            SourceScores.forEach(store, List.of(RunStore.LABELS, "judge"), true, both::add);
            assertThat(both.get(0).of(1).scores()).containsExactly(judge.get(0).scores());
            assertThat(both.get(0).of(1).standardErrors()).containsExactly(judge.get(0).standardErrors());
            assertThat(both.get(0).of(0).standardErrors()).containsExactly(NA, NA);
            assertThat(both.get(1).scores()[1]).containsExactly(0.30000000000000004, 2);

            List<Double> itemScores = new ArrayList<>();
            store.forEachItem("judge", null, k -> k.item().responses().forEach(r -> itemScores.add(r.score())));
            assertThat(itemScores).as("one response per response, not one per sample")
                    .containsExactly(22.0 / 3, 4.0, 0.30000000000000004, 2.0);
        }
    }

    @Test
    void eachSampleIsCachedReplacedAndResumedOnItsOwn() throws Exception {
        try (RunStore store = RunStore.open(ingested())) {
            write(store, row(0, 0, 0, 6, NA, "plain"), row(0, 0, 1, NA, NA, "plain"));
            ScoreState before = store.loadScoreState("judge", "fp");
            assertThat(before.status(0, 0, 0)).isEqualTo(ScoreState.Status.OK);
            assertThat(before.status(0, 0, 1)).isEqualTo(ScoreState.Status.FAILED);
            assertThat(before.status(0, 0, 2)).isEqualTo(ScoreState.Status.NONE);
            assertThat(before.cached("p0", "r00", 1)).as("a failed sample is not a cached score").isNull();

            write(store, row(0, 0, 1, 8, 0.25, "logprobs"));
            ScoreState after = store.loadScoreState("judge", "fp");
            assertThat(after.status(0, 0, 1)).isEqualTo(ScoreState.Status.OK);
            assertThat(after.cached("p0", "r00", 0))
                    .isEqualTo(new ScoreState.Cached(6, NA, "plain", "judge", "http://x"));
            assertThat(after.cached("p0", "r00", 1))
                    .isEqualTo(new ScoreState.Cached(8, 0.25, "logprobs", "judge", "http://x"));
            assertThat(after.cached("p0", "r00")).isEqualTo(6);
            assertThat(store.loadScoreState("judge", "other").cached("p0", "r00", 0))
                    .as("another configuration's scores are not this one's").isNull();
            assertThat(store.scoreTotals("judge").ok()).as("the retry replaced the failed sample, not sample 0")
                    .isEqualTo(2);
            assertThat(store.scoreTotals("judge").failed()).isZero();
        }
    }
}
