package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.admap.RealData;

/**
 * The repository's {@code ./admap} launcher run as a separate process, as a user runs it, for
 * the *IT tests that kill it: in a working directory, on the packaged jar (ADMAP_NO_BUILD keeps
 * the launcher from starting a Maven build inside the test), without an OpenAI key, its output
 * in {@code stdout.txt} and {@code stderr.txt} of that directory (each start overwrites them).
 */
final class AdmapProcess {

    /** How long {@link #run} waits for a command to end. */
    private static final long TIMEOUT_S = 180;

    private final Path dir;

    /** @param dir the working directory: relative paths in the arguments are under it */
    AdmapProcess(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code admap ARGS} and returns at once (to be killed, or waited for). */
    Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(RealData.repositoryRoot().resolve("admap").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("ADMAP_NO_BUILD", "1");
        pb.environment().remove("OPENAI_API_KEY");
        pb.redirectOutput(dir.resolve("stdout.txt").toFile());
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        return pb.start();
    }

    /** Runs {@code admap ARGS} to its end, asserts that it ended in time with exit 0, and returns its stdout. */
    String run(String... args) throws Exception {
        Process p = start(args);
        assertThat(p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)).as("admap finished in time").isTrue();
        assertThat(p.exitValue()).as(stdout() + stderr()).isZero();
        return stdout();
    }

    /** The standard output of the last command started. */
    String stdout() throws IOException {
        return Files.readString(dir.resolve("stdout.txt"));
    }

    /** The standard error of the last command started. */
    String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr.txt"));
    }
}
