package org.admap.spark;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.ingest.IngestOptions;
import org.admap.model.Region;
import org.admap.options.DiagnoseFlags;
import org.admap.options.IngestFlags;
import org.admap.options.MapFlags;
import org.admap.options.PairFlags;
import org.admap.options.PaperDefaults;
import org.admap.options.StabilityFlags;
import org.admap.select.ExportFormat;
import org.admap.select.SelectionExport;
import org.admap.spark.score.ScorerSpec;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * The spark-submit entry point: {@code admap map} + {@code diagnose} + {@code select} of a
 * dataset too large for one machine, written as Parquet. Exit codes as admap's: 0 done,
 * 2 bad input or arguments, 1 internal error.
 */
@Command(name = "admap-spark", mixinStandardHelpOptions = true, versionProvider = SparkMain.VersionProvider.class,
        defaultValueProvider = PaperDefaults.class,
        description = {"Builds the alignment data map of preference data on Apache Spark: the map with its"
                + " regions by global rank, the diagnosis, and the DPO pairs of a region, as Parquet under --out"
                + " (map/, flags/, pairs-REGION/, summary.json). Equal to 'admap map', 'admap diagnose' and"
                + " 'admap select --format parquet' on the same files in the same order.",
                "", "Example:",
                "  spark-submit --class org.admap.spark.SparkMain admap-spark-job.jar \\",
                "      s3a://bucket/prefs/ --out s3a://bucket/admap-out --region high-avg", ""})
public final class SparkMain implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "INPUT",
            description = "Files, directories or globs on any Hadoop file system (file:, hdfs:, s3a:, gs:, abfs:).")
    List<String> inputs;

    @Option(names = "--out", required = true, description = "Output directory (a Hadoop path).")
    String out;

    @Option(names = "--overwrite", description = "Replace the results in --out.")
    boolean overwrite;

    @Mixin
    IngestFlags ingest;

    @Mixin
    MapFlags map;

    @Mixin
    StabilityFlags stability;

    @Mixin
    DiagnoseFlags thresholds;

    @Option(names = "--region", defaultValue = "high-avg",
            description = "The pairs written: high-avg, low-avg, high-var or all (default: ${DEFAULT-VALUE}).")
    String region;

    @Mixin
    PairFlags pairing;

    @Option(names = "--scorer", description = "Score the responses first and map on the scores: judge or reward.")
    String scorer;

    @Option(names = "--name", description = "The scores' source name (default: the scorer kind).")
    String name;

    @Option(names = "--base-url", description = "The scorer's server, e.g. https://api.openai.com/v1 or"
            + " http://vllm-host:8000/v1.")
    String baseUrl;

    @Option(names = "--model", description = "The judge or reward model (judge default: gpt-4o-2024-11-20).")
    String model;

    @Option(names = "--reward-api", defaultValue = "vllm", description = "reward: vllm (pooling) or tei.")
    String rewardApi;

    @Option(names = "--api-key-env", defaultValue = "OPENAI_API_KEY",
            description = "The environment variable with the key, on every executor (spark.executorEnv.NAME).")
    String apiKeyEnv;

    @Option(names = "--rpm", defaultValue = "0", description = "Global requests per minute, over all executors (0: " +
            "none).")
    double rpm;

    @Option(names = "--tpm", defaultValue = "0", description = "Global tokens per minute, over all executors (0: " +
            "none).")
    double tpm;

    @Option(names = "--concurrency", defaultValue = "16", description = "Calls in flight per task.")
    int concurrency;

    @Option(names = "--max-retries", defaultValue = "6", description = "Retries of a call (429, 5xx, timeouts).")
    int maxRetries;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds per attempt.")
    double timeout;

    @Option(names = "--executors", defaultValue = "0", description = "Executors the rate limit is divided among"
            + " (default: spark.executor.instances, else those registered at the start).")
    int executors;

    @Option(names = "--scores-dir", description = "Where scores are kept across runs (default: OUT/scores).")
    String scoresDir;

    /**
     * The shared options that the job does not honour, left out of its parsing and its help:
     * a DuckDB query runs on one machine; grouping by prompt needs every row of a prompt together
     * (a shuffle the job does not make); the reference answer only serves the reference scorer,
     * which is not on Spark; the map of one sample ({@code --sample J}) would be another map,
     * its points and pairs too, where the job maps on the means of the samples.
     */
    static final List<String> NOT_ON_SPARK = List.of("--query", "--group-by-prompt", "--pair-labels",
            "--reference-field", "--sample");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs with these arguments and returns the exit code. */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            // Bad input found by a task reaches the driver wrapped in Spark's job failure.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException) {
                    line.getErr().println("admap-spark: " + t.getMessage());
                    return 2;
                }
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** The job's command line: the shared options less those not on Spark, and its own. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SparkMain());
        for (String name : NOT_ON_SPARK) {
            cli.getCommandSpec().remove(cli.getCommandSpec().findOption(name));
        }
        return cli;
    }

    @Override
    public Integer call() throws Exception {
        SparkMapOptions options = options();
        SparkConf conf = new SparkConf().setAppName("admap map");
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]"); // run outside spark-submit: this machine's cores
        }
        boolean ownSession = SparkSession.getDefaultSession().isEmpty(); // never stop an embedding caller's
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            SparkMapResult r = SparkMapJob.run(spark, options);
            System.out.println(r.files().size() + " files, " + r.instructions() + " instructions, " + r.mapped()
                    + " on the map (scores '" + r.source() + "', labels: " + r.labels() + ")");
            Map<Region, Long> counts = r.regionCounts();
            System.out.println("high-avg " + counts.get(Region.HIGH_AVG) + ", low-avg " + counts.get(Region.LOW_AVG)
                    + ", high-var " + counts.get(Region.HIGH_VAR));
            if (r.stability() != null) {
                Map<Region, Double> kept = r.stability().result().stability();
                System.out.println(String.format(java.util.Locale.ROOT, "region stability (expected share that keep"
                        + " their region): high-avg %.3f, low-avg %.3f, high-var %.3f; region_p in map/",
                        kept.get(Region.HIGH_AVG), kept.get(Region.LOW_AVG), kept.get(Region.HIGH_VAR)));
            }
            if (r.scoring() != null) {
                System.out.println("scored " + r.scoring().ok() + " responses (" + r.scoring().failed() + " failed, "
                        + r.scoring().stored() + " already stored) into " + r.scoring().store());
            }
            System.out.println("results in " + options.out() + ": map/, flags/, " + options.pairsName()
                    + "/, summary.json");
            return 0;
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
    }

    SparkMapOptions options() throws IOException {
        IngestOptions read = ingest.toOptions();
        if (!read.grouping().scoreFields().isEmpty()) {
            throw new IllegalArgumentException("--score-field NAME=FIELD (named score sources) is not on Spark:"
                    + " name the one score field alone");
        }
        DiagnoseOptions diagnose = thresholds.toOptions(false);
        Region target = region.equalsIgnoreCase("all") ? null : Region.parse(region);
        SelectionExport.Options pairs = pairing.toOptions(ExportFormat.PARQUET);
        ScorerSpec spec = scorer == null ? null : new ScorerSpec(scorer, name, baseUrl, model, rewardApi, apiKeyEnv,
                rpm, tpm, concurrency, maxRetries, timeout);
        return new SparkMapOptions(inputs, out, read, map.scores() == null ? "auto" : map.scores(), diagnose, target,
                pairs.mode(), pairs.by(), pairs.maxPairsPerPrompt(), overwrite, spec, scoresDir, executors,
                stability.toOptions());
    }

    /** admap's version for {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"admap-spark " + org.admap.Version.get()};
        }
    }
}
