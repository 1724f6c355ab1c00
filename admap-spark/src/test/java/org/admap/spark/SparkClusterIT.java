package org.admap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.admap.ingest.IngestOptions;
import org.admap.internal.score.http.RateLimiter;
import org.admap.spark.score.ScorerSpec;
import org.admap.testing.StandInServer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The job on a real Spark standalone cluster: Spark's own Master and two Workers (one core
 * each) as separate JVMs on 127.0.0.1, started from the Spark home the build lays out, and
 * the job submitted through {@code SparkSubmit} with the job jar, as a user submits it. Its
 * Parquet map, flags and pairs equal {@code admap map}, {@code diagnose} and {@code select}
 * on the same files; so they do when a Worker and its executor are SIGKILLed mid-job; and
 * scoring against the stand-in reward model through such a kill repeats only what the dead
 * task had not committed, and stores every score once. Skipped, with the reason, where the
 * Spark home or the job jar is missing (run through {@code mvn verify}) or a daemon cannot
 * be started.
 */
class SparkClusterIT {

    /** Responses a dead scoring task may not have committed: one chunk (PartitionScoring.CHUNK) and its calls. */
    private static final int UNCOMMITTED = 64;
    private static final int CONCURRENCY = 2;
    private static final Duration JOB_LIMIT = Duration.ofMinutes(4);

    private static StandaloneCluster cluster;
    private static Path jobJar;
    private static Path root;
    private static String skipReason;
    private final SparkSession spark = LocalSpark.get();

    /**
     * Starts the cluster once. Where it cannot, the reason is kept and each test skips with it
     * (an assumption failing in {@code @BeforeAll} would skip the class without a test in the report).
     */
    @BeforeAll
    static void startCluster() throws IOException {
        String home = System.getProperty("admap.spark.home");
        String jar = System.getProperty("admap.spark.job.jar");
        String flags = System.getProperty("admap.spark.jvm.flags", "");
        if (home == null || !Files.isDirectory(Path.of(home, "jars"))) {
            skipReason = "no Spark home laid out (admap.spark.home=" + home + "): run through 'mvn verify', whose"
                    + " package phase copies Spark's jars to admap-spark/target/spark/jars";
            return;
        }
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            skipReason = "no job jar (admap.spark.job.jar=" + jar + "): run through 'mvn verify', whose package"
                    + " phase builds it";
            return;
        }
        jobJar = Path.of(jar).toAbsolutePath();
        root = Path.of(home).toAbsolutePath().getParent().resolve("spark-cluster-it");
        deleteTree(root);
        List<String> jvmFlags = Arrays.stream(flags.trim().split("\\s+")).filter(f -> !f.isEmpty()).toList();
        try {
            cluster = StandaloneCluster.start(Path.of(home).toAbsolutePath(), jvmFlags, root.resolve("cluster"), 2);
        } catch (IOException | IllegalStateException e) {
            skipReason = "cannot start a Spark standalone cluster (Master and 2 Workers) on 127.0.0.1: "
                    + e.getMessage();
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void twoWorkers() throws IOException {
        Assumptions.assumeTrue(skipReason == null, () -> skipReason);
        try {
            cluster.ensureWorkers(2); // a test before may have killed one
        } catch (IllegalStateException e) {
            Assumptions.abort("cannot restart a Spark Worker: " + e.getMessage());
        }
    }

    @Test
    void aSubmittedJobGivesTheSingleMachinesMapFlagsAndPairs() throws Exception {
        Path dir = Files.createDirectories(root.resolve("same"));
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        Files.write(a, GeneratedData.lines(1500, 7, 0));
        Files.write(b, GeneratedData.lines(900, 11, 1200)); // 300 ids repeat a.jsonl's
        Path out = dir.resolve("out");

        StandaloneCluster.Submitted job = cluster.finish(cluster.submit(jobJar, "same", List.of(
                "spark.default.parallelism=4", "spark.sql.shuffle.partitions=4"), a.toString(), b.toString(),
                "--out", out.toString(), "--region", "all"), "same", JOB_LIMIT);

        assertThat(job.exitCode()).as(job.log()).isZero();
        assertThat(job.log()).contains("2 files, 2400 instructions");
        for (Process worker : cluster.liveWorkers()) { // the work was shared: each executor ran tasks
            assertThat(cluster.executorLogCount(worker, "Finished task")).isPositive();
        }
        SingleMachine.Result expected = SingleMachine.run(List.of(a, b), IngestOptions.defaults(), null,
                dir.resolve("single"));
        assertSameResults(ParquetResults.read(spark, out, "pairs-all"), expected);
    }

    @Test
    void killingAWorkerMidJobStillGivesTheSameResults() throws Exception {
        Path dir = Files.createDirectories(root.resolve("kill"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 16; i++) { // one task per file, then shuffles of 8 partitions: work left to lose
            Path f = dir.resolve("part-" + i + ".jsonl");
            Files.write(f, GeneratedData.lines(150, 100 + i, i * 150));
            files.add(f);
        }
        Path out = dir.resolve("out");
        List<String> args = new ArrayList<>(files.stream().map(Path::toString).toList());
        args.addAll(List.of("--out", out.toString(), "--region", "high-avg"));

        Process submission = cluster.submit(jobJar, "kill", List.of("spark.default.parallelism=8",
                "spark.sql.shuffle.partitions=8"), args.toArray(String[]::new));
        Process victim = cluster.liveWorkers().get(1);
        long before = cluster.executorLogCount(victim, "Finished task"); // its executors of jobs before
        killOnce(submission, victim, () -> cluster.executorLogCount(victim, "Finished task") >= before + 6,
                "its executor finished 6 tasks of this job");
        StandaloneCluster.Submitted job = cluster.finish(submission, "kill", JOB_LIMIT);

        assertThat(job.exitCode()).as(job.log()).isZero();
        assertThat(job.log()).contains("Lost executor");
        SingleMachine.Result expected = SingleMachine.run(files, IngestOptions.defaults(),
                org.admap.model.Region.HIGH_AVG, dir.resolve("single"));
        assertSameResults(ParquetResults.read(spark, out, "pairs-high-avg"), expected);
    }

    @Test
    void scoringThroughAKilledWorkerRepeatsOnlyUncommittedCallsAndStoresEachScoreOnce() throws Exception {
        Path dir = Files.createDirectories(root.resolve("score"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path f = dir.resolve("part-" + i + ".jsonl");
            Files.write(f, GeneratedData.lines(150, 200 + i, i * 150));
            files.add(f);
        }
        Path out = dir.resolve("out");
        try (StandInServer server = StandInServer.start(); StandInServer reference = StandInServer.start()) {
            server.latency(15); // slow enough to kill a worker half-way
            List<String> args = new ArrayList<>(files.stream().map(Path::toString).toList());
            args.addAll(List.of("--out", out.toString(), "--region", "high-avg", "--scorer", "reward",
                    "--base-url", server.baseUrl(), "--model", "stand-in-reward", "--api-key-env",
                    "ADMAP_TEST_NO_SUCH_VARIABLE", "--concurrency", String.valueOf(CONCURRENCY), "--executors", "2"));

            Process submission = cluster.submit(jobJar, "score", List.of("spark.default.parallelism=8",
                    "spark.sql.shuffle.partitions=8"), args.toArray(String[]::new));
            Process victim = cluster.liveWorkers().get(1);
            // 2,299 responses in 8 tasks of about 287 (4 chunks and a rest), run two at a time: at 870
            // calls each executor is about 150 calls into its second task, which has committed chunks
            killOnce(submission, victim, () -> server.requests() >= 870, "the stand-in answered 870 calls");
            StandaloneCluster.Submitted job = cluster.finish(submission, "score", JOB_LIMIT);

            assertThat(job.exitCode()).as(job.log()).isZero();
            assertThat(job.log()).contains("Lost executor");
            Map<String, Integer> calls = new HashMap<>();
            for (JsonNode body : server.poolingBodies()) {
                calls.merge(body.path("messages").toString(), 1, Integer::sum);
            }
            int repeated = calls.values().stream().mapToInt(c -> c - 1).sum();
            JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
            long responses = summary.at("/scoring/responses").asLong();
            System.out.println("scoring through a killed Worker: " + responses + " responses, "
                    + server.poolingBodies().size() + " calls, " + repeated + " repeated");
            assertThat(calls).hasSize((int) responses); // every response was asked
            assertThat(repeated).as("calls repeated after the kill").isLessThanOrEqualTo(UNCOMMITTED + CONCURRENCY);
            assertThat(summary.at("/scoring/scored_ok").asLong()).isEqualTo(responses);

            Path store = Path.of(summary.at("/scoring/store").asText());
            System.out.println("chunks by partition and attempt: " + chunksByAttempt(store));
            Map<String, Integer> stored = storedScores(store);
            assertThat(stored).hasSize((int) responses);
            assertThat(stored.values()).as("scores stored more than once").allMatch(c -> c == 1);

            ScorerSpec spec = new ScorerSpec("reward", "reward", reference.baseUrl(), "stand-in-reward", "vllm", null,
                    0, 0, 4, 2, 10);
            SingleMachine.Result expected = SingleMachine.run(files, IngestOptions.defaults(),
                    org.admap.model.Region.HIGH_AVG, dir.resolve("single"), spec.create(RateLimiter.unlimited()),
                    "reward");
            assertSameResults(ParquetResults.read(spark, out, "pairs-high-avg"), expected);
        }
    }

    /** SIGKILLs {@code victim} (a Worker and its executor) once {@code ready} holds, while the job still runs. */
    private static void killOnce(Process submission, Process victim, java.util.function.BooleanSupplier ready,
                                 String when) throws InterruptedException {
        long deadline = System.nanoTime() + JOB_LIMIT.toNanos();
        while (!ready.getAsBoolean()) {
            if (!submission.isAlive()) {
                fail("the job ended before a Worker could be killed (waiting until " + when + "): make it longer");
            }
            if (System.nanoTime() > deadline) {
                fail("never reached the point to kill a Worker: " + when);
            }
            Thread.sleep(100);
        }
        assertThat(submission.isAlive()).as("the job still runs when the Worker is killed").isTrue();
        cluster.kill(victim);
    }

    /** How many chunks each attempt of each partition committed ({@code p3-a0} and {@code p3-a1}: a retried task). */
    private static Map<String, Long> chunksByAttempt(Path store) throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return new TreeMap<>(files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("p") && n.endsWith(".jsonl"))
                    .collect(Collectors.groupingBy(n -> n.replaceAll("-[0-9a-f]{8}-\\d+\\.jsonl$", ""),
                            Collectors.counting())));
        }
    }

    /** The number of successful stored lines per (prompt hash, response hash) in a score store. */
    private static Map<String, Integer> storedScores(Path store) throws IOException {
        Map<String, Integer> stored = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> chunks = Files.list(store)) {
            for (Path chunk : chunks.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList()) {
                for (String line : Files.readAllLines(chunk)) {
                    JsonNode n = json.readTree(line);
                    if (n.path("value").isNumber()) {
                        stored.merge(n.get("prompt_hash").asText() + " " + n.get("response_hash").asText(), 1,
                                Integer::sum);
                    }
                }
            }
        }
        return stored;
    }

    private static void assertSameResults(ParquetResults actual, SingleMachine.Result expected) {
        assertThat(actual.points()).isNotEmpty().containsExactlyElementsOf(expected.points());
        assertThat(actual.flags()).isNotEmpty().containsExactlyElementsOf(expected.flags());
        assertThat(actual.pairs()).isNotEmpty().containsExactlyElementsOf(expected.pairs());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
