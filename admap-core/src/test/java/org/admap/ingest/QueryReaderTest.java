package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.Progress;
import org.admap.internal.store.InputFileRecord;
import org.admap.internal.store.RunStore;
import org.admap.model.Item;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data in several tables, read through a DuckDB query into the long layout. */
class QueryReaderTest {

    @TempDir
    Path tmp;
    String questions;
    String answers;
    String reviews;

    /** Three small tables joined by ids, the way evaluation dumps come: JSON lines, CSV, JSON lines. */
    @BeforeEach
    void tables() throws Exception {
        questions = write("questions.jsonl",
                "{\"question_id\": 1, \"text\": \"What is 2+2?\"}",
                "{\"question_id\": 2, \"text\": \"Name a colour.\"}");
        answers = write("answers.csv",
                "answer_id,question_id,model_id,text",
                "a1,1,m1,4",
                "a2,1,m2,5",
                "a3,2,m1,blue",
                "a4,2,m2,\"red, or blue\"");
        reviews = write("reviews.jsonl",
                "{\"answer1_id\": \"a1\", \"answer2_id\": \"a2\", \"score\": [9, 2]}",
                "{\"answer1_id\": \"a3\", \"answer2_id\": \"a4\", \"score\": [7, 8]}",
                "{\"answer1_id\": \"a1\", \"answer2_id\": \"a2\", \"score\": [10, 3]}");
    }

    private String write(String name, String... lines) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, List.of(lines));
        return p.toString();
    }

    private String joined() {
        return "WITH r AS (SELECT * FROM read_json('" + reviews + "')),\n"
                + " s AS (SELECT answer1_id AS answer_id, score[1] AS s FROM r"
                + " UNION ALL SELECT answer2_id, score[2] FROM r)\n"
                + "SELECT q.question_id AS id, q.text AS prompt, a.text AS response, a.model_id AS model,"
                + " avg(s.s) AS score\n"
                + "FROM read_json('" + questions + "') q JOIN read_csv('" + answers + "') a USING (question_id)\n"
                + "JOIN s USING (answer_id) GROUP BY ALL ORDER BY id, model;\n-- a comment after the semicolon\n";
    }

    private static List<Item> readAll(String sql, IngestOptions options) throws Exception {
        List<Item> items = new ArrayList<>();
        try (DatasetReader r = QueryReader.open(sql, options)) {
            for (Item i; (i = r.next()) != null; ) {
                items.add(i);
            }
        }
        return items;
    }

    @Test
    void aJoinOfThreeTablesGivesOneRowPerResponseWithTheAveragedReviewScore() throws Exception {
        List<Item> rows = readAll(joined(), IngestOptions.defaults());
        assertThat(rows).hasSize(4);
        Item first = rows.get(0);
        assertThat(first.id()).isEqualTo("1");
        assertThat(first.prompt()).isEqualTo("What is 2+2?");
        assertThat(first.responses().get(0).text()).isEqualTo("4");
        assertThat(first.responses().get(0).model()).isEqualTo("m1");
        assertThat(first.responses().get(0).score()).isEqualTo(9.5);
        assertThat(rows.get(3).responses().get(0).text()).isEqualTo("red, or blue");
        assertThat(rows.get(3).responses().get(0).score()).isEqualTo(8);
        assertThat(rows.get(0).source().toString()).isEqualTo("query row 1");
    }

    @Test
    void theRunStoresTheQueryAsItsInputAndGroupsTheRowsById() throws Exception {
        try (RunStore store = RunStore.create(tmp.resolve("run.duckdb"))) {
            IngestReport report = Ingest.run(List.of(), joined(), IngestOptions.defaults(), store,
                    Progress.Factory.NONE);
            assertThat(report.items()).isEqualTo(2);
            assertThat(store.responseCount()).isEqualTo(4);
            InputFileRecord in = store.inputs().get(0);
            assertThat(in.path()).startsWith("query: WITH r AS").contains(reviews);
            assertThat(in.format()).isEqualTo("duckdb-query");
            assertThat(in.layout()).isEqualTo("long (DuckDB query: id, prompt, response, model, score)");
            assertThat(in.rowsRead()).isEqualTo(4);
        }
    }

    @Test
    void aScoreTransformApplies() throws Exception {
        IngestOptions o = IngestOptions.defaults().withScoreTransform(ScoreTransform.parse("x / 10"));
        assertThat(readAll(joined(), o).get(0).responses().get(0).score()).isEqualTo(0.95);
    }

    @Test
    void aBadValueNamesTheQueryRowAndColumn() {
        String sql = "SELECT * FROM (VALUES ('p', 'a', '1'), ('p', 'b', 'high')) t(prompt, response, score)";
        assertThatThrownBy(() -> readAll(sql, IngestOptions.defaults())).isInstanceOf(IngestException.class)
                .hasMessage("query row 2: column 'score': expected a number, got \"high\"");
        assertThat(catchSkipped(sql)).isEqualTo(1);
    }

    private static long catchSkipped(String sql) {
        try (DatasetReader r = QueryReader.open(sql, IngestOptions.defaults().withSkipBadRows(true))) {
            int n = 0;
            while (r.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(1);
            return r.badRows().count();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aMissingPromptColumnListsTheColumnsTheQueryReturned() {
        assertThatThrownBy(() -> readAll("SELECT 'x' AS question, 'y' AS response", IngestOptions.defaults()))
                .hasMessage("query: returns no column 'prompt' (its columns: question, response); name the column"
                        + " that holds the prompt with ... AS prompt");
    }

    @Test
    void anUnknownColumnIsAnErrorWithTheClosestName() {
        assertThatThrownBy(() -> readAll("SELECT 'x' AS prompt, 'y' AS response, 3 AS scores",
                IngestOptions.defaults()))
                .hasMessageContaining("returns a column 'scores' that admap does not read")
                .hasMessageContaining("did you mean 'score'?");
    }

    @Test
    void columnNamesMatchWithoutRegardToCaseAndAListScoreIsSamples() throws Exception {
        List<Item> rows = readAll("SELECT 'x' AS Prompt, 'y' AS RESPONSE, [4, 5, 3] AS Score",
                IngestOptions.defaults());
        assertThat(rows.get(0).responses().get(0).score()).isEqualTo(4);
        assertThat(rows.get(0).responses().get(0).samples()).containsExactly(4.0, 5.0, 3.0);
    }

    @Test
    void aQueryDuckDbCannotRunSaysWhatDuckDbSaid() {
        assertThatThrownBy(() -> readAll("SELECT * FROM read_json('" + tmp.resolve("none.jsonl") + "')",
                IngestOptions.defaults()))
                .isInstanceOf(IngestException.class).hasMessageStartingWith("query: DuckDB cannot run it: ");
        assertThatThrownBy(() -> readAll("  ; ", IngestOptions.defaults())).hasMessageContaining("query: is empty");
    }
}
