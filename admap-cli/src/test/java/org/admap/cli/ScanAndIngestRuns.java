package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The set-up of the tests that compare a command on a scanned run (its columns and the input)
 * with the same command on a full ingest of the same file (its store): the two runs, mapped
 * from one file, and the inputs they are mapped from.
 *
 * @param fast the scanned run (columns, no store)
 * @param slow the full-ingest run (a store)
 */
record ScanAndIngestRuns(Path fast, Path slow) {

    /** Maps {@code data} twice under {@code dir}: {@code fast} by the scan, {@code slow} by the full ingest. */
    static ScanAndIngestRuns map(Path data, Path dir) {
        Path slow = dir.resolve("slow");
        ok("map", data.toString(), "--out", slow.toString(), "--full-ingest", "-q");
        Path fast = dir.resolve("fast");
        ok("map", data.toString(), "--out", fast.toString(), "-q");
        assertThat(fast.resolve("columns.bin")).as("the scan kept its columns").isRegularFile();
        assertThat(fast.resolve("run.duckdb")).as("the scan builds no store").doesNotExist();
        return new ScanAndIngestRuns(fast, slow);
    }

    /** A copy of the demo data in {@code dir} (a copy: some tests change their input). */
    static Path demo(Path dir) throws IOException {
        Path data = dir.resolve("demo.jsonl");
        Files.copy(Path.of("../examples/demo.jsonl"), data, StandardCopyOption.REPLACE_EXISTING);
        return data;
    }

    /** {@code admap generate}'s data of {@code instructions} instructions in {@code dir}. */
    static Path generated(Path dir, int instructions) {
        Path data = dir.resolve("g.jsonl");
        ok("generate", "--instructions", Integer.toString(instructions), "--out", data.toString(), "-q");
        return data;
    }

    /** Runs the command line, which must succeed. */
    static Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r).isZero();
        return r;
    }
}
