package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.admap.testing.StandIn;
import org.admap.testing.StandInServer;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admap score --scorer likelihood} end to end, then the map on its scores. */
class LikelihoodCommandTest {

    /** An environment variable no machine sets: runs here never have a key. */
    private static final String NO_KEY = "ADMAP_TEST_NO_SUCH_KEY_VARIABLE";
    private static final String MODEL = "01choco/LLaMA-UltraFeedback-SFT-3-Full";

    @TempDir
    Path tmp;
    @StandIn
    StandInServer server;
    Path run;

    @BeforeEach
    void start() throws Exception {
        run = tmp.resolve("run");
        Cli.mapDemo(run);
    }

    @Test
    void aServedModelsLikelihoodScoresEveryResponseAndTheMapIsBuiltOnIt() throws Exception {
        Cli.Result dry = Cli.run("score", run.toString(), "--scorer", "likelihood", "--base-url", server.baseUrl(),
                "--model", MODEL, "--api-key-env", NO_KEY, "--dry-run", "--price-in", "1");
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("200 calls");
        assertThat(server.requests()).isZero();

        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "likelihood", "--base-url", server.baseUrl(),
                "--model", MODEL, "--likelihood-template", "chatml", "--api-key-env", NO_KEY, "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("endpoint language model: " + MODEL).contains("likelihood: scored 200, failed 0")
                .contains("next: admap map " + run + " --scores likelihood");
        assertThat(server.requests("/v1/completions")).isEqualTo(200);
        assertThat(server.completions().bodies().get(0).path("prompt").asText()).startsWith("<|im_start|>user\n");

        Cli.Result again = Cli.run("score", run.toString(), "--scorer", "likelihood", "--base-url", server.baseUrl(),
                "--model", MODEL, "--likelihood-template", "chatml", "--api-key-env", NO_KEY, "-q");
        assertThat(again.out()).contains("already scored 200");
        assertThat(server.requests("/v1/completions")).isEqualTo(200);

        Cli.Result map = Cli.run("map", run.toString(), "--scores", "likelihood");
        assertThat(map.exit()).as(map.toString()).isZero();
        assertThat(map.out()).contains("map on scores 'likelihood'");
        try (Reader in = Files.newBufferedReader(run.resolve("map.csv"))) {
            assertThat(CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)
                    .getRecords()).hasSize(50);
        }
    }

    @Test
    void missingModelServerOrABadTemplateAreRefusedBeforeAnyCall() throws Exception {
        Cli.Result noModel = Cli.run("score", run.toString(), "--scorer", "likelihood", "--base-url",
                server.baseUrl(), "--api-key-env", NO_KEY);
        assertThat(noModel.exit()).isNotZero();
        assertThat(noModel.err()).contains("--scorer likelihood needs --model");

        Cli.Result noServer = Cli.run("score", run.toString(), "--scorer", "likelihood", "--model", MODEL,
                "--api-key-env", NO_KEY);
        assertThat(noServer.exit()).isNotZero();
        assertThat(noServer.err()).contains("needs --base-url").contains("vLLM");

        Path bad = tmp.resolve("bad.txt");
        Files.writeString(bad, "{prompt}{response}<|im_end|>");
        Cli.Result badTemplate = Cli.run("score", run.toString(), "--scorer", "likelihood", "--model", MODEL,
                "--base-url", server.baseUrl(), "--likelihood-template", bad.toString(), "--api-key-env", NO_KEY);
        assertThat(badTemplate.exit()).isNotZero();
        assertThat(badTemplate.err()).contains("text after {response}");

        Cli.Result badMax = Cli.run("score", run.toString(), "--scorer", "likelihood", "--model", MODEL,
                "--base-url", server.baseUrl(), "--likelihood-max-tokens", "5", "--api-key-env", NO_KEY);
        assertThat(badMax.exit()).isNotZero();
        assertThat(badMax.err()).contains("--likelihood-max-tokens must be 0 or 1");
        assertThat(server.requests()).isZero();
    }

    @Test
    void aServerWithoutEchoStopsTheRunNamingTheServersThatServeIt() throws Exception {
        server.completions().ignoreEcho(true);
        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "likelihood", "--base-url", server.baseUrl(),
                "--model", MODEL, "--api-key-env", NO_KEY, "--concurrency", "2", "-q");
        assertThat(r.exit()).isNotZero();
        assertThat(r.toString()).contains("did not echo").contains("vLLM");
        assertThat(server.requests()).isLessThanOrEqualTo(2);
    }
}
