package org.admap.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a command as a child process and returns its wall time: a whole process, start-up included. */
public final class ChildProcess {

    private ChildProcess() {
    }

    /**
     * The command that runs admap itself (this JVM's java and class path) with JVM options
     * and arguments, and the collector the {@code admap} launcher picks by default.
     */
    public static List<String> admap(List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-XX:+UseParallelGC");
        cmd.addAll(jvmOptions);
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.admap.cli.Main");
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Runs the command to its end and returns the seconds it took; fails with its output
     * when it exits non-zero.
     */
    public static double time(List<String> command, Path log) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int rc = p.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (rc != 0) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            throw new IOException(String.join(" ", command) + " exited with " + rc + ":\n"
                    + out.substring(Math.max(0, out.length() - 2000)));
        }
        return seconds;
    }
}
