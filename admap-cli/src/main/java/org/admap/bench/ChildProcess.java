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
     * and arguments, as the {@code admap} launcher runs it: the throughput collector, and
     * the launcher's class-data archive ({@code admap.jsa} beside the jar) when there is one.
     */
    public static List<String> admap(List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        String classPath = System.getProperty("java.class.path");
        Path jar = Path.of(classPath.split(java.io.File.pathSeparator)[0]).toAbsolutePath();
        Path archive = jar.resolveSibling("admap.jsa");
        if (jar.toString().endsWith(".jar") && Files.isRegularFile(archive)) {
            cmd.add("-XX:SharedArchiveFile=" + archive);
            cmd.add("-Xlog:cds=off");
            cmd.add("-Xlog:cds+dynamic=off");
        }
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
