package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.admap.testing.StandIn;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admap score --batch} end to end against the stand-in's Files and Batches API. */
class ScoreBatchCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    @StandIn
    StandInServer server;
    Path run;

    @BeforeEach
    void start() throws Exception {
        server.batchPollsUntilDone(2);
        run = tmp.resolve("run");
        Cli.mapDemo(run);
    }

    private Cli.Result score(String... more) {
        String[] args = new String[6 + more.length];
        args[0] = "score";
        args[1] = run.toString();
        args[2] = "--scorer";
        args[3] = "judge";
        args[4] = "--base-url";
        args[5] = server.baseUrl();
        System.arraycopy(more, 0, args, 6, more.length);
        return Cli.run(args);
    }

    @Test
    void scoresEveryResponseThroughOneBatchAndTheMapUsesThem() throws Exception {
        Cli.Result r = score("--batch", "--poll-interval", "0.01");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("judge: submitted 200 requests in 1 batch")
                .contains("imported 1 batch: scored 200, failed 0").contains("at batch prices")
                .contains("next: admap map " + run + " --scores judge");
        assertThat(server.requests("/v1/batches")).isEqualTo(1);
        assertThat(server.requests("/v1/chat/completions")).isZero();
        assertThat(r.err()).contains("submitted batch batch-").contains("waiting for 1 batch")
                .contains("Ctrl-C is safe").contains("completed: 200 answers imported");

        Cli.Result mapped = Cli.run("map", run.toString(), "--scores", "judge", "-q");
        assertThat(mapped.exit()).as(mapped.toString()).isZero();
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertThat(summary.at("/map/scores").asText()).isEqualTo("judge");
        assertThat(summary.at("/run/items").asLong()).isEqualTo(50);
    }

    @Test
    void noWaitSubmitsAndALaterRunCollectsWithoutSubmittingAgain() {
        Cli.Result submitted = score("--batch", "--no-wait");
        assertThat(submitted.exit()).as(submitted.toString()).isZero();
        assertThat(submitted.out()).contains("submitted 200 requests in 1 batch").contains("1 batch still open (batch-")
                .contains("collect with 'admap score " + run + " --scorer judge --batch'");

        Cli.Result live = score();
        assertThat(live.exit()).isEqualTo(2);
        assertThat(live.err()).contains("not collected yet").contains("would pay for their requests again");
        assertThat(server.requests("/v1/chat/completions")).isZero();

        Cli.Result collected = score("--batch", "--poll-interval", "0");
        assertThat(collected.exit()).as(collected.toString()).isZero();
        assertThat(collected.out()).contains("1 batch of earlier runs found").contains("scored 200")
                .doesNotContain("submitted");
        assertThat(server.requests("/v1/batches")).isEqualTo(1);
        assertThat(server.requests("/v1/files")).isEqualTo(1);
    }

    @Test
    void aDryRunShowsRequestsBatchesAndTheHalfPriceEstimate() {
        Cli.Result r = score("--batch", "--dry-run");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("dry run for 'judge' through the Batch API: 200 requests in 1 batch")
                .contains("at batch prices");
        assertThat(server.requests()).isZero();
    }

    @Test
    void samplesGoThroughTheBatchApiAsOwnRowsAndTheDryRunCostsThemAtBatchPrices() throws Exception {
        Cli.Result one = score("--batch", "--dry-run");
        Cli.Result dry = score("--batch", "--samples", "3", "--dry-run");
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("through the Batch API: 600 requests in 1 batch");
        assertThat(dollars(dry.out())).isCloseTo(3 * dollars(one.out()), org.assertj.core.api.Assertions.within(0.02));
        assertThat(server.requests()).isZero();

        Cli.Result r = score("--batch", "--samples", "3", "--poll-interval", "0.01");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("judge: submitted 600 requests in 1 batch").contains("scored 600, failed 0");
        assertThat(server.requests("/v1/chat/completions")).isZero();
        assertThat(server.chatBodies()).isEmpty();
        assertThat(server.judgedWithSeed()).hasSize(600);

        Cli.Result again = score("--batch", "--samples", "3", "--poll-interval", "0.01");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).doesNotContain("submitted").contains("already scored 600");

        // --samples 3 defaults to temperature 1.0, live and through batches alike: the live run of the
        // same options finds every judgment stored and sends nothing.
        Cli.Result live = score("--samples", "3", "-q");
        assertThat(live.exit()).as(live.toString()).isZero();
        assertThat(server.requests("/v1/chat/completions")).isZero();
    }

    /** The estimated dollars of a batch dry run's first line. */
    private static double dollars(String out) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("out, \\$([0-9.]+) at batch prices").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void noWaitWithoutBatchIsRefused() {
        Cli.Result r = score("--no-wait");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--no-wait works with --batch only");
    }

    @Test
    void theHelpExplainsTheBatchOptions() {
        Cli.Result r = Cli.run("score", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--batch").contains("--poll-interval=SECONDS").contains("--no-wait")
                .contains("Batch API");
    }
}
