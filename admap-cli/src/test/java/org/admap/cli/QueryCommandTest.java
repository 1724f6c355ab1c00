package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.admap.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admap map --query SQL}: data in several tables, read without a converter. */
class QueryCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The Vicuna-80 query of docs/formats.md: questions, answers and GPT-4 reviews joined by ids, in {@code d}. */
    static String vicuna80(Path d) {
        return "WITH reviews AS (SELECT * FROM read_json('" + d + "/review/*/*.jsonl.gz')),\n"
                + "     scored AS (SELECT answer1_id AS answer_id, score[1] AS s FROM reviews\n"
                + "                UNION ALL SELECT answer2_id, score[2] FROM reviews)\n"
                + "SELECT q.question_id AS id, q.text AS prompt, a.text AS response, a.model_id AS model,\n"
                + "       avg(s.s) AS score\n"
                + "FROM read_json('" + d + "/question.jsonl.gz') q\n"
                + "JOIN read_json('" + d + "/answer/*.jsonl.gz') a USING (question_id)\n"
                + "JOIN scored s USING (answer_id)\n"
                + "GROUP BY ALL ORDER BY id, model";
    }

    /**
     * The PandaLM query of docs/formats.md: per instruction and model, the GPT-3.5 judge's win rate as
     * the score and the human majority's as the label, over the comparisons of that response.
     */
    static String pandalm(Path d) {
        return "WITH p AS (\n"
                + "  SELECT t.*, g.gpt_result,\n"
                + "         split_part(t.cmp_key, '_', 1) AS model1, split_part(t.cmp_key, '_', 2) AS model2,\n"
                + "         CASE WHEN (annotator1 = 1)::INT + (annotator2 = 1)::INT + (annotator3 = 1)::INT >= 2 " +
                        "THEN 1\n"
                + "              WHEN (annotator1 = 2)::INT + (annotator2 = 2)::INT + (annotator3 = 2)::INT >= 2 " +
                        "THEN 2\n"
                + "              ELSE 0 END AS human\n"
                + "  FROM read_json('" + d + "/testset-v1.jsonl.gz') t\n"
                + "  JOIN read_json('" + d + "/gpt-3.5-turbo-testset-v1.jsonl.gz') g USING (idx)),\n"
                + "sides AS (\n"
                + "  SELECT instruction, input, response1::VARCHAR AS response, model1 AS model,\n"
                + "         CASE gpt_result WHEN '1' THEN 1 WHEN '2' THEN 0 WHEN 'Tie' THEN 0.5 END AS s,\n"
                + "         CASE human WHEN 1 THEN 1 WHEN 2 THEN 0 ELSE 0.5 END AS l FROM p\n"
                + "  UNION ALL\n"
                + "  SELECT instruction, input, response2::VARCHAR, model2,\n"
                + "         CASE gpt_result WHEN '2' THEN 1 WHEN '1' THEN 0 WHEN 'Tie' THEN 0.5 END,\n"
                + "         CASE human WHEN 2 THEN 1 WHEN 1 THEN 0 ELSE 0.5 END FROM p)\n"
                + "SELECT instruction AS prompt, input, response, model, avg(s) AS score, avg(l) AS label\n"
                + "FROM sides GROUP BY ALL";
    }

    @Test
    void aQueryOverSmallTablesMapsAndKeepsTheQueryInTheSummary() throws Exception {
        Path q = tmp.resolve("q.jsonl");
        Files.write(q, List.of("{\"qid\": 1, \"text\": \"first\"}", "{\"qid\": 2, \"text\": \"second\"}"));
        Path a = tmp.resolve("a.csv");
        Files.write(a, List.of("qid,text,rating", "1,x,1", "1,y,3", "2,z,2", "2,w,6"));
        String sql = "SELECT q.qid AS id, q.text AS prompt, a.text AS response, a.rating AS score"
                + " FROM read_json('" + q + "') q JOIN read_csv('" + a + "') a USING (qid) ORDER BY id, response";
        Path run = tmp.resolve("run");
        Cli.Result r = Cli.run("map", "--query", sql, "--out", run.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("2 instructions, 4 responses from a DuckDB query");
        List<String> csv = Files.readAllLines(run.resolve("map.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(1)).startsWith("1,first,2,2.0,1.0,1.0,");
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertThat(summary.at("/run/inputs/0/path").asText()).isEqualTo("query: " + sql);
        assertThat(summary.at("/run/inputs/0/format").asText()).isEqualTo("duckdb-query");
    }

    @Test
    void aBadQueryValueNamesTheRowAndColumnAndLeavesNoRun() {
        Path run = tmp.resolve("run");
        Cli.Result r = Cli.run("map", "--query", "SELECT * FROM (VALUES ('p', 'a', '1'), ('p', 'b', NULL),"
                + " ('p', 'c', 'x')) t(prompt, response, score)", "--out", run.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("query row 3: column 'score': expected a number, got \"x\"");
        assertThat(run).doesNotExist();
    }

    @Test
    void noInputAndNoQueryIsAUsageError() {
        Cli.Result r = Cli.run("map", "--out", tmp.resolve("run").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no input");
    }

    @Test
    void vicuna80QuestionsAnswersAndReviewsJoinIntoEightyInstructionsOfSevenResponses() throws Exception {
        Path d = RealData.require("vicuna80-gpt4");
        Path run = tmp.resolve("vicuna");
        Cli.Result r = Cli.run("map", "--query", vicuna80(d), "--out", run.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("80 instructions, 560 responses");
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertThat(summary.at("/map/mapped").asLong()).isEqualTo(80);
        assertThat(summary.at("/warnings")).isEmpty();
        assertThat(Files.readAllLines(run.resolve("map.csv")).get(1)).startsWith("1,How can I improve my time"
                + " management skills?,7,");
    }

    @Test
    void theNaiveMapOfVicuna80sTablesIsAnErrorThatPointsToTheQuery() {
        Path d = RealData.require("vicuna80-gpt4");
        Cli.Result r = Cli.run("map", d.resolve("question.jsonl.gz").toString(),
                d.resolve("answer/answer_bard.jsonl.gz").toString(), "--layout", "long", "--prompt-field", "text",
                "--response-field", "text", "--out", tmp.resolve("run").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("both read from field 'text'").contains("--query");

        Cli.Result auto = Cli.run("map", d.resolve("question.jsonl.gz").toString(),
                d.resolve("answer/answer_bard.jsonl.gz").toString(), "--out", tmp.resolve("run").toString());
        assertThat(auto.exit()).isEqualTo(2);
        assertThat(auto.err()).contains("cannot recognise the layout")
                .contains("the files share the id field question_id, so they look like tables to join")
                .contains("--query");
        assertThat(tmp.resolve("run")).doesNotExist();
    }

    @Test
    void pandalmGivesTheJudgeAsScoresAndTheHumansAsLabelsPerResponse() throws Exception {
        Path d = RealData.require("pandalm");
        Path run = tmp.resolve("pandalm");
        Cli.Result r = Cli.run("map", "--query", pandalm(d), "--out", run.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("170 instructions, 800 responses")
                .contains("labels: a separate annotation");
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertThat(summary.at("/map/mapped").asLong()).isEqualTo(169);
        assertThat(summary.at("/map/labels").asText()).isEqualTo("independent");
    }
}
