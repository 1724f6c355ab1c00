package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.admap.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code admap map FILE --out run} as a new user runs it on the layouts preference data is
 * published in: the real files beside the repository (skipped where absent), and the
 * command-line options for them on small fixtures.
 */
class PublishedLayoutsCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private JsonNode summary(Path run) throws IOException {
        return JSON.readTree(run.resolve("summary.json").toFile());
    }

    private Path fixture(String name) throws IOException {
        try (InputStream in = PublishedLayoutsCliTest.class.getResourceAsStream("/org/admap/ingest/layouts/" + name)) {
            assertThat(in).as(name).isNotNull();
            Path file = tmp.resolve(name);
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        "llamafactory-demo, dpo_en_demo.json.gz, 300, 600, sharegpt",
        "llamafactory-demo, kto_en_demo.json.gz, 297, 300, unpaired (KTO)",
        "llamafactory-demo, v1_dpo_demo.jsonl, 10, 20, llamafactory-v1",
        "trl-zen, standard_preference.jsonl, 19, 38, pairwise",
        "trl-zen, standard_implicit_prompt_preference.jsonl, 19, 38, pairwise",
        "trl-zen, conversational_preference.jsonl, 19, 38, pairwise",
        "trl-zen, conversational_implicit_prompt_preference.jsonl, 19, 38, pairwise",
        "pku-saferlhf, Alpaca-7B_test.sample.jsonl, 26, 52, pku-saferlhf (label better)",
    })
    void realFilesMapAsTheyCome(String folder, String name, long items, long responses, String layout)
            throws Exception {
        Path file = RealData.require(folder).resolve(name);
        Path run = tmp.resolve("run");

        Cli.Result r = Cli.run("map", file.toString(), "--out", run.toString(), "-q");

        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode s = summary(run);
        assertThat(s.at("/run/items").asLong()).isEqualTo(items);
        assertThat(s.at("/run/responses").asLong()).isEqualTo(responses);
        assertThat(s.at("/run/inputs/0/layout").asText()).isEqualTo(layout);
        assertThat(Files.readAllLines(run.resolve("map.csv")).get(0)).startsWith("id,prompt,");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"standard_unpaired_preference.jsonl", "conversational_unpaired_preference.jsonl"})
    void trlUnpairedFilesAreReadButGiveNoMapSinceNoPromptHasTwoCompletions(String name) throws Exception {
        Path file = RealData.require("trl-zen").resolve(name);

        Cli.Result r = Cli.run("map", file.toString(), "--out", tmp.resolve("run").toString(), "-q");

        // Each of the 19 prompts has one completion: there is no spread within an instruction to map.
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("no instruction has two or more responses scored by 'labels'");
    }

    @Test
    void datasetInfoEntryReadsTheRealDemoTheSameAsAutoDetection() throws Exception {
        Path dir = RealData.require("llamafactory-demo");
        Path auto = tmp.resolve("auto");
        Path viaInfo = tmp.resolve("info");

        assertThat(Cli.run("map", dir.resolve("kto_en_demo.json.gz").toString(), "--out", auto.toString(), "-q")
                .exit()).isZero();
        Cli.Result r = Cli.run("map", dir.resolve("kto_en_demo.json.gz").toString(), "--dataset-info",
                dir.resolve("dataset_info.json").toString(), "--dataset", "kto_en_demo", "--out", viaInfo.toString(),
                "-q");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Files.readString(viaInfo.resolve("map.csv"))).isEqualTo(Files.readString(auto.resolve("map.csv")));
    }

    @Test
    void arenaTiesAreCountedByKindInSummaryJson() throws Exception {
        Path run = tmp.resolve("run");

        Cli.Result r = Cli.run("map", fixture("arena_winner.jsonl").toString(), fixture("arena.csv").toString(),
                "--out", run.toString(), "-q");

        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode noted = summary(run).at("/run/rows_noted");
        assertThat(noted.get("arena winner: model_a").asLong()).isEqualTo(3);
        assertThat(noted.get("arena winner: model_b").asLong()).isEqualTo(1);
        assertThat(noted.get("arena winner: tie").asLong()).isEqualTo(2);
        assertThat(noted.get("arena winner: tie (bothbad)").asLong()).isEqualTo(1);
        assertThat(summary(run).at("/run/bad_rows/noted").isMissingNode()).isTrue();
    }

    @Test
    void arenaRowsWithoutAWinnerAreSkippedAndCountedByReason() throws Exception {
        Path file = tmp.resolve("arena.csv");
        Files.writeString(file, "model_a,model_b,prompt,response_a,response_b,"
                + "winner_model_a,winner_model_b,winner_tie\n"
                + "a,b,q1,x,y,1,0,0\na,b,q2,x,y,0,0,0\na,b,q3,x,y,0,0,1\n");
        Path run = tmp.resolve("run");

        Cli.Result failed = Cli.run("map", file.toString(), "--out", run.toString(), "-q");
        assertThat(failed.exit()).isEqualTo(2);
        assertThat(failed.err()).contains("row 2: field 'winner_model_a': no winner");

        Cli.Result r = Cli.run("map", file.toString(), "--out", run.toString(), "--skip-bad-rows", "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode s = summary(run);
        assertThat(s.at("/run/bad_rows/count").asLong()).isEqualTo(1);
        assertThat(s.at("/run/bad_rows/by_reason").fieldNames().next()).startsWith("winner_model_a: no winner");
        assertThat(s.at("/run/rows_noted/arena winner: tie").asLong()).isEqualTo(1);
    }

    @Test
    void columnsOptionRemapsAShareGptFileAndLabelFieldPicksTheHelpSteerAttribute() throws Exception {
        Path run = tmp.resolve("run");
        Cli.Result r = Cli.run("map", fixture("sharegpt_remapped.json").toString(), "--columns",
                "messages=dialog,chosen=better,rejected=worse,role_tag=speaker,content_tag=text,user_tag=me,"
                        + "assistant_tag=bot", "--out", run.toString(), "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(summary(run).at("/run/inputs/0/layout").asText()).isEqualTo("sharegpt");

        Path hs = tmp.resolve("hs");
        r = Cli.run("map", fixture("helpsteer.jsonl").toString(), "--label-field", "correctness", "--out",
                hs.toString(), "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(summary(hs).at("/run/inputs/0/layout").asText()).isEqualTo("helpsteer (label correctness)");
        assertThat(summary(hs).at("/run/items").asLong()).isEqualTo(2);
    }

    @Test
    void datasetWithoutDatasetInfoIsAUsageError() throws Exception {
        Cli.Result r = Cli.run("map", fixture("nectar.jsonl").toString(), "--dataset", "x", "--out",
                tmp.resolve("run").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--dataset needs --dataset-info FILE");
    }
}
