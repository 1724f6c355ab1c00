package org.admap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.admap.RealData;
import org.admap.ingest.Columns;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.Layout;
import org.admap.internal.run.SummaryJson;
import org.admap.map.StabilityOptions;
import org.admap.map.StabilityTarget;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job's map (every number and region), flags and pairs equal the single machine's
 * on the same files: the bundled example, a generated file made to stress ties, repeated ids
 * and unmapped items, a Parquet copy of the example, and the twelve AlpacaEval files (real
 * data, skipped where absent); with scores given as lists of samples (generated, and
 * Prometheus' GPT-4 grades), also every {@code region_p} and the stability in summary.json.
 */
class SparkMatchesSingleMachineTest {

    @TempDir
    Path dir;

    private final SparkSession spark = LocalSpark.get();

    /** The ids the last {@link #assertSame} job renamed. */
    private long renamedIds = -1;

    @Test
    void bundledExampleGivesTheSameMapFlagsAndPairs() throws IOException {
        SingleMachine.Result expected = assertSame(List.of(RealData.demo()), IngestOptions.defaults(), Region.HIGH_AVG);
        // the example's labels are a separate annotation: the correlation column and misannotation apply
        assertThat(expected.labels()).isEqualTo("independent");
        assertThat(expected.flags()).anySatisfy(f -> assertThat(f.reasons()).contains("misannotated"));
    }

    @Test
    void summaryJsonHasTheCliFieldsWithTheSameValues() throws IOException {
        List<Path> files = List.of(RealData.demo());
        SingleMachine.run(files, IngestOptions.defaults(), Region.HIGH_AVG, dir.resolve("single"));
        SparkMapOptions options = SparkMapOptions.defaults(List.of(files.get(0).toString()),
                dir.resolve("out").toString()).withPairsRegion(Region.HIGH_AVG);
        SparkMapped mapped = SparkMapJob.map(spark, options);
        JsonNode job;
        try {
            job = new ObjectMapper().readTree(SummaryJson.bytes(ParquetOutput.summary(mapped.result(), options,
                    mapped.flags().count(), mapped.pairs().count())));
        } finally {
            mapped.release();
        }
        JsonNode cli = new ObjectMapper().readTree(dir.resolve("single").resolve("summary.json").toFile());
        // every field of the CLI's is there, and every one but the times has the CLI's value
        assertThat(fieldNames(job)).containsAll(fieldNames(cli));
        for (String field : List.of("/map/scores", "/map/labels", "/map/correlation", "/map/mapped", "/map/unmapped",
                "/run/items", "/run/responses", "/run/renamed_ids", "/map/score_range", "/map/mean_range",
                "/map/regions/high-avg/count", "/map/regions/low-avg/count", "/map/regions/high-var/count",
                "/map/regions/high-avg/mean", "/map/regions/high-avg/variance", "/map/regions/low-avg/mean",
                "/map/regions/low-avg/variance", "/map/regions/high-var/mean", "/map/regions/high-var/variance")) {
            assertThat(cli.at(field).isMissingNode()).as(field + " in the CLI's summary").isFalse();
            assertThat(job.at(field)).as(field).isEqualTo(cli.at(field));
        }
        assertThat(job.at("/map/created").asText()).isNotEmpty();
    }

    /** The paths of an object's fields, nested with '/', arrays not entered. */
    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            names.add(name);
            JsonNode child = node.get(name);
            if (child.isObject()) {
                fieldNames(child).forEach(n -> names.add(name + "/" + n));
            }
        });
        return names;
    }

    @Test
    void generatedFilesWithTiesRepeatedIdsAndUnmappedItemsGiveTheSameResults() throws IOException {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        Files.write(a, GeneratedData.lines(600, 7, 0));
        Files.write(b, GeneratedData.lines(300, 11, 450)); // ids 450..749: 150 repeat ids of a.jsonl
        SingleMachine.Result expected = assertSame(List.of(a, b), IngestOptions.defaults(), null);
        JsonNode cli = new ObjectMapper().readTree(dir.resolve("single").resolve("summary.json").toFile());
        assertThat(cli.at("/run/renamed_ids").asLong()).isPositive().isEqualTo(renamedIds);
        assertThat(expected.points()).extracting(MapPoint::id).filteredOn(id -> id.matches("item-00[45]\\d\\d#2"))
                .isNotEmpty();
        assertThat(expected.points().size()).isLessThan(900); // some items have fewer than two scores
        assertThat(expected.points()).extracting(MapPoint::id).contains("item-00005#3", "item-00005#2#2");
    }

    @Test
    void renamedColumnsAreReadAsOnTheSingleMachine() throws IOException {
        // pairwise rows whose prompt, chosen and rejected fields have other names, as --columns renames them
        Path file = dir.resolve("renamed.jsonl");
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            rows.add("{\"question\": \"Question " + i + "\", \"better\": \"good answer " + i
                    + "\", \"worse\": \"bad answer " + i + "\", \"score_chosen\": " + (i * 7 % 10)
                    + ", \"score_rejected\": " + (i * 3 % 10) + "}");
        }
        Files.write(file, rows);
        IngestOptions renamed = IngestOptions.defaults()
                .withColumns(Columns.parse("prompt=question,chosen=better,rejected=worse"));
        SingleMachine.Result expected = assertSame(List.of(file), renamed, Region.HIGH_AVG);
        assertThat(expected.points()).hasSize(90);
    }

    @Test
    void parquetInputGivesTheSameResults() throws IOException {
        Path parquetDir = dir.resolve("demo-parquet");
        spark.read().json(RealData.demo().toString()).coalesce(1).write().parquet(parquetDir.toString());
        Path file;
        try (Stream<Path> files = Files.list(parquetDir)) {
            file = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        SingleMachine.Result expected = SingleMachine.run(List.of(file), IngestOptions.defaults(), Region.LOW_AVG,
                dir.resolve("single-parquet"));
        // the job is given the directory: hidden files (_SUCCESS, .crc) are skipped
        SparkMapped mapped = SparkMapJob.map(spark, SparkMapOptions.defaults(List.of(parquetDir.toString()),
                dir.resolve("unused").toString()).withPairsRegion(Region.LOW_AVG));
        try {
            compare(expected, mapped);
        } finally {
            mapped.release();
        }
    }

    @Test
    void alpacaEvalFilesGiveTheSameMapAndPairs() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(RealData.require("alpaca_eval"))) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".json.gz")).sorted().toList();
        }
        SingleMachine.Result expected = assertSame(files, IngestOptions.defaults(), Region.HIGH_AVG);
        assertThat(expected.points()).hasSize(805);
        assertThat(expected.points().stream().filter(p -> p.region() == Region.HIGH_VAR)).hasSize(269);
    }

    /**
     * Scores given as lists of samples (three grades, sometimes two, sometimes one number): the job's map
     * carries the single machine's region_p (written as the map table's region_p column), and summary.json
     * the same stability per region and the same map.stability.
     */
    @Test
    void scoresGivenAsListsOfSamplesGiveTheSameRegionPAndStability() throws IOException {
        Path file = dir.resolve("sampled.jsonl");
        Files.write(file, sampledLines(240, 3));
        JsonNode stability = assertSameStability(List.of(file), IngestOptions.defaults(), true);
        assertThat(stability.get("samples_per_score").asInt()).isEqualTo(3);
        assertThat(stability.get("lattice_step").asDouble()).isEqualTo(1.0 / 3);
        assertThat(stability.get("noise_from").asText()).isEqualTo("samples");
    }

    /**
     * The same with every stability option away from its default, as {@code admap map --stability-target fresh:2
     * --noise pooled --calibrate 0.5 --stability-draws 60 --stability-seed 7} and the job's same options give it:
     * the same region_p and stability, estimated under those options (not the defaults). A second case keeps the
     * grid with another target and seed, so that both the grid and the continuous resampling are compared.
     */
    @Test
    void nonDefaultStabilityOptionsGiveTheSameRegionPAndStability() throws IOException {
        Path file = dir.resolve("sampled.jsonl");
        Files.write(file, sampledLines(240, 3));
        StabilityOptions continuous = new StabilityOptions(StabilityTarget.parse("fresh:2"),
                StabilityOptions.Noise.POOLED, 60, 7, 0.5, -1, false);
        JsonNode stability = assertSameStability(List.of(file), IngestOptions.defaults(), false, continuous);
        assertThat(stability.get("target").asText()).isEqualTo("fresh:2");
        assertThat(stability.get("noise").asText()).isEqualTo("pooled");
        assertThat(stability.get("draws").asInt()).isEqualTo(60);
        assertThat(stability.get("seed").asLong()).isEqualTo(7);
        assertThat(stability.has("lattice_step")).as("continuous noise").isFalse();
        // --calibrate 0.5: about half of the responses with two or more grades measure the noise
        ObjectMapper json = new ObjectMapper();
        long repeated = 0;
        for (String line : Files.readAllLines(file)) {
            for (JsonNode response : json.readTree(line).get("responses")) {
                repeated += response.get("score").size() >= 2 ? 1 : 0;
            }
        }
        assertThat(stability.get("calibration_responses").asLong()).isBetween(repeated / 3, 2 * repeated / 3);

        StabilityOptions grid = new StabilityOptions(StabilityTarget.parse("pooled:4"),
                StabilityOptions.Noise.PER_RESPONSE, 40, 11, 1.0, -1, true);
        JsonNode onGrid = assertSameStability(List.of(file), IngestOptions.defaults(), false, grid, "grid");
        assertThat(onGrid.get("target").asText()).isEqualTo("pooled:4");
        assertThat(onGrid.get("lattice_step").asDouble()).isEqualTo(1.0 / 4);
    }

    /** Prometheus' MT-Bench grades (real data, skipped where absent): gpt4_score is the list of three GPT-4 grades. */
    @Test
    void prometheusGradesGiveTheSameRegionPAndStability() throws IOException {
        Path file = RealData.require("prometheus-gpt4-samples").resolve("mt_bench_eval.jsonl.gz");
        IngestOptions o = IngestOptions.defaults().withLayout(Layout.LONG)
                .withFields("instruction", "instruction", "gpt4_score", null, "response_source", "idx");
        JsonNode stability = assertSameStability(List.of(file), o, false);
        assertThat(stability.get("samples_per_score").asInt()).isEqualTo(3);
    }

    /** Whole grades 1-5 of {@code count} instructions x 4 responses, most as lists of 3, some of 2, some single. */
    private static List<String> sampledLines(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder row = new StringBuilder("{\"id\": \"s" + i + "\", \"prompt\": \"Question " + i
                    + "\", \"responses\": [");
            double level = 1 + 4 * random.nextDouble();
            for (int r = 0; r < 4; r++) {
                double quality = level + random.nextGaussian();
                int k = random.nextInt(10) == 0 ? 1 : random.nextInt(8) == 0 ? 2 : 3;
                StringBuilder grades = new StringBuilder();
                for (int g = 0; g < k; g++) {
                    long grade = Math.max(1, Math.min(5, Math.round(quality + 0.6 * random.nextGaussian())));
                    grades.append(g == 0 ? "" : ", ").append(grade);
                }
                boolean single = random.nextInt(12) == 0; // a plain number among the lists: one judgment
                row.append(r == 0 ? "" : ", ").append("{\"text\": \"answer ").append(r).append(" to ").append(i)
                        .append("\", \"score\": ").append(single ? grades.toString().split(",")[0]
                                : "[" + grades + "]")
                        .append(", \"label\": ").append(random.nextInt(5) + 1).append("}");
            }
            lines.add(row.append("]}").toString());
        }
        return lines;
    }

    /**
     * Runs the job (through {@link SparkMapJob#run}, so that the written tables and summary.json are read
     * back) and the single machine on {@code files}: every point, region_p included, every flag and pair,
     * and summary.json's stability equal; returns the job's {@code map.stability}.
     */
    private JsonNode assertSameStability(List<Path> files, IngestOptions read, boolean checkPairs) throws IOException {
        return assertSameStability(files, read, checkPairs, StabilityOptions.DEFAULTS);
    }

    /** {@link #assertSameStability(List, IngestOptions, boolean)} with these stability options on both sides. */
    private JsonNode assertSameStability(List<Path> files, IngestOptions read, boolean checkPairs,
                                         StabilityOptions options) throws IOException {
        return assertSameStability(files, read, checkPairs, options, "");
    }

    /** The same, the two runs' directories named with {@code suffix} (several runs in one test). */
    private JsonNode assertSameStability(List<Path> files, IngestOptions read, boolean checkPairs,
                                         StabilityOptions options, String suffix) throws IOException {
        Path single = dir.resolve("single" + suffix);
        SingleMachine.Result expected = SingleMachine.run(files, read, Region.HIGH_AVG, single, options);
        assertThat(expected.points()).as("the single machine estimated region_p")
                .allSatisfy(p -> assertThat(p.regionP()).isBetween(0.0, 1.0));
        Path out = dir.resolve("out" + suffix);
        SparkMapJob.run(spark, SparkMapOptions.defaults(files.stream().map(Path::toString).toList(), out.toString())
                .withRead(read).withPairsRegion(Region.HIGH_AVG).withStability(options));
        ParquetResults written = ParquetResults.read(spark, out, "pairs-high-avg");
        List<MapPoint> points = new ArrayList<>();
        List<Row> rows = spark.read().parquet(out.resolve("map").toString()).orderBy("key").collectAsList();
        for (int i = 0; i < rows.size(); i++) {
            MapPoint p = written.points().get(i);
            Row r = rows.get(i);
            points.add(new MapPoint(p.key(), p.id(), p.n(), p.mean(), p.variance(), p.std(), p.region(),
                    p.correlation(), r.isNullAt(r.fieldIndex("region_p")) ? Double.NaN
                            : r.getDouble(r.fieldIndex("region_p"))));
        }
        assertThat(points).isNotEmpty().containsExactlyElementsOf(expected.points());
        assertThat(written.flags()).containsExactlyElementsOf(expected.flags());
        if (checkPairs) {
            assertThat(written.pairs()).isNotEmpty().containsExactlyElementsOf(expected.pairs());
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode job = json.readTree(out.resolve("summary.json").toFile());
        JsonNode cli = json.readTree(single.resolve("summary.json").toFile());
        assertThat(cli.at("/map/stability").isObject()).as("the single machine's map.stability").isTrue();
        assertThat(job.at("/map/stability")).isEqualTo(cli.at("/map/stability"));
        for (String region : List.of("high-avg", "low-avg", "high-var")) {
            for (String field : List.of("count", "stability", "stability_sd")) {
                String at = "/map/regions/" + region + "/" + field;
                assertThat(cli.at(at).isNumber()).as(at + " in the CLI's summary").isTrue();
                assertThat(job.at(at)).as(at).isEqualTo(cli.at(at));
            }
        }
        return job.at("/map/stability");
    }

    @Test
    void aMapWithoutSamplesHasNoRegionPColumnNorStability() throws IOException {
        Path out = dir.resolve("plain");
        SparkMapJob.run(spark, SparkMapOptions.defaults(List.of(RealData.demo().toString()), out.toString()));
        assertThat(spark.read().parquet(out.resolve("map").toString()).columns()).doesNotContain("region_p")
                .containsExactly(ParquetOutput.MAP.fieldNames());
        JsonNode job = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(job.at("/map/stability").isMissingNode()).isTrue();
        assertThat(job.at("/map/regions/high-avg/stability").isMissingNode()).isTrue();
    }

    private SingleMachine.Result assertSame(List<Path> files, IngestOptions read, Region region) throws IOException {
        SingleMachine.Result expected = SingleMachine.run(files, read, region,
                dir.resolve("single"));
        List<String> inputs = files.stream().map(Path::toString).toList();
        SparkMapped mapped = SparkMapJob.map(spark, SparkMapOptions.defaults(inputs, dir.resolve("out").toString())
                .withRead(read).withPairsRegion(region));
        try {
            compare(expected, mapped);
            renamedIds = mapped.result().renamedIds();
        } finally {
            mapped.release();
        }
        return expected;
    }

    static void compare(SingleMachine.Result expected, SparkMapped mapped) {
        assertThat(mapped.result().source()).isEqualTo(expected.source());
        assertThat(mapped.result().labels()).isEqualTo(expected.labels());
        List<MapPoint> points = new ArrayList<>(mapped.map().collect().stream().map(MapRow::toMapPoint).toList());
        points.sort(Comparator.comparingInt(MapPoint::key));
        assertThat(points).isNotEmpty().containsExactlyElementsOf(expected.points());
        List<FlagsCsvRow> flags = new ArrayList<>(mapped.flags().collect());
        flags.sort(Comparator.comparingInt(FlagsCsvRow::key));
        assertThat(flags).containsExactlyElementsOf(expected.flags());
        List<PairRow> pairs = new ArrayList<>(mapped.pairs().collect());
        pairs.sort(Comparator.comparingInt(PairRow::key).thenComparingInt(PairRow::pair));
        assertThat(pairs.stream().map(SingleMachine.TrlPair::of).toList()).isNotEmpty()
                .containsExactlyElementsOf(expected.pairs());
    }
}
