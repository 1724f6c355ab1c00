package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code admap score --scorer reference} with the in-process ONNX model, stopped by SIGTERM
 * and then by Ctrl-C (SIGINT) while it embeds: each time it stops cleanly (no JVM crash, the
 * conventional exit status, one line saying how far it got) and keeps what it scored, and a
 * last run scores the rest, every response exactly once.
 */
class ScoreInterruptTest {

    private static final int ITEMS = 24;
    private static final int RESPONSES = 4;
    private static final Pattern KEPT = Pattern.compile(
            "interrupted: ([\\d,]+) of ([\\d,]+) responses scored and kept; rerun the same command to resume");

    @TempDir
    Path tmp;

    @Test
    void sigtermThenSigintStopTheEmbeddingScorerCleanlyAndTheRerunScoresEachResponseOnce() throws Exception {
        Path run = tmp.resolve("run");
        Cli.Result mapped = Cli.run("map", data().toString(), "--out", run.toString(), "-q");
        assertThat(mapped.exit()).as(mapped.toString()).isZero();
        int total = ITEMS * RESPONSES;

        Stopped term = scoreUntilSignal(run, "TERM");
        assertThat(term.exit()).as(term.err()).isEqualTo(143);
        assertThat(term.kept()).as(term.err()).isBetween(1L, total - 1L);

        Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored in this process (a background job of a"
                + " shell without job control), and so in its children: the Ctrl-C half cannot run here");
        Stopped interrupted = scoreUntilSignal(run, "INT");
        assertThat(interrupted.exit()).as(interrupted.err()).isEqualTo(130);
        assertThat(interrupted.kept()).as(interrupted.err()).isBetween(term.kept() + 1, total - 1L);

        Process last = admap(run, "last");
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).as("the last run finished").isTrue();
        String out = Files.readString(tmp.resolve("last.out"));
        assertThat(last.exitValue()).as(out + Files.readString(tmp.resolve("last.err"))).isZero();
        assertThat(out).contains(String.format(Locale.ROOT, "ref: scored %,d, failed 0, copied 0, already scored %,d",
                total - interrupted.kept(), interrupted.kept()));

        assertThat(hsErrFiles()).as("JVM crash reports").isEmpty();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + run.resolve("run.duckdb"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT (item_key, position)),"
                     + " count(*) FILTER (status = 'ok') FROM scores WHERE source = 'ref'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("score rows").isEqualTo(total);
            assertThat(rs.getLong(2)).as("responses scored").isEqualTo(total);
            assertThat(rs.getLong(3)).as("scored successfully").isEqualTo(total);
        }
    }

    /** What a run stopped by a signal left. */
    private record Stopped(int exit, long kept, String err) {
    }

    /** Starts scoring, signals it once it has committed some scores, and waits for it to end. */
    private Stopped scoreUntilSignal(Path run, String signal) throws Exception {
        Path wal = run.resolve("run.duckdb.wal");
        assertThat(wal).as("the store was closed cleanly before").doesNotExist();
        Process p = admap(run, signal);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // Scores, references and vectors are committed as they come: a growing log means scoring is under way.
        while (p.isAlive() && size(wal) < 32 * 1024 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("still scoring when the signal is sent").isTrue();
        if (signal.equals("TERM")) {
            p.destroy(); // SIGTERM
        } else {
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor()).isZero();
        }
        assertThat(p.waitFor(45, TimeUnit.SECONDS)).as("admap stopped after SIG" + signal).isTrue();
        String err = Files.readString(tmp.resolve(signal + ".err"));
        Matcher m = KEPT.matcher(err);
        assertThat(m.find()).as("the interrupted line in: " + err).isTrue();
        assertThat(err.strip().lines().filter(l -> l.startsWith("interrupted:"))).hasSize(1);
        assertThat(Long.parseLong(m.group(2).replace(",", ""))).isEqualTo(ITEMS * RESPONSES);
        return new Stopped(p.exitValue(), Long.parseLong(m.group(1).replace(",", "")), err);
    }

    /** admap score in a child JVM, as a user's process that gets signals; its output goes to NAME.out/.err. */
    private Process admap(Path run, String name) throws IOException {
        // C1 and the serial collector: a quicker start on a busy machine; the model's work is native anyway
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(),
                "score", run.toString(), "--scorer", "reference", "--name", "ref", "--concurrency", "2",
                "--api-key-env", "ADMAP_TEST_NO_SUCH_KEY_VARIABLE"));
        return new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(tmp.resolve(name + ".out").toFile())
                .redirectError(tmp.resolve(name + ".err").toFile()).start();
    }

    /** Instructions with a reference each (so no writer is needed) and distinct responses. */
    private Path data() throws IOException {
        ObjectMapper json = new ObjectMapper();
        String[] words = ("river cloud engine garden market winter signal copper forest harbor lantern meadow orbit"
                + " puzzle quartz ribbon saddle timber velvet willow").split(" ");
        Random random = new Random(7);
        Path file = tmp.resolve("data.jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (int i = 0; i < ITEMS; i++) {
                ObjectNode item = json.createObjectNode();
                item.put("id", "q" + i);
                item.put("prompt", "Question " + i + ": " + words(words, random, 10) + "?");
                item.put("reference", "Answer " + i + ": " + words(words, random, 25) + ".");
                ArrayNode responses = item.putArray("responses");
                for (int r = 0; r < RESPONSES; r++) {
                    responses.addObject().put("text", "Response " + r + " to " + i + ": " + words(words, random, 25)
                            + ".").put("score", random.nextInt(10) + 1);
                }
                w.write(json.writeValueAsString(item));
                w.newLine();
            }
        }
        return file;
    }

    private static String words(String[] words, Random random, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
        }
        return b.toString();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException absent) {
            return 0;
        }
    }

    private List<Path> hsErrFiles() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().startsWith("hs_err_pid")).toList();
        }
    }

    /** Whether this JVM was started with SIGINT ignored (its children inherit that). */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }
}
