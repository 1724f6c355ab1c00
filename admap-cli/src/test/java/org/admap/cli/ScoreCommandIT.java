package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.admap.RealData;
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

    @BeforeEach
    void start() throws IOException {
        server = StandInServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    record Run(int exit, String out, String err) {
    }

    private Process start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(RealData.repositoryRoot().resolve("admap").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().put("ADMAP_NO_BUILD", "1");
        pb.environment().remove("OPENAI_API_KEY");
        pb.environment().putAll(env);
        pb.redirectOutput(tmp.resolve("stdout.txt").toFile());
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        return pb.start();
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        Process p = start(env, args);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("admap finished in time").isTrue();
        return new Run(p.exitValue(), Files.readString(tmp.resolve("stdout.txt")),
                Files.readString(tmp.resolve("stderr.txt")));
    }

    @Test
    void aScoringRunKilledWithSigkillResumesWithoutCallingAnyScoredResponseAgain() throws Exception {
        assertThat(run(Map.of(), "map", RealData.demo().toString(), "--out", "run").exit()).isZero();
        server.latency(150);
        int concurrency = 8;
        Process p = start(Map.of(), "score", "run", "--scorer", "judge", "--base-url", server.baseUrl(),
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
        Run resumed = run(Map.of(), "score", "run", "--scorer", "judge", "--base-url", server.baseUrl());
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.out()).containsPattern("judge: scored \\d+, failed 0");

        long repeated = server.judged().values().stream().filter(n -> n.get() > 1).count();
        assertThat(server.judged()).hasSize(200);
        assertThat(repeated).as("responses judged twice: at most the calls in flight at the kill")
                .isLessThanOrEqualTo(concurrency);

        Run map = run(Map.of(), "map", "run", "--scores", "judge");
        assertThat(map.exit()).as(map.err()).isZero();
        assertThat(map.out()).contains("map on scores 'judge'");
        try (var reader = Files.newBufferedReader(tmp.resolve("run/map.csv"))) {
            assertThat(org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(reader).getRecords()).hasSize(50);
        }
    }

    @Test
    void threeSamplesKilledWithSigkillResumeSampleBySampleRepeatingAtMostTheCallsInFlight() throws Exception {
        assertThat(run(Map.of(), "map", RealData.demo().toString(), "--out", "run").exit()).isZero();
        server.latency(150).noisy(true);
        int concurrency = 8;
        Process p = start(Map.of(), "score", "run", "--scorer", "judge", "--base-url", server.baseUrl(),
                "--concurrency", Integer.toString(concurrency), "--samples", "3");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.requests() < 240 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
        assertThat(server.requests()).isBetween(240, 599);

        server.latency(0);
        Run resumed = run(Map.of(), "score", "run", "--scorer", "judge", "--base-url", server.baseUrl(),
                "--samples", "3");
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.out()).containsPattern("judge: scored \\d+, failed 0, copied 0, already scored \\d+");

        assertThat(server.judgedWithSeed()).as("200 responses x 3 seeds").hasSize(600);
        long repeated = server.judgedWithSeed().values().stream().filter(n -> n.get() > 1).count();
        assertThat(repeated).as("judgments asked twice: at most the calls in flight at the kill")
                .isLessThanOrEqualTo(concurrency);

        Run again = run(Map.of(), "score", "run", "--scorer", "judge", "--base-url", server.baseUrl(),
                "--samples", "3");
        assertThat(again.out()).contains("scored 0, failed 0, copied 0, already scored 600; 0 calls");
        Run map = run(Map.of(), "map", "run", "--scores", "judge");
        assertThat(map.exit()).as(map.err()).isZero();
    }

    @Test
    void theApiKeyNeverAppearsInOutputOrFiles() throws Exception {
        String key = "sk-proj-SECRETabcdef0123456789XYZ";
        server.requireKey(key);
        assertThat(run(Map.of(), "map", RealData.demo().toString(), "--out", "run").exit()).isZero();
        Run ok = run(Map.of("OPENAI_API_KEY", key), "score", "run", "--scorer", "judge", "--base-url",
                server.baseUrl(), "--per-call", "all");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(server.authorizations()).contains("Bearer " + key);

        Run wrong = run(Map.of("OPENAI_API_KEY", "sk-proj-WRONGabcdef0123456789XYZ"), "score", "run", "--scorer",
                "judge", "--base-url", server.baseUrl(), "--name", "judge2");
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
