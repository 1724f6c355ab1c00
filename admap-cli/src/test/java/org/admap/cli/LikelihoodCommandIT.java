package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @BeforeEach
    void start() throws IOException {
        server = StandInServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(RealData.repositoryRoot().resolve("admap").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().put("ADMAP_NO_BUILD", "1");
        pb.environment().remove("OPENAI_API_KEY");
        pb.redirectOutput(tmp.resolve("stdout.txt").toFile());
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        return pb.start();
    }

    private String run(String... args) throws Exception {
        Process p = start(args);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("admap finished in time").isTrue();
        String out = Files.readString(tmp.resolve("stdout.txt"));
        assertThat(p.exitValue()).as(out + Files.readString(tmp.resolve("stderr.txt"))).isZero();
        return out;
    }

    @Test
    void aLikelihoodRunKilledWithSigkillResumesRepeatingAtMostTheCallsInFlight() throws Exception {
        run("map", RealData.demo().toString(), "--out", "run");
        server.latency(150);
        int concurrency = 8;
        Process p = start("score", "run", "--scorer", "likelihood", "--base-url", server.baseUrl(), "--model", MODEL,
                "--concurrency", Integer.toString(concurrency));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.requests() < 80 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
        assertThat(server.requests()).as(Files.readString(tmp.resolve("stdout.txt"))
                + Files.readString(tmp.resolve("stderr.txt"))).isBetween(80, 199);

        int sentBeforeKill = server.requests();
        server.latency(0);
        String resumed = run("score", "run", "--scorer", "likelihood", "--base-url", server.baseUrl(), "--model",
                MODEL);
        assertThat(resumed).containsPattern("likelihood: scored \\d+, failed 0");

        assertThat(server.completions().prompts()).as("every response's text was sent").hasSize(200);
        long repeated = server.completions().prompts().values().stream().filter(n -> n.get() > 1).count();
        System.out.printf("likelihood SIGKILL: %d calls sent before the kill, %d texts sent twice on resuming"
                + " (concurrency %d)%n", sentBeforeKill, repeated, concurrency);
        assertThat(repeated).as("texts sent twice: at most the calls in flight at the kill")
                .isLessThanOrEqualTo(concurrency);
        assertThat(run("map", "run", "--scores", "likelihood")).contains("map on scores 'likelihood'");
    }
}
