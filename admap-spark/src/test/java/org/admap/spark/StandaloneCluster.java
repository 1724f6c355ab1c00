package org.admap.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1 made of Spark's own daemons, each a separate JVM
 * started from a Spark home ({@code SPARK_HOME/jars}, laid out by the build from the jars
 * Maven Central serves): one {@code Master} and {@code Worker}s of one core each, with their
 * work directories (executor logs) under a directory of the test. Jobs are submitted through
 * {@code org.apache.spark.deploy.SparkSubmit} in a JVM of their own, as {@code spark-submit}
 * does. {@link #close} kills every process it started, with its children (the executors).
 */
final class StandaloneCluster implements AutoCloseable {

    /** What a submission printed and how it ended. */
    record Submitted(int exitCode, String log) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path sparkHome;
    private final List<String> jvmFlags;
    private final Path dir;
    private final int masterPort;
    private final int masterUiPort;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final List<Path> workerDirs = new ArrayList<>();
    private final List<Process> others = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StandaloneCluster(Path sparkHome, List<String> jvmFlags, Path dir) throws IOException {
        this.sparkHome = sparkHome;
        this.jvmFlags = jvmFlags;
        this.dir = dir;
        this.masterPort = freePort();
        this.masterUiPort = freePort();
        this.master = start("master", "256m", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(masterUiPort));
    }

    /**
     * Starts the Master and {@code workers} Workers and waits until the Master lists them alive.
     *
     * @throws IllegalStateException naming the log to read when a daemon does not come up
     */
    static StandaloneCluster start(Path sparkHome, List<String> jvmFlags, Path dir, int workers) throws IOException {
        Files.createDirectories(dir);
        StandaloneCluster cluster = new StandaloneCluster(sparkHome, jvmFlags, dir);
        try {
            cluster.await(() -> cluster.masterState() != null, Duration.ofSeconds(90),
                    "the Master did not answer on its web UI; see " + dir.resolve("master.log"));
            cluster.ensureWorkers(workers);
            return cluster;
        } catch (RuntimeException | IOException e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code spark://127.0.0.1:PORT}. */
    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** Starts Workers until {@code count} are alive, and waits until the Master lists them. */
    void ensureWorkers(int count) throws IOException {
        long alive = workers.stream().filter(Process::isAlive).count();
        for (long i = alive; i < count; i++) {
            int n = workers.size();
            Path work = dir.resolve("worker-" + n);
            Files.createDirectories(work);
            workerDirs.add(work);
            workers.add(start("worker-" + n, "256m", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", "1", "--memory", "768m", "--webui-port", String.valueOf(freePort()),
                    "--work-dir", work.toString(), masterUrl()));
        }
        await(() -> aliveWorkers() == count && liveWorkers().stream().allMatch(w -> logOf(w)
                .contains("Successfully registered with master")), Duration.ofSeconds(90),
                count + " workers did not register with the Master; see the worker-N.log files in " + dir);
    }

    /** The workers the Master lists as ALIVE. */
    long aliveWorkers() {
        JsonNode state = masterState();
        if (state == null) {
            return 0;
        }
        long alive = 0;
        for (JsonNode w : state.path("workers")) {
            alive += w.path("state").asText().equals("ALIVE") ? 1 : 0;
        }
        return alive;
    }

    /** The Master's state as its web UI serves it at {@code /json}, null when it does not answer. */
    JsonNode masterState() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort
                    + "/json/")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The live Workers' processes, in start order. */
    List<Process> liveWorkers() {
        return workers.stream().filter(Process::isAlive).toList();
    }

    /** The work directory of a Worker (its executors' stdout and stderr are under it). */
    Path workDir(Process worker) {
        return workerDirs.get(workers.indexOf(worker));
    }

    /** How many times the executors of this Worker logged {@code text} (in their stderr). */
    long executorLogCount(Process worker, String text) {
        try (Stream<Path> files = Files.walk(workDir(worker))) {
            return files.filter(f -> f.getFileName().toString().equals("stderr")).mapToLong(f -> {
                try {
                    return Files.readAllLines(f).stream().filter(l -> l.contains(text)).count();
                } catch (IOException e) {
                    return 0; // being written or rotated: counted at the next look
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** A daemon's log so far ("" when it cannot be read). */
    private String logOf(Process worker) {
        try {
            return Files.readString(dir.resolve("worker-" + workers.indexOf(worker) + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGKILLs a Worker and its executors, as when their machine is lost. */
    void kill(Process worker) {
        worker.descendants().forEach(ProcessHandle::destroyForcibly);
        worker.destroyForcibly();
        try {
            worker.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts {@code SparkSubmit --master spark://... --class org.admap.spark.SparkMain JOB_JAR ARGS}
     * in client mode (the driver in that JVM), returning at once; {@link #finish} waits for it.
     */
    Process submit(Path jobJar, String name, List<String> conf, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("--master", masterUrl(), "--deploy-mode", "client",
                "--class", "org.admap.spark.SparkMain", "--name", name,
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.executor.memory=512m", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", jvmFlags)));
        for (String c : conf) {
            command.add("--conf");
            command.add(c);
        }
        command.add(jobJar.toString());
        command.addAll(Arrays.asList(args));
        return start("submit-" + name, "768m", "org.apache.spark.deploy.SparkSubmit", command.toArray(String[]::new));
    }

    /** Waits for a submission to end (at most {@code timeout}) and reads its log. */
    Submitted finish(Process submission, String name, Duration timeout) throws IOException, InterruptedException {
        if (!submission.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            kill(submission);
            throw new IllegalStateException("spark-submit of " + name + " did not end within " + timeout + "; see "
                    + dir.resolve("submit-" + name + ".log"));
        }
        return new Submitted(submission.exitValue(), Files.readString(dir.resolve("submit-" + name + ".log")));
    }

    private Process start(String name, String heap, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(sparkHome.resolve("jars") + File.separator + "*");
        command.add(mainClass);
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // A Worker's launcher finds the Scala version from a distribution's layout, or from here.
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_DIRS", dir.resolve("local").toString());
        pb.environment().remove("SPARK_CONF_DIR");
        pb.environment().remove("HADOOP_CONF_DIR");
        Process p = pb.start();
        others.add(p);
        return p;
    }

    private void await(BooleanSupplier condition, Duration timeout, String failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !master.isAlive()) {
                throw new IllegalStateException(failure);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(failure, e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : others) {
            if (p.isAlive()) {
                kill(p);
            }
        }
    }
}
