package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.admap.RealData;

/**
 * The repository's {@code ./admap} launcher run as a separate process, as a user runs it, for
 * the *IT tests: in a working directory, on the packaged jar (ADMAP_NO_BUILD keeps the launcher
 * from starting a Maven build inside the test), without an OpenAI key unless a test gives one,
 * its output in {@code stdout.txt} and {@code stderr.txt} of that directory (each start
 * overwrites them).
 */
final class AdmapProcess {

    /** How long {@link #run} and {@link #attempt} wait for a command to end. */
    private static final long TIMEOUT_S = 180;

    private final Path dir;

    /** @param dir the working directory: relative paths in the arguments are under it */
    AdmapProcess(Path dir) {
        this.dir = dir;
    }

    /** How a command ended: its exit status and what it wrote. */
    record Ended(int exit, String out, String err) {
    }

    /** Starts {@code admap ARGS} and returns at once (to be killed, or waited for). */
    Process start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    /** Starts {@code admap ARGS} with {@code env} added to its environment and returns at once. */
    Process start(Map<String, String> env, String... args) throws IOException {
        ProcessBuilder pb = builder(env, args);
        pb.redirectOutput(dir.resolve("stdout.txt").toFile());
        return pb.start();
    }

    /**
     * Starts {@code admap ARGS} with its standard output left as the process's pipe, for a
     * command whose output is read while it runs (serve prints its address, then serves).
     */
    Process startReadingStdout(String... args) throws IOException {
        return builder(Map.of(), args).start();
    }

    /** Runs {@code admap ARGS} to its end, asserts that it ended in time with exit 0, and returns its stdout. */
    String run(String... args) throws Exception {
        Ended ended = attempt(args);
        assertThat(ended.exit()).as(ended.out() + ended.err()).isZero();
        return ended.out();
    }

    /** Runs {@code admap ARGS} to its end, asserts only that it ended in time, and returns how it ended. */
    Ended attempt(String... args) throws Exception {
        return attempt(Map.of(), args);
    }

    /** As {@link #attempt(String...)}, with {@code env} added to the command's environment. */
    Ended attempt(Map<String, String> env, String... args) throws Exception {
        Process p = start(env, args);
        assertThat(p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)).as("admap finished in time").isTrue();
        return new Ended(p.exitValue(), stdout(), stderr());
    }

    /** The standard output of the last command started (not of one started reading stdout). */
    String stdout() throws IOException {
        return Files.readString(dir.resolve("stdout.txt"));
    }

    /** The standard error of the last command started. */
    String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr.txt"));
    }

    private ProcessBuilder builder(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(RealData.repositoryRoot().resolve("admap").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("ADMAP_NO_BUILD", "1");
        pb.environment().remove("OPENAI_API_KEY");
        pb.environment().putAll(env);
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        return pb;
    }
}
