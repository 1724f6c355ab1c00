package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.admap.RealData;
import org.admap.internal.store.RunStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run survives what users and machines do to it (issue 20, items 11, 12 and the store
 * messages of 19): outputs never land on the run's own files; a command killed with SIGKILL
 * leaves the store and the files agreeing and the next command cleans up after it; two
 * commands building one deferred store at once both work; a damaged store and a full disk
 * are one clear line each.
 */
class RunSafetyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    // ---- item 11: outputs ---------------------------------------------------------------

    @Test
    void selectAndReportRefuseToWriteOverTheRunsOwnFilesEvenWithForce() throws Exception {
        Path run = Cli.mapDemo(tmp.resolve("run"));
        assertThat(Cli.run("diagnose", run.toString(), "--on-store").exit()).isZero(); // builds the store
        long before = Files.size(run.resolve("run.duckdb"));

        Cli.Result select = Cli.run("select", run.toString(), "--region", "high-avg", "--out",
                run.resolve("run.duckdb").toString(), "--force");
        assertThat(select.exit()).isEqualTo(2);
        assertThat(select.err().strip()).hasLineCount(1).contains("refusing to write").contains("the run store");

        Cli.Result report = Cli.run("report", run.toString(), "--html", run.resolve("run.duckdb").toString());
        assertThat(report.exit()).isEqualTo(2);
        assertThat(report.err()).contains("refusing to write");

        Cli.Result summary = Cli.run("select", run.toString(), "--region", "all", "--out",
                run.resolve("map.csv").toString(), "--force");
        assertThat(summary.exit()).isEqualTo(2);

        Cli.Result input = Cli.run("select", run.toString(), "--region", "all", "--out",
                RealData.demo().toString(), "--force");
        assertThat(input.exit()).isEqualTo(2);
        assertThat(input.err()).contains("an input of the run");

        assertThat(Files.size(run.resolve("run.duckdb"))).isEqualTo(before);
        try (RunStore store = RunStore.open(run.resolve("run.duckdb"))) {
            assertThat(store.itemCount()).isEqualTo(50);
        }
    }

    @Test
    void anExistingOutputNeedsForceInEveryCommand() throws Exception {
        Path run = Cli.mapDemo(tmp.resolve("run"));
        Path existing = tmp.resolve("existing.jsonl");
        Files.writeString(existing, "keep me\n");

        Cli.Result select = Cli.run("select", run.toString(), "--region", "high-avg", "--out", existing.toString());
        assertThat(select.exit()).isEqualTo(2);
        assertThat(select.err().strip()).hasLineCount(1).endsWith("already exists; use --force to replace it, or"
                + " choose another file");
        assertThat(Files.readString(existing)).isEqualTo("keep me\n");

        Path html = tmp.resolve("page.html");
        Files.writeString(html, "mine");
        assertThat(Cli.run("report", run.toString(), "--html", html.toString(), "--format", "svg").exit())
                .isEqualTo(2);
        assertThat(Files.readString(html)).isEqualTo("mine");

        assertThat(Cli.run("select", run.toString(), "--region", "high-avg", "--out", existing.toString(),
                "--force").exit()).isZero();
        assertThat(Files.readString(existing)).isNotEqualTo("keep me\n");
        // the report's own files in the run are rewritten without --force
        assertThat(Cli.run("report", run.toString(), "--no-html").exit()).isZero();
        assertThat(Cli.run("report", run.toString(), "--no-html").exit()).isZero();
    }

    // ---- item 12: one commit point, clean-up ------------------------------------------

    @Test
    void aDiagnoseKilledMidwayLeavesTheStoreAndItsFilesAgreeing() throws Exception {
        Path run = bigRun(60_000);
        assertThat(Cli.run("diagnose", run.toString(), "--no-duplicates").exit()).isZero();
        long flaggedBefore = flagsCsvRows(run);

        // a diagnosis with other thresholds, killed while it writes its files
        Process p = admap("diagnose", run.toString(), "--max-corr", "0.95", "--low-impact", "0.3",
                "--no-duplicates");
        boolean caught = waitFor(run, n -> n.contains(".flags.csv.") || n.contains(".diagnosis.json."),
                Duration.ofSeconds(120));
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block
        p.waitFor(30, TimeUnit.SECONDS);
        assertThat(caught).as("the diagnosis got to writing its files").isTrue();

        // the next command on the run finishes or discards what the killed one left
        assertThat(Cli.run("select", run.toString(), "--region", "high-avg", "--out",
                tmp.resolve("pairs.jsonl").toString()).exit()).isZero();
        assertThat(temporaries(run)).as("the next command cleaned up").isEmpty();
        long inStore = storeFlaggedItems(run);
        long inCsv = flagsCsvRows(run);
        long inJson = JSON.readTree(run.resolve("diagnosis.json").toFile()).get("flagged").asLong();
        assertThat(inStore).as("flags in the store").isEqualTo(inCsv).isEqualTo(inJson);
        assertThat(flaggedBefore).isNotEqualTo(countWithOtherThresholds(run)); // the kill could have shown
    }

    /** What the killed diagnosis would have flagged, to show that the two states differ. */
    private long countWithOtherThresholds(Path run) throws Exception {
        Path copy = tmp.resolve("copy");
        Files.createDirectories(copy);
        for (String f : List.of("run.duckdb", "map.csv", "summary.json")) {
            Files.copy(run.resolve(f), copy.resolve(f));
        }
        assertThat(Cli.run("diagnose", copy.toString(), "--max-corr", "0.95", "--low-impact", "0.3",
                "--no-duplicates").exit()).isZero();
        return flagsCsvRows(copy);
    }

    @Test
    void aMapForceKilledMidwayLeavesTheOldRunWhole() throws Exception {
        Path run = bigRun(60_000);
        assertThat(Cli.run("diagnose", run.toString(), "--no-duplicates").exit()).isZero();
        byte[] map = Files.readAllBytes(run.resolve("map.csv"));
        Set<String> files = names(run);

        Path other = tmp.resolve("other.jsonl");
        assertThat(Cli.run("generate", "--instructions", "60000", "--seed", "7", "--out", other.toString()).exit())
                .isZero();
        Process p = admap("map", other.toString(), "--out", run.toString(), "--force", "--full-ingest", "-q");
        boolean caught = waitFor(run, n -> n.contains(".map.csv.") || n.contains(".summary.json."),
                Duration.ofSeconds(180));
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        assertThat(caught).as("the new map got to writing map.csv").isTrue();

        assertThat(run.resolve("map.csv")).hasBinaryContent(map);
        assertThat(names(run)).containsAll(files); // flags.csv, diagnosis.json, summary.json: all still there
        try (RunStore store = RunStore.open(run.resolve("run.duckdb"))) {
            assertThat(store.itemCount()).isEqualTo(60_000);
        }
        assertThat(Cli.run("select", run.toString(), "--region", "all", "--out", tmp.resolve("all.jsonl").toString())
                .exit()).isZero();
        assertThat(temporaries(run)).isEmpty();
    }

    // ---- item 19: store messages --------------------------------------------------------

    @Test
    void twoCommandsBuildingOneDeferredStoreAtOnceBothSucceed() throws Exception {
        Path data = tmp.resolve("g.jsonl");
        assertThat(Cli.run("generate", "--instructions", "40000", "--out", data.toString()).exit()).isZero();
        Path run = tmp.resolve("run");
        assertThat(Cli.run("map", data.toString(), "--out", run.toString(), "-q").exit()).isZero();
        assertThat(run.resolve("store.pending.json")).exists();

        // a diagnosis on the store is a command that needs the store (select and report read the columns)
        Process a = admap("diagnose", run.toString(), "--on-store", "--no-duplicates");
        Process b = admap("diagnose", run.toString(), "--on-store", "--no-duplicates");
        assertThat(a.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(b.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String err = stderr();
        // the second waits for the first's store and uses it (or, if the first still has it open, says so)
        assertThat(err).doesNotContain("no such file").doesNotContain("internal error");
        for (Process p : List.of(a, b)) {
            assertThat(p.exitValue() == 0 || err.contains("is in use by another admap process (pid ")).as(err)
                    .isTrue();
        }
        assertThat(a.exitValue() == 0 || b.exitValue() == 0).as(err).isTrue();
        assertThat(run.resolve("run.duckdb")).exists();
        assertThat(run.resolve("store.pending.json")).doesNotExist();
        assertThat(temporaries(run)).isEmpty();
    }

    @Test
    void aTruncatedStoreIsReportedAsDamaged() throws Exception {
        Path run = tmp.resolve("run");
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", run.toString(), "-q", "--full-ingest").exit())
                .isZero();
        Path store = run.resolve("run.duckdb");
        try (RandomAccessFile f = new RandomAccessFile(store.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        Cli.Result r = Cli.run("select", run.toString(), "--region", "all", "--out", tmp.resolve("x.jsonl").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).hasLineCount(1).contains("run.duckdb is damaged (truncated?)")
                .doesNotContain("not an admap run store");
    }

    @Test
    void aFullDiskDuringAScannedMapIsOneLineAndLeavesNothing() throws Exception {
        Path small = tmp.resolve("small");
        Files.createDirectories(small);
        Assumptions.assumeTrue(mount(small), "skipped: mounting a 2 MB tmpfs needs root (it plays the full disk)");
        try {
            Path data = tmp.resolve("g.jsonl");
            assertThat(Cli.run("generate", "--instructions", "20000", "--out", data.toString()).exit()).isZero();
            Cli.Result r = Cli.run("map", data.toString(), "--out", small.resolve("run").toString(), "-q");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().strip()).hasLineCount(1).contains("no space left on device (disk full)")
                    .doesNotContain("internal error").doesNotContain(".tmp")
                    .containsPattern("run/[a-z_.]+: no space left on device"); // the file it was writing
            assertThat(small.resolve("run")).doesNotExist();
        } finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    // ---- helpers ---------------------------------------------------------------------

    private Path bigRun(int instructions) {
        Path data = tmp.resolve("big.jsonl");
        assertThat(Cli.run("generate", "--instructions", Integer.toString(instructions), "--out", data.toString())
                .exit()).isZero();
        Path run = tmp.resolve("run");
        Cli.Result r = Cli.run("map", data.toString(), "--out", run.toString(), "-q", "--full-ingest");
        assertThat(r.exit()).as(r.toString()).isZero();
        return run;
    }

    /** admap in a child JVM, as a user's process that can be killed. */
    private Process admap(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
    }

    private String stderr() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            StringBuilder all = new StringBuilder();
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("stderr")).toList()) {
                all.append(Files.readString(f, StandardCharsets.UTF_8));
            }
            return all.toString();
        }
    }

    private static boolean waitFor(Path dir, java.util.function.Predicate<String> name, Duration limit)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (names(dir).stream().anyMatch(name)) {
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new HashSet<>(files.map(f -> f.getFileName().toString()).toList());
        }
    }

    private static List<String> temporaries(Path dir) throws IOException {
        return names(dir).stream().filter(n -> n.endsWith(".tmp") || n.endsWith(".tmp.wal")
                || n.equals(".admap-commit.json")).toList();
    }

    private static long flagsCsvRows(Path run) throws IOException {
        try (var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .get().parse(Files.newBufferedReader(run.resolve("flags.csv")))) {
            return parser.stream().count();
        }
    }

    private static long storeFlaggedItems(Path run) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + run.resolve("run.duckdb").toAbsolutePath());
             var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(DISTINCT item_key) FROM flags")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean mount(Path dir) {
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
