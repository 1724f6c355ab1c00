package org.admap.internal.store;

import static java.util.Arrays.asList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.Layout;
import org.admap.ingest.ScoreTransform;
import org.admap.ingest.TestFiles;
import org.admap.model.Item;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.admap.model.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run store keeps what ingest read, exactly, and gives it back in key order: items,
 * responses with absent scores and labels as NULL, score sources, the map, flags and the
 * run's provenance.
 */
class RunStoreTest {

    private static final double NA = Response.ABSENT;

    /** Three instructions: scores and labels (one missing), neither, and scores with a missing label. */
    private static final String[] ROWS = {
        "{\"id\": \"a\", \"prompt\": \"Pick a number.\", \"reference\": \"7\", \"responses\": ["
                + "{\"text\": \"3\", \"score\": 2.5, \"label\": 1, \"model\": \"m1\"},"
                + " {\"text\": \"7\", \"score\": 9, \"label\": 5, \"model\": \"m2\"}, {\"text\": \"none\", " +
                        "\"label\": 2}]}",
        "{\"id\": \"b\", \"prompt\": \"Say hi.\", \"input\": \"in French\", \"responses\": [\"salut\", \"bonjour\"]}",
        "{\"id\": \"c\", \"prompt\": \"Add.\", \"responses\": [{\"text\": \"x\", \"score\": -1, \"label\": 0},"
                + " {\"text\": \"y\", \"score\": 4}]}",
    };

    @TempDir
    Path dir;

    private Path data() throws Exception {
        return TestFiles.jsonl(dir, "data.jsonl", ROWS);
    }

    private Path storeFile() {
        return dir.resolve(RunStore.FILE_NAME);
    }

    /** Ingests {@link #ROWS} and closes the store. */
    private Path ingested() throws Exception {
        TestFiles.ingest(storeFile(), IngestOptions.defaults(), data()).close();
        return storeFile();
    }

    private static List<Item> items(RunStore store, String source, BitSet keys) {
        List<Item> items = new ArrayList<>();
        store.forEachItem(source, keys, k -> items.add(k.item()));
        return items;
    }

    private static List<ItemScores> scores(RunStore store, String source) {
        List<ItemScores> all = new ArrayList<>();
        store.forEachItemScores(source, all::add);
        return all;
    }

    /** Runs a query on a closed store's file and returns the rows as lists of objects. */
    private static List<List<Object>> query(Path file, String sql) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static void execute(Path file, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
             Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    // ---- round trip -----------------------------------------------------------------------

    @Test
    void itemsReadBackAfterReopeningAreTheItemsIngestRead() throws Exception {
        Path file = ingested();
        List<Item> read = TestFiles.readAll(data());

        try (RunStore store = RunStore.open(file)) {
            assertThat(store.itemCount()).isEqualTo(3);
            assertThat(store.responseCount()).isEqualTo(7);
            assertThat(items(store, RunStore.INPUT, null)).isEqualTo(read);
        }
    }

    @Test
    void absentScoresAndLabelsAreStoredAsNull() throws Exception {
        Path file = ingested();

        assertThat(query(file, "SELECT item_key, position, text, model, score, label FROM responses"
                + " ORDER BY item_key, position")).containsExactly(
                List.of(0, 0, "3", "m1", 2.5, 1.0),
                asList(0, 1, "7", "m2", 9.0, 5.0),
                asList(0, 2, "none", null, null, 2.0),
                asList(1, 0, "salut", null, null, null),
                asList(1, 1, "bonjour", null, null, null),
                asList(2, 0, "x", null, -1.0, 0.0),
                asList(2, 1, "y", null, 4.0, null));
        assertThat(query(file, "SELECT item_key, id, prompt, input, reference, input_id, source_line FROM items"
                + " ORDER BY item_key")).containsExactly(
                asList(0, "a", "Pick a number.", "", "7", 0, 1L),
                asList(1, "b", "Say hi.", "in French", null, 0, 2L),
                asList(2, "c", "Add.", "", null, 0, 3L));
    }

    @Test
    void itemScoresStreamInKeyAndResponseOrderWithNaNForAbsentValues() throws Exception {
        try (RunStore store = RunStore.open(ingested())) {
            List<ItemScores> all = scores(store, RunStore.INPUT);

            assertThat(all).extracting(ItemScores::key, ItemScores::id)
                    .containsExactly(tuple(0, "a"), tuple(1, "b"), tuple(2, "c"));
            assertThat(all.get(0).scores()).containsExactly(2.5, 9, NA);
            assertThat(all.get(0).labels()).containsExactly(1, 5, 2);
            assertThat(all.get(1).scores()).as("an item without scores still comes").containsExactly(NA, NA);
            assertThat(all.get(1).labels()).containsExactly(NA, NA);
            assertThat(all.get(2).scores()).containsExactly(-1, 4);
            assertThat(all.get(2).labels()).containsExactly(0, NA);
            assertThat(all).extracting(ItemScores::scoredCount).containsExactly(2, 0, 2);
        }
    }

    @Test
    void labelsSourceUsesTheLabelsAsScores() throws Exception {
        try (RunStore store = RunStore.open(ingested())) {
            List<ItemScores> all = scores(store, RunStore.LABELS);

            assertThat(all.get(0).scores()).containsExactly(1, 5, 2);
            assertThat(all.get(2).scores()).containsExactly(0, NA);
            assertThat(items(store, RunStore.LABELS, null).get(0).responses())
                    .extracting(Response::score).containsExactly(1.0, 5.0, 2.0);
        }
    }

    @Test
    void sourcesAndRangesReflectWhatTheDataHas() throws Exception {
        try (RunStore store = RunStore.open(ingested())) {
            assertThat(store.hasInputScores()).isTrue();
            assertThat(store.hasLabels()).isTrue();
            assertThat(store.labelsEqualScores()).isFalse();
            assertThat(store.scoreSources()).containsExactly(RunStore.INPUT, RunStore.LABELS);
            assertThat(store.scoreRange(RunStore.INPUT)).containsExactly(-1, 9);
            assertThat(store.scoreRange(RunStore.LABELS)).containsExactly(0, 5);
        }
    }

    @Test
    void pairsWithoutScoresHaveOnlyTheLabelsSource() throws Exception {
        Path pairs = TestFiles.jsonl(dir, "pairs.jsonl", "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}");

        try (RunStore store = TestFiles.ingest(storeFile(), IngestOptions.defaults(), pairs)) {
            assertThat(store.hasInputScores()).isFalse();
            assertThat(store.scoreSources()).containsExactly(RunStore.LABELS);
            assertThat(store.scoreRange(RunStore.INPUT)).containsExactly(NA, NA);
            assertThat(store.scoreRange(RunStore.LABELS)).containsExactly(0, 1);
        }
    }

    @Test
    void labelsThatAreTheScoresAreDetected() throws Exception {
        IngestOptions labelsFromScores = new IngestOptions(Layout.AUTO, null, null, null, null, null, null, null, null,
                null, ScoreTransform.IDENTITY, true, false);

        try (RunStore store = TestFiles.ingest(storeFile(), labelsFromScores, data())) {
            assertThat(store.labelsEqualScores()).isTrue();
            assertThat(store.scoreSources()).containsExactly(RunStore.INPUT, RunStore.LABELS);
        }
    }

    @Test
    void scorerSourcesFollowTheBuiltInOnesAndReadOnlyOkScores() throws Exception {
        Path file = ingested();
        execute(file,
                "INSERT INTO scores (item_key, position, source, fingerprint, prompt_hash, response_hash, value,"
                        + " status, created) VALUES"
                        + " (0, 0, 'judge', 'f', 'p', 'r', 6.0, 'ok', now()), (0, 1, 'judge', 'f', 'p', 'r', 8.0, " +
                                "'ok', now()),"
                        + " (0, 2, 'judge', 'f', 'p', 'r', NULL, 'failed', now()),"
                        + " (2, 1, 'judge', 'f', 'p', 'r', 3.5, 'ok', now()),"
                        + " (2, 0, 'judge', 'f', 'p', 'r', 9.9, 'failed', now()),"
                        + " (1, 0, 'another', 'f', 'p', 'r', 0.25, 'ok', now()),"
                        + " (1, 1, 'broken', 'f', 'p', 'r', NULL, 'failed', now())");

        try (RunStore store = RunStore.open(file)) {
            assertThat(store.scoreSources()).containsExactly(RunStore.INPUT, RunStore.LABELS, "another", "judge");
            List<ItemScores> judge = scores(store, "judge");
            assertThat(judge.get(0).scores()).containsExactly(6, 8, NA);
            assertThat(judge.get(0).labels()).containsExactly(1, 5, 2);
            assertThat(judge.get(1).scores()).containsExactly(NA, NA);
            assertThat(judge.get(2).scores()).as("a failed score is no score").containsExactly(NA, 3.5);
            assertThat(store.scoreRange("judge")).containsExactly(3.5, 8);
            assertThat(store.scoreRange("nobody")).containsExactly(NA, NA);
            assertThat(items(store, "another", null).get(1).responses()).extracting(Response::score)
                    .containsExactly(0.25, NA);
        }
    }

    @Test
    void eachResponsesSampleCountStreamsInScoreOrderCountingOkSamplesBelowTheLimit() throws Exception {
        Path file = ingested();
        execute(file,
                "INSERT INTO scores (item_key, position, source, fingerprint, prompt_hash, response_hash, value,"
                        + " status, created, sample) VALUES"
                        + " (0, 0, 'judge', 'f', 'p', 'r', 6.0, 'ok', now(), 0),"
                        + " (0, 0, 'judge', 'f', 'p', 'r', 7.0, 'ok', now(), 1),"
                        + " (0, 0, 'judge', 'f', 'p', 'r', 5.0, 'ok', now(), 2),"
                        + " (0, 1, 'judge', 'f', 'p', 'r', 8.0, 'ok', now(), 0),"
                        + " (0, 2, 'judge', 'f', 'p', 'r', NULL, 'failed', now(), 0),"
                        + " (0, 2, 'judge', 'f', 'p', 'r', 4.0, 'ok', now(), 1),"
                        + " (2, 1, 'judge', 'f', 'p', 'r', 3.0, 'ok', now(), 0),"
                        + " (2, 1, 'judge', 'f', 'p', 'r', 4.0, 'ok', now(), 1),"
                        + " (1, 0, 'another', 'f', 'p', 'r', 0.25, 'ok', now(), 0)");

        try (RunStore store = RunStore.open(file)) {
            assertThat(sampleCounts(store, "judge", Integer.MAX_VALUE))
                    .containsExactly("0:0=3", "0:1=1", "0:2=1", "1:0=0", "1:1=0", "2:0=0", "2:1=2");
            assertThat(sampleCounts(store, "judge", 1))
                    .containsExactly("0:0=1", "0:1=1", "0:2=0", "1:0=0", "1:1=0", "2:0=0", "2:1=1");
            assertThat(sampleCounts(store, RunStore.LABELS, Integer.MAX_VALUE)).allSatisfy(c -> assertThat(c)
                    .endsWith("=0")).hasSize(7);
        }
    }

    private static List<String> sampleCounts(RunStore store, String source, int below) {
        List<String> out = new ArrayList<>();
        store.forEachSampleCount(source, below, (key, r, n) -> out.add(key + ":" + r + "=" + n));
        return out;
    }

    @Test
    void keyFilterSelectsItemsInKeyOrder() throws Exception {
        try (RunStore store = RunStore.open(ingested())) {
            BitSet keys = new BitSet();
            keys.set(2);
            keys.set(0);
            List<KeyedItem> selected = new ArrayList<>();
            store.forEachItem(RunStore.INPUT, keys, selected::add);

            assertThat(selected).extracting(KeyedItem::key).containsExactly(0, 2);
            assertThat(selected).extracting(k -> k.item().id()).containsExactly("a", "c");
            assertThat(items(store, RunStore.INPUT, new BitSet())).isEmpty();
        }
    }

    @Test
    void promptsStreamWithTheirInputs() throws Exception {
        try (RunStore store = RunStore.open(ingested())) {
            List<String> seen = new ArrayList<>();
            store.forEachPrompt((key, id, prompt) -> seen.add(key + " " + id + " " + prompt));

            assertThat(seen).containsExactly("0 a Pick a number.", "1 b Say hi.\n\nin French", "2 c Add.");
        }
    }

    // ---- map and flags ----------------------------------------------------------------------

    @Test
    void mapPointsReadBackAsWrittenAndAReplacementDropsTheOldOnes() throws Exception {
        try (RunStore store = RunStore.open(ingested())) {
            MapPoint a = new MapPoint(0, "a", 2, 5.75, 10.5625, 3.25, Region.HIGH_VAR, 0.9);
            MapPoint c = new MapPoint(2, "c", 2, 1.5, 6.25, 2.5, Region.LOW_AVG, Double.NaN);
            store.replaceMap(List.of(a, c));

            assertThat(store.mapPoints()).containsExactly(a, c);

            MapPoint again = new MapPoint(2, "c", 2, 1.5, 6.25, 2.5, Region.HIGH_AVG, -0.5);
            store.replaceMap(List.of(again));

            assertThat(store.mapPoints()).containsExactly(again);
        }
        try (RunStore store = RunStore.open(storeFile())) {
            assertThat(store.mapPoints()).extracting(MapPoint::region).containsExactly(Region.HIGH_AVG);
        }
    }

    @Test
    void flagsAreReplacedWholeWithAbsentNumbersAsNull() throws Exception {
        Path file = ingested();
        try (RunStore store = RunStore.open(file)) {
            store.replaceFlags(List.of(new RunStore.StoredFlag(0, "misannotated", 0.2, 0.65, "cosine 0.2"),
                    new RunStore.StoredFlag(2, "low-impact", Double.NaN, Double.NaN, null)));
            store.replaceFlags(List.of(new RunStore.StoredFlag(2, "low-impact", 0.01, 0.05, null),
                    new RunStore.StoredFlag(1, "misannotated", -1, 0.65, "swapped")));
        }

        assertThat(query(file, "SELECT item_key, reason, value, threshold, detail FROM flags ORDER BY item_key"))
                .containsExactly(
                        List.of(1, "misannotated", -1.0, 0.65, "swapped"),
                        asList(2, "low-impact", 0.01, 0.05, null));

        try (RunStore store = RunStore.open(file)) {
            store.replaceFlags(List.of(new RunStore.StoredFlag(0, "x", Double.NaN, 1, null)));
        }
        assertThat(query(file, "SELECT item_key, value FROM flags"))
                .containsExactly(asList(0, null));
    }

    // ---- provenance -------------------------------------------------------------------------

    @Test
    void runInfoIsKeptAndOverwrittenByKey() throws Exception {
        try (RunStore store = RunStore.create(storeFile())) {
            assertThat(store.info("schema_version")).contains("1");
            assertThat(store.info("admap_version")).isEmpty();
            store.putInfo("options", "--layout auto");
            store.putInfo("created", "today");
            store.putInfo("options", "--layout multi");
        }
        try (RunStore store = RunStore.open(storeFile())) {
            assertThat(store.info("options")).contains("--layout multi");
            assertThat(store.allInfo()).containsExactly(entry("created", "today"), entry("options", "--layout multi"),
                    entry("schema_version", "1"));
        }
    }

    @Test
    void everyInputFileIsRecordedWithFormatLayoutSizeTimeAndRows() throws Exception {
        Path gz = TestFiles.gzip(dir, "data.jsonl.gz", String.join("\n", ROWS));
        Path pairs = TestFiles.jsonl(dir, "pairs.jsonl", "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}");

        try (RunStore store = TestFiles.ingest(storeFile(), IngestOptions.defaults(), gz, pairs)) {
            assertThat(store.inputs()).containsExactly(
                    new InputFileRecord(0, gz.toString(), "jsonl.gz", true, "multi-response", Files.size(gz),
                            Files.getLastModifiedTime(gz).toInstant().truncatedTo(ChronoUnit.MICROS), 3, 0),
                    new InputFileRecord(1, pairs.toString(), "jsonl", false, "pairwise", Files.size(pairs),
                            Files.getLastModifiedTime(pairs).toInstant().truncatedTo(ChronoUnit.MICROS), 1, 0));
            assertThat(items(store, RunStore.INPUT, null)).extracting(i -> i.source().file())
                    .containsExactly(gz.toString(), gz.toString(), gz.toString(), pairs.toString());
        }
    }

    // ---- creating and opening ---------------------------------------------------------------

    @Test
    void createRefusesAnExistingFileAndLeavesItAlone() throws Exception {
        Path file = TestFiles.write(dir, RunStore.FILE_NAME, "precious");

        assertThatThrownBy(() -> RunStore.create(file))
                .isInstanceOf(StoreException.class)
                .hasMessage(file + " already exists");
        assertThat(file).hasContent("precious");
    }

    @Test
    void openingAMissingStoreSaysHowToMakeOne() {
        Path missing = dir.resolve("nothing-here.duckdb");

        assertThatThrownBy(() -> RunStore.open(missing))
                .isInstanceOf(StoreException.class)
                .hasMessage("no run store at " + missing + " (create one with 'admap map INPUT --out DIR')");
        assertThat(missing).doesNotExist();
    }

    @Test
    void openingAFolderFailsLikeAMissingStore() {
        assertThatThrownBy(() -> RunStore.open(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("no run store at " + dir);
    }

    @Test
    void openingAFileThatIsNotADatabaseFailsNamingIt() throws Exception {
        Path text = TestFiles.write(dir, "notes.duckdb", "just some notes\n");

        assertThatThrownBy(() -> RunStore.open(text))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot open the run store " + text + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(text).hasContent("just some notes");
    }

    @Test
    void openingAnotherDuckDbDatabaseSaysItIsNotARunStore() throws Exception {
        Path other = dir.resolve("other.duckdb");
        execute(other, "CREATE TABLE sales (amount INTEGER)", "INSERT INTO sales VALUES (3)");

        assertThatThrownBy(() -> RunStore.open(other))
                .isInstanceOf(StoreException.class)
                .hasMessage(other + " is a DuckDB database but not an admap run store (it has no run_info table)");
        assertThat(query(other, "SELECT amount FROM sales")).containsExactly(List.of(3));
    }

    @Test
    void openingAStoreOfAnotherSchemaVersionFails() throws Exception {
        Path file = ingested();
        execute(file, "UPDATE run_info SET value = '0' WHERE key = 'schema_version'");

        assertThatThrownBy(() -> RunStore.open(file))
                .isInstanceOf(StoreException.class)
                .hasMessage(file + " has run-store schema version 0, this admap reads 1");
    }

    @Test
    void storeKnowsItsFile() {
        try (RunStore store = RunStore.create(storeFile())) {
            assertThat(store.file()).isEqualTo(storeFile());
            assertThat(store.itemCount()).isZero();
            assertThat(store.scoreSources()).isEmpty();
            assertThat(store.labelsEqualScores()).as("vacuously, with no responses").isTrue();
        }
    }
}
