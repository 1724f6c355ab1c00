package org.admap.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Runs a command as a child process and returns its wall time: a whole process, start-up included. */
public final class ChildProcess {

    private ChildProcess() {
    }

    /**
     * The command that runs admap itself (this JVM's java and class path) with JVM options
     * and arguments, as the {@code admap} launcher runs it: its collector ({@link #collector}),
     * and the launcher's class-data archive ({@code admap.jsa} beside the jar) when there is one.
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
        cmd.add(collector(args.isEmpty() ? "" : args.get(0), Runtime.getRuntime().availableProcessors()));
        cmd.addAll(jvmOptions);
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.admap.cli.Main");
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The collector the {@code admap} launcher gives {@code command} on a machine of {@code
     * cores}: the throughput collector, but the serial one for the commands after map on 2
     * cores or fewer (the launcher's comment says why; {@code LauncherIT} checks the two agree).
     */
    public static String collector(String command, int cores) {
        boolean afterMap = command.equals("diagnose") || command.equals("select") || command.equals("report");
        return afterMap && cores <= 2 ? "-XX:+UseSerialGC" : "-XX:+UseParallelGC";
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

    /**
     * The command that runs another main class of this class path in a JVM of its own (the
     * DuckDB pipeline script).
     */
    public static List<String> java(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** A whole process's wall time and peak resident memory (0 when unknown). */
    public record Timing(double seconds, long peakKb) {
    }

    /**
     * As {@link #time}, with the process's peak resident set size from {@code /usr/bin/time}
     * where that exists (its start-up is a millisecond or two, counted in the seconds).
     */
    public static Timing timed(List<String> command, Path log) throws IOException, InterruptedException {
        Path gnuTime = Path.of("/usr/bin/time");
        if (!Files.isExecutable(gnuTime)) {
            return new Timing(time(command, log), 0);
        }
        Path peak = Files.createTempFile("admap-bench", ".rss");
        try {
            List<String> wrapped = new ArrayList<>(List.of(gnuTime.toString(), "-f", "%M", "-o", peak.toString()));
            wrapped.addAll(command);
            double seconds = time(wrapped, log);
            String kb = Files.readString(peak, StandardCharsets.UTF_8).strip();
            String last = kb.substring(kb.lastIndexOf('\n') + 1).strip();
            return new Timing(seconds, last.matches("\\d+") ? Long.parseLong(last) : 0);
        } finally {
            Files.deleteIfExists(peak);
        }
    }

    /** Deletes a directory and everything in it, if it exists. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The bytes of the regular files under a directory. */
    public static long treeSize(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            long total = 0;
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }
}
