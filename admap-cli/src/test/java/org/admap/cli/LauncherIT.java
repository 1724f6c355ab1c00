package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.admap.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./admap} launcher as a user runs it: a separate process on the packaged jar
 * (ADMAP_NO_BUILD keeps it from starting a Maven build inside this one).
 */
class LauncherIT {

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(RealData.repositoryRoot().resolve("admap").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().put("ADMAP_NO_BUILD", "1");
        pb.redirectOutput(tmp.resolve("stdout.txt").toFile());
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        return pb.start();
    }

    private Run run(String... args) throws Exception {
        Process p = start(args);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("admap finished in time").isTrue();
        return new Run(p.exitValue(), Files.readString(tmp.resolve("stdout.txt"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("stderr.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void theReadmeDemoRunsOfflineAndWritesAdmapDemo() throws Exception {
        Run r = run("demo");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("50 instructions").contains("flagged 7");
        assertThat(r.err()).isEmpty(); // not a terminal: no progress bars
        assertThat(tmp.resolve("admap-demo/map.png")).isNotEmptyFile();
        assertThat(tmp.resolve("admap-demo/pairs/high-avg.trl.jsonl")).isNotEmptyFile();
    }

    @Test
    void badInputExitsTwoWithOneLineOnStderr() throws Exception {
        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\"}, {\"score\": 3}]}\n");
        Run r = run("map", bad.toString(), "--out", "run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).hasLineCount(1).endsWith(":1: field 'responses[1].text': missing");
        assertThat(tmp.resolve("run")).doesNotExist();
    }

    @Test
    void versionAndHelpWork() throws Exception {
        Run r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("admap ");
    }

    @Test
    void aMapKilledMidwayLeavesNoRunAndTheNextOneSucceeds() throws Exception {
        Path data = tmp.resolve("big.jsonl");
        assertThat(run("generate", "--instructions", "200000", "--out", data.toString()).exit()).isZero();
        Path runDir = tmp.resolve("run");
        Process p = start("map", data.toString(), "--out", runDir.toString(), "--full-ingest"); // builds a store
        waitForTemporaryStore(runDir, Duration.ofSeconds(60));
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block
        p.waitFor(30, TimeUnit.SECONDS);
        assertThat(runDir.resolve("run.duckdb")).doesNotExist();
        assertThat(runDir.resolve("map.csv")).doesNotExist();

        Run again = run("map", data.toString(), "--out", runDir.toString(), "--full-ingest");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("200,000 instructions");
        try (Stream<Path> files = Files.list(runDir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("run.duckdb", "map.csv", "summary.json");
        }
    }

    @Test
    void aMapInterruptedWithSigtermCleansUpAfterItself() throws Exception {
        Path data = tmp.resolve("big.jsonl");
        assertThat(run("generate", "--instructions", "200000", "--out", data.toString()).exit()).isZero();
        Path runDir = tmp.resolve("run");
        Process p = start("map", data.toString(), "--out", runDir.toString(), "--full-ingest"); // builds a store
        waitForTemporaryStore(runDir, Duration.ofSeconds(60));
        p.destroy(); // SIGTERM, as Ctrl-C's SIGINT: shutdown hooks run
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(runDir.resolve("run.duckdb")).doesNotExist();
        if (Files.exists(runDir)) {
            try (Stream<Path> files = Files.list(runDir)) {
                assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".duckdb.tmp"));
            }
        }
    }

    private static void waitForTemporaryStore(Path dir, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    if (files.anyMatch(f -> f.getFileName().toString().endsWith(".duckdb.tmp"))) {
                        Thread.sleep(300); // let it write for a moment
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the map never started writing its store in " + dir);
    }
}
