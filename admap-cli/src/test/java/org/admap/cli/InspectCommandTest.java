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

/** {@code admap inspect}: how admap reads a dataset, before any run. */
class InspectCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theDemoDataIsInspectedInTextAndJsonAndNothingIsWritten() throws Exception {
        Cli.Result r = Cli.run("inspect", RealData.demo().toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("layout: multi-response, because the first row has 'responses'")
                .contains("read as: prompt <- prompt; response <- responses[].text; score <- responses[].score;"
                        + " label <- responses[].label")
                .contains("instructions: 50 with 200 responses")
                .contains("responses per instruction: 4: 50 (k: instructions)")
                .contains("sample, as admap reads it").contains("no warnings");

        Cli.Result j = Cli.run("inspect", RealData.demo().toString(), "--json", "--rows", "10");
        assertThat(j.exit()).as(j.toString()).isZero();
        JsonNode json = JSON.readTree(j.out());
        assertThat(json.at("/max_rows").asLong()).isEqualTo(10);
        assertThat(json.at("/inputs/0/layout").asText()).isEqualTo("multi");
        assertThat(json.at("/inputs/0/rows_read").asLong()).isEqualTo(10);
        assertThat(json.at("/inputs/0/complete").asBoolean()).isFalse();
        assertThat(json.at("/instructions/count").asLong()).isEqualTo(10);
        assertThat(json.at("/sample/responses")).hasSize(4);
        assertThat(json.at("/warnings/0").asText()).startsWith("read only the first 10 rows");
    }

    @Test
    void takesTheIngestOptionsAndSaysWhatAMapWouldRefuse() throws Exception {
        Path data = tmp.resolve("pairs.jsonl");
        Files.write(data, List.of("{\"prompt\": \"p1\", \"chosen\": \"good\", \"rejected\": \"bad\"}",
                "{\"prompt\": \"p2\", \"chosen\": \"fine\", \"rejected\": \"poor\"}"));
        Cli.Result r = Cli.run("inspect", data.toString(), "--reference-field", "refrence");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("labels only (no scores)").contains("select would refuse it")
                .contains("map would stop: ").contains("--reference-field 'refrence' names a field not in");
        assertThat(tmp.resolve("run")).doesNotExist();
    }

    @Test
    void aQueryIsInspectedToo() {
        Cli.Result r = Cli.run("inspect", "--query", "SELECT * FROM (VALUES ('p', 'a', 1.0), ('p', 'b', 2.0))"
                + " t(prompt, response, score)");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("query (duckdb-query)").contains("instructions: 1 with 2 responses")
                .contains("rows read: 2 (all)");
    }

    @Test
    void vicuna80sTablesAreSaidToNeedAJoin() {
        Path d = RealData.require("vicuna80-gpt4");
        Cli.Result r = Cli.run("inspect", d.resolve("question.jsonl.gz").toString(),
                d.resolve("answer/answer_bard.jsonl.gz").toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("layout: not recognised").contains("map would refuse: ")
                .contains("they look like tables to join").contains("--query");
    }

    @Test
    void noInputIsAUsageError() {
        Cli.Result r = Cli.run("inspect");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("inspect what?");
    }
}
