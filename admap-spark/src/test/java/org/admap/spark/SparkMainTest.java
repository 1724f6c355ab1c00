package org.admap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.admap.RealData;
import org.admap.map.StabilityOptions;
import org.admap.map.StabilityTarget;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The spark-submit entry point on the bundled example: what it writes (Parquet tables and
 * summary.json) and how it refuses bad arguments and existing results.
 */
class SparkMainTest {

    @TempDir
    Path dir;

    private final SparkSession spark = LocalSpark.get();

    @Test
    void writesTheMapFlagsPairsAndSummaryAsParquet() throws IOException {
        Path out = dir.resolve("out");
        int code = SparkMain.run(RealData.demo().toString(), "--out", out.toUri().toString());

        assertThat(code).isZero();
        List<Row> map = spark.read().parquet(out.resolve("map").toString()).orderBy("key").collectAsList();
        assertThat(map).hasSize(50);
        assertThat(map.get(0).<String>getAs("id")).isEqualTo("demo-001");
        assertThat(spark.read().parquet(out.resolve("map").toString()).schema().fieldNames())
                .containsExactly(ParquetOutput.MAP.fieldNames());
        long misannotated = spark.read().parquet(out.resolve("flags").toString())
                .filter("reasons like '%misannotated%'").count();
        assertThat(misannotated).isEqualTo(3); // the three the example reverses on purpose
        assertThat(spark.read().parquet(out.resolve("pairs-high-avg").toString()).count()).isEqualTo(68);

        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/map/mapped").asLong()).isEqualTo(50);
        assertThat(summary.at("/engine").asText()).isEqualTo("spark");
        assertThat(summary.at("/run/items").asLong()).isEqualTo(50);
        assertThat(summary.at("/map/regions/high-avg/count").asLong()).isEqualTo(17);
        assertThat(summary.at("/map/regions/low-avg/count").asLong()).isEqualTo(16);
        assertThat(summary.at("/map/regions/high-var/count").asLong()).isEqualTo(17);
        assertThat(summary.at("/pairs/count").asLong()).isEqualTo(68);
        assertThat(summary.at("/map/labels").asText()).isEqualTo("independent");
    }

    @Test
    void refusesToOverwriteResultsUnlessAsked() throws IOException {
        Path out = dir.resolve("out");
        assertThat(SparkMain.run(RealData.demo().toString(), "--out", out.toString())).isZero();

        String err = stderrOf(() -> assertThat(SparkMain.run(RealData.demo().toString(), "--out", out.toString()))
                .isEqualTo(2));
        assertThat(err).contains("results already exist in").contains("--overwrite");
        assertThat(SparkMain.run(RealData.demo().toString(), "--out", out.toString(), "--overwrite",
                "--region", "low-avg")).isZero();
        assertThat(Files.isDirectory(out.resolve("pairs-low-avg"))).isTrue();
    }

    @Test
    void aMissingInputOrAnUnknownRegionIsABadArgument() {
        String err = stderrOf(() -> assertThat(SparkMain.run(dir.resolve("nope.jsonl").toString(), "--out",
                dir.resolve("out").toString())).isEqualTo(2));
        assertThat(err).contains("nope.jsonl").contains("does not exist");
        err = stderrOf(() -> assertThat(SparkMain.run(RealData.demo().toString(), "--out",
                dir.resolve("out").toString(), "--region", "middle")).isEqualTo(2));
        assertThat(err).contains("unknown region 'middle'");
    }

    @Test
    void aBadRowStopsTheJobNamingFileLineAndField() throws IOException {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": 1}]}\n"
                + "{\"prompt\": \"q\", \"responses\": [{\"text\": \"a\", \"score\": \"abc\"}]}\n");
        String err = stderrOf(() -> assertThat(SparkMain.run(bad.toString(), "--out", dir.resolve("out").toString()))
                .isEqualTo(2));
        assertThat(err).contains("bad.jsonl:2").contains("responses[0].score");
        assertThat(dir.resolve("out").resolve("summary.json")).doesNotExist();
    }

    @Test
    void theSharedOptionsHaveTheCliHelpTextsAndDefaults() {
        String help = SparkMain.commandLine().getUsageMessage();
        // --corr is the diagnose mixin's: its help names every measure (the old copy left out rank)
        assertThat(help).contains("--corr=MEASURE").contains("rank (the share of")
                .contains("--max-corr=X").contains("default 0.65, the")
                .contains("--columns=NAME=FIELD,...").contains("--dataset-info=FILE")
                .contains("--max-pairs-per-prompt=N").contains("--pair-by=VALUES");
        for (String option : SparkMain.NOT_ON_SPARK) {
            assertThat(help).doesNotContain(option);
        }
    }

    @Test
    void anOptionNotOnSparkIsRefusedBeforeTheJobStarts() {
        String err = stderrOf(() -> assertThat(SparkMain.run(RealData.demo().toString(), "--out",
                dir.resolve("out").toString(), "--group-by-prompt")).isEqualTo(2));
        assertThat(err).contains("Unknown option: '--group-by-prompt'");
        err = stderrOf(() -> assertThat(SparkMain.run(RealData.demo().toString(), "--out",
                dir.resolve("out").toString(), "--score-field", "gpt35=gpt35")).isEqualTo(2));
        assertThat(err).contains("--score-field NAME=FIELD").contains("not on Spark");
        err = stderrOf(() -> assertThat(SparkMain.run(RealData.demo().toString(), "--out",
                dir.resolve("out").toString(), "--max-pairs-per-prompt", "0")).isEqualTo(2));
        assertThat(err).contains("--max-pairs-per-prompt must be at least 1, got 0");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void theStabilityOptionsOfAdmapMapReachTheJobsOptions() throws IOException {
        CommandLine cli = SparkMain.commandLine();
        cli.parseArgs(RealData.demo().toString(), "--out", dir.resolve("out").toString(), "--stability-target",
                "pooled:5", "--noise", "pooled", "--continuous-noise", "--calibrate", "0.4", "--stability-draws", "30",
                "--stability-seed", "9");
        StabilityOptions given = ((SparkMain) cli.getCommand()).options().stability();
        assertThat(given).isEqualTo(new StabilityOptions(StabilityTarget.parse("pooled:5"),
                StabilityOptions.Noise.POOLED, 30, 9, 0.4, -1, false));
        // without them, admap map's defaults
        CommandLine plain = SparkMain.commandLine();
        plain.parseArgs(RealData.demo().toString(), "--out", dir.resolve("out").toString());
        assertThat(((SparkMain) plain.getCommand()).options().stability()).isEqualTo(StabilityOptions.DEFAULTS);
        assertThat(SparkMain.commandLine().getUsageMessage()).contains("--stability-target=TARGET")
                .contains("--stability-draws=N").contains("--stability-seed=SEED").contains("--noise=MODEL")
                .contains("--continuous-noise").contains("--calibrate=F");
    }

    @Test
    void aBadStabilityOptionOrTheMapOfOneSampleIsRefusedBeforeTheJobStarts() {
        String err = stderrOf(() -> assertThat(SparkMain.run(RealData.demo().toString(), "--out",
                dir.resolve("out").toString(), "--stability-draws", "0")).isEqualTo(2));
        assertThat(err).contains("--stability-draws must be at least 1, got 0");
        err = stderrOf(() -> assertThat(SparkMain.run(RealData.demo().toString(), "--out",
                dir.resolve("out").toString(), "--noise", "loud")).isEqualTo(2));
        assertThat(err).contains("unknown noise model 'loud'");
        err = stderrOf(() -> assertThat(SparkMain.run(RealData.demo().toString(), "--out",
                dir.resolve("out").toString(), "--sample", "0")).isEqualTo(2));
        assertThat(err).contains("Unknown option: '--sample'");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void maxPairsPerPromptKeepsThatManyPairsOfEachInstruction() throws IOException {
        Path all = dir.resolve("all");
        Path one = dir.resolve("one");
        assertThat(SparkMain.run(RealData.demo().toString(), "--out", all.toString())).isZero();
        assertThat(SparkMain.run(RealData.demo().toString(), "--out", one.toString(), "--max-pairs-per-prompt",
                "1")).isZero();

        List<Integer> allKeys = spark.read().parquet(all.resolve("pairs-high-avg").toString()).collectAsList()
                .stream().map(r -> r.<Integer>getAs("key")).toList();
        List<Integer> oneKeys = spark.read().parquet(one.resolve("pairs-high-avg").toString()).collectAsList()
                .stream().map(r -> r.<Integer>getAs("key")).toList();
        assertThat(allKeys).hasSize(68);
        // one pair for each instruction that has any
        assertThat(oneKeys).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(allKeys.stream().distinct()
                .toList());
    }

    private static String stderrOf(Runnable r) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
