package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.admap.RealData;
import org.admap.testing.StandIn;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** score and run through the command line, against the stand-in server. */
class ScoreCommandTest {

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
    void scoresThenMapsOnTheJudgesScores() throws Exception {
        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(), "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("judge: scored 200, failed 0, copied 0, already scored 0; 200 calls")
                .contains("next: admap map " + run + " --scores judge");

        Cli.Result map = Cli.run("map", run.toString(), "--scores", "judge");
        assertThat(map.exit()).as(map.toString()).isZero();
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertThat(summary.at("/map/scores").asText()).isEqualTo("judge");
        assertThat(summary.at("/map/labels").asText()).isEqualTo("independent");
    }

    @Test
    void aDryRunPrintsCallsTokensAndCostAndCallsNothing() {
        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                "--dry-run");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("dry run for 'judge': 200 calls .* estimated [\\d,]+ tokens in, [\\d,]+"
                + " out, \\$\\d+\\.\\d\\d");
        assertThat(server.requests()).isZero();
    }

    @Test
    void aDryRunPricesEveryRationaleLiveAndThroughTheBatchApi() {
        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                "--dry-run", "--rationale", "none", "--logprobs");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("judge choices: --per-call one, --rationale none, --logprobs on")
                .containsPattern("--rationale full +200 calls +[\\d,]+ tokens in +[\\d,]+ out +\\$ *\\d+\\.\\d\\d"
                        + " +\\(--batch \\$\\d+\\.\\d\\d\\)")
                .contains("--rationale short").contains("--rationale none");
        assertThat(server.requests()).isZero();
    }

    @Test
    void logprobsOnAServerWithoutThemStopAtTheFirstCallWithExit2() {
        server.logprobs("none");
        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                "--logprobs", "on", "-q");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("returned no log-probabilities").contains("--logprobs auto");
        assertThat(server.requests("/v1/chat/completions")).isEqualTo(1);

        Cli.Result auto = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                "--logprobs", "auto", "--name", "judge-auto", "-q");
        assertThat(auto.exit()).as(auto.toString()).isZero();
        assertThat(auto.out()).contains("judge-auto: scored 200, failed 0");
    }

    @Test
    void ordersAreRefusedWithOneResponsePerCall() {
        Cli.Result orders = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                "--orders", "2", "-q");
        assertThat(orders.exit()).isEqualTo(2);
        assertThat(orders.err()).contains("--orders 2 works with --per-call all only");
        assertThat(server.requests()).isZero();
    }

    @Test
    void aDryRunAgainstOpenAiNeedsNoKey() {
        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "judge", "--dry-run", "--api-key-env",
                "ADMAP_TEST_UNSET_VARIABLE");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("200 calls");
    }

    @Test
    void callingOpenAiWithoutAKeyIsRefusedUpFront() {
        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "judge", "--api-key-env",
                "ADMAP_TEST_UNSET_VARIABLE");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no API key: set ADMAP_TEST_UNSET_VARIABLE");
    }

    @Test
    void anUnreachableServerStopsWithAClearMessage() {
        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", "http://127.0.0.1:9/v1",
                "--max-retries", "1", "--retry-delay", "0.01", "-q");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("cannot reach http://127.0.0.1:9/v1/chat/completions");
    }

    @Test
    void theBudgetStopsCleanlyAndTheNextRunGoesOn() {
        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                "--max-cost", "0.02", "--concurrency", "2", "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("stopped before exceeding --max-cost");
        int first = server.requests();
        Cli.Result rest = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(), "-q");
        assertThat(rest.out()).containsPattern("scored \\d+, failed 0, copied 0, already scored " + first);
        assertThat(server.requests()).isEqualTo(200);
    }

    @Test
    void failuresAreReportedWithTheirReasonsAndRetriedOnRequest() {
        server.alwaysUnparseable(true);
        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(), "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("failed 200").contains("200  the judge's answer has no score from 1 to 10")
                .contains("--retry-failed");
        server.alwaysUnparseable(false);
        Cli.Result again = Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(), "-q",
                "--retry-failed");
        assertThat(again.out()).contains("scored 200, failed 0");
    }

    @Test
    void badScorerOptionsAreUsageErrors() {
        assertThat(Cli.run("score", run.toString(), "--scorer", "oracle").err()).contains("unknown --scorer 'oracle'");
        assertThat(Cli.run("score", run.toString(), "--scorer", "judge", "--per-call", "some", "--base-url",
                server.baseUrl()).err()).contains("--per-call must be one or all");
        assertThat(Cli.run("score", run.toString(), "--scorer", "judge", "--per-call", "all", "--aspects",
                "--base-url", server.baseUrl()).err()).contains("--aspects works with --per-call one only");
        assertThat(Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", "not a url").err())
                .contains("is not a URL");
        assertThat(Cli.run("score", run.toString(), "--scorer", "judge", "--name", "labels", "--base-url",
                server.baseUrl()).err()).contains("'labels' is a built-in score source");
    }

    @Test
    void runDoesEverythingInOneGo() {
        Path other = tmp.resolve("other");
        Cli.Result r = Cli.run("run", RealData.demo().toString(), "--out", other.toString(), "--scorer", "judge",
                "--base-url", server.baseUrl(), "--per-call", "all", "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("scored 200").contains("map on scores 'judge'").contains("flagged");
        assertThat(other.resolve("flags.csv")).exists();
        assertThat(other.resolve("map.png")).exists();
        assertThat(server.requests()).isEqualTo(50);
    }
}
