package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.admap.RealData;
import org.admap.cli.AdmapProcess.Ended;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code admap score} as a separate process against the stand-in server in this JVM: killed
 * with SIGKILL in the middle and resumed, and run with a secret key that must never show.
 */
class ScoreCommandIT {

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
    void aScoringRunKilledWithSigkillResumesWithoutCallingAnyScoredResponseAgain() throws Exception {
        admap.run("map", RealData.demo().toString(), "--out", "run");
        server.latency(150);
        int concurrency = 8;
        Process p = admap.start("score", "run", "--scorer", "judge", "--base-url", server.baseUrl(),
                "--concurrency", Integer.toString(concurrency));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.requests() < 80 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
        int beforeKill = server.requests();
        assertThat(beforeKill).isBetween(80, 199);

        server.latency(0);
        Ended resumed = admap.attempt("score", "run", "--scorer", "judge", "--base-url", server.baseUrl());
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.out()).containsPattern("judge: scored \\d+, failed 0");

        long repeated = server.judged().values().stream().filter(n -> n.get() > 1).count();
        assertThat(server.judged()).hasSize(200);
        assertThat(repeated).as("responses judged twice: at most the calls in flight at the kill")
                .isLessThanOrEqualTo(concurrency);

        Ended map = admap.attempt("map", "run", "--scores", "judge");
        assertThat(map.exit()).as(map.err()).isZero();
        assertThat(map.out()).contains("map on scores 'judge'");
        try (var reader = Files.newBufferedReader(tmp.resolve("run/map.csv"))) {
            assertThat(org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(reader).getRecords()).hasSize(50);
        }
    }

    @Test
    void threeSamplesKilledWithSigkillResumeSampleBySampleRepeatingAtMostTheCallsInFlight() throws Exception {
        admap.run("map", RealData.demo().toString(), "--out", "run");
        server.latency(150).noisy(true);
        int concurrency = 8;
        Process p = admap.start("score", "run", "--scorer", "judge", "--base-url", server.baseUrl(),
                "--concurrency", Integer.toString(concurrency), "--samples", "3");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.requests() < 240 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
        assertThat(server.requests()).isBetween(240, 599);

        server.latency(0);
        Ended resumed = admap.attempt("score", "run", "--scorer", "judge", "--base-url", server.baseUrl(),
                "--samples", "3");
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.out()).containsPattern("judge: scored \\d+, failed 0, copied 0, already scored \\d+");

        assertThat(server.judgedWithSeed()).as("200 responses x 3 seeds").hasSize(600);
        long repeated = server.judgedWithSeed().values().stream().filter(n -> n.get() > 1).count();
        assertThat(repeated).as("judgments asked twice: at most the calls in flight at the kill")
                .isLessThanOrEqualTo(concurrency);

        Ended again = admap.attempt("score", "run", "--scorer", "judge", "--base-url", server.baseUrl(),
                "--samples", "3");
        assertThat(again.out()).contains("scored 0, failed 0, copied 0, already scored 600; 0 calls");
        Ended map = admap.attempt("map", "run", "--scores", "judge");
        assertThat(map.exit()).as(map.err()).isZero();
    }

    @Test
    void theApiKeyNeverAppearsInOutputOrFiles() throws Exception {
        String key = "sk-proj-SECRETabcdef0123456789XYZ";
        server.requireKey(key);
        admap.run("map", RealData.demo().toString(), "--out", "run");
        Ended ok = admap.attempt(Map.of("OPENAI_API_KEY", key), "score", "run", "--scorer", "judge", "--base-url",
                server.baseUrl(), "--per-call", "all");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(server.authorizations()).contains("Bearer " + key);

        Ended wrong = admap.attempt(Map.of("OPENAI_API_KEY", "sk-proj-WRONGabcdef0123456789XYZ"), "score", "run",
                "--scorer", "judge", "--base-url", server.baseUrl(), "--name", "judge2");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("check the API key").doesNotContain("WRONG").doesNotContain("abcdef0123");

        for (String text : List.of(ok.out(), ok.err(), wrong.out(), wrong.err())) {
            assertThat(text).doesNotContain("SECRET").doesNotContain(key);
        }
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(content).as(f.toString()).doesNotContain("SECRET").doesNotContain("WRONG");
            }
        }
    }
}
