package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.admap.bench.ChildProcess;
import org.admap.cli.AdmapProcess.Ended;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./admap} launcher as a user runs it: a separate process on the packaged jar
 * (ADMAP_NO_BUILD keeps it from starting a Maven build inside this one).
 */
class LauncherIT {

    @TempDir
    Path tmp;
    AdmapProcess admap;

    @BeforeEach
    void setUp() {
        admap = new AdmapProcess(tmp);
    }

    @Test
    void theReadmeDemoRunsOfflineAndWritesAdmapDemo() throws Exception {
        Ended r = admap.attempt("demo");
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
        Ended r = admap.attempt("map", bad.toString(), "--out", "run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).hasLineCount(1).endsWith(":1: field 'responses[1].text': missing");
        assertThat(tmp.resolve("run")).doesNotExist();
    }

    @Test
    void aCommandOutOfHeapExitsTwoWithOneLineSayingHowToGiveItMore() throws Exception {
        // the full ingest groups long rows with their texts in memory: 25 MB of them do not fit in 48 MB
        Path data = tmp.resolve("long.jsonl");
        assertThat(admap.attempt("generate", "--instructions", "15000", "--layout", "long", "--out",
                data.toString(), "-q").exit()).isZero();
        Ended r = admap.attempt(Map.of("ADMAP_JAVA_OPTS", "-Xmx48m"), "map", data.toString(), "--out", "run",
                "--full-ingest", "-q");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).hasLineCount(1).startsWith("admap: error: out of memory: Java's heap (")
                .contains("'admap map'").contains("ADMAP_JAVA_OPTS=-Xmx4g");
        assertThat(tmp.resolve("run")).doesNotExist();
    }

    @Test
    void versionAndHelpWork() throws Exception {
        Ended r = admap.attempt("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("admap ");
    }

    @Test
    void aLibraryJarNewerThanTheClassDataArchiveHasItRemadeWithoutAWord() throws Exception {
        Path target = org.admap.RealData.repositoryRoot().resolve("admap-cli/target");
        Path core;
        try (Stream<Path> lib = Files.list(target.resolve("lib"))) {
            core = lib.filter(p -> p.getFileName().toString().startsWith("admap-core-")).findFirst().orElseThrow();
        }
        // as a rebuilt admap-core would be: the JVM would silently leave the old archive unused
        Files.setLastModifiedTime(core, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
        Ended r = admap.attempt("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("admap ");
        assertThat(r.err()).isEmpty();
        Path archive = target.resolve("admap.jsa");
        assertThat(Files.getLastModifiedTime(archive)).isGreaterThanOrEqualTo(Files.getLastModifiedTime(core));
        // -Xshare:on fails instead of running without an archive it cannot use
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive, "-jar", target.resolve("admap.jar").toString(), "--version")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("xshare.txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("xshare.txt"))).isZero();
    }

    @Test
    void theLauncherGivesEachCommandTheCollectorTheBenchmarkGivesIt() throws Exception {
        // on one core, and on three where the machine has them: the serial collector for the commands
        // after map on 2 cores or fewer, the throughput one otherwise (ChildProcess.collector)
        List<Integer> cores = Runtime.getRuntime().availableProcessors() >= 3 ? List.of(1, 3) : List.of(1);
        for (int n : cores) {
            for (String command : List.of("map", "diagnose", "select", "report", "serve")) {
                ProcessBuilder pb = new ProcessBuilder("taskset", "-c", n == 1 ? "0" : "0-2",
                        org.admap.RealData.repositoryRoot().resolve("admap").toString(), command, "--help")
                        .redirectErrorStream(true).redirectOutput(tmp.resolve("gc.txt").toFile());
                pb.environment().put("ADMAP_NO_BUILD", "1");
                pb.environment().put("ADMAP_JAVA_OPTS", "-Xlog:gc:stderr");
                Process p = pb.start();
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String out = Files.readString(tmp.resolve("gc.txt"));
                assertThat(p.exitValue()).as(out).isZero();
                String expected = ChildProcess.collector(command, n).equals("-XX:+UseSerialGC") ? "Serial"
                        : "Parallel";
                assertThat(out).as("%s on %d core(s)", command, n).contains("[gc] Using " + expected + "\n");
            }
        }
        assertThat(ChildProcess.collector("report", 2)).isEqualTo("-XX:+UseSerialGC");
        assertThat(ChildProcess.collector("map", 2)).isEqualTo("-XX:+UseParallelGC");
    }

    @Test
    void aMapKilledMidwayLeavesNoRunAndTheNextOneSucceeds() throws Exception {
        Path data = tmp.resolve("big.jsonl");
        admap.run("generate", "--instructions", "200000", "--out", data.toString());
        Path runDir = tmp.resolve("run");
        Process p = admap.start("map", data.toString(), "--out", runDir.toString(), "--full-ingest"); // builds a store
        waitForTemporaryStore(runDir, Duration.ofSeconds(60));
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block
        p.waitFor(30, TimeUnit.SECONDS);
        assertThat(runDir.resolve("run.duckdb")).doesNotExist();
        assertThat(runDir.resolve("map.csv")).doesNotExist();

        Ended again = admap.attempt("map", data.toString(), "--out", runDir.toString(), "--full-ingest");
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
        admap.run("generate", "--instructions", "200000", "--out", data.toString());
        Path runDir = tmp.resolve("run");
        Process p = admap.start("map", data.toString(), "--out", runDir.toString(), "--full-ingest"); // builds a store
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
