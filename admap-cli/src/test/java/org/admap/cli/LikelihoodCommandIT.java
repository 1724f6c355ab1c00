package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.admap.RealData;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code admap score --scorer likelihood} as a separate process against the stand-in's language
 * model, killed with SIGKILL in the middle and resumed: at most the calls in flight repeat.
 */
class LikelihoodCommandIT {

    private static final String MODEL = "01choco/LLaMA-UltraFeedback-SFT-3-Full";

    @TempDir
    Path tmp;
    StandInServer server;
    AdmapProcess admap;

    @BeforeEach
    void start() throws IOException {
        admap = new AdmapProcess(tmp);
        server = StandInServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aLikelihoodRunKilledWithSigkillResumesRepeatingAtMostTheCallsInFlight() throws Exception {
        admap.run("map", RealData.demo().toString(), "--out", "run");
        server.latency(150);
        int concurrency = 8;
        Process p = admap.start("score", "run", "--scorer", "likelihood", "--base-url", server.baseUrl(), "--model",
                MODEL, "--concurrency", Integer.toString(concurrency));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.requests() < 80 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
        assertThat(server.requests()).as(admap.stdout() + admap.stderr()).isBetween(80, 199);

        int sentBeforeKill = server.requests();
        server.latency(0);
        String resumed = admap.run("score", "run", "--scorer", "likelihood", "--base-url", server.baseUrl(), "--model",
                MODEL);
        assertThat(resumed).containsPattern("likelihood: scored \\d+, failed 0");

        assertThat(server.completions().prompts()).as("every response's text was sent").hasSize(200);
        long repeated = server.completions().prompts().values().stream().filter(n -> n.get() > 1).count();
        System.out.printf("likelihood SIGKILL: %d calls sent before the kill, %d texts sent twice on resuming"
                + " (concurrency %d)%n", sentBeforeKill, repeated, concurrency);
        assertThat(repeated).as("texts sent twice: at most the calls in flight at the kill")
                .isLessThanOrEqualTo(concurrency);
        assertThat(admap.run("map", "run", "--scores", "likelihood")).contains("map on scores 'likelihood'");
    }
}
