package org.admap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.admap.ingest.IngestOptions;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real HDFS: Hadoop's own NameNode and DataNode ({@link MiniDFSCluster}, in this
 * JVM, on 127.0.0.1) hold the inputs, and the job, submitted through {@link SparkMain} as a user
 * runs it, reads them from {@code hdfs://} (a big JSON-lines file in byte ranges straight from
 * HDFS, a gzip file copied whole, a Parquet file by runs of row groups) and writes its Parquet
 * tables and summary there. What it wrote is read back from HDFS and is the single machine's
 * map, flags and pairs on the same files.
 * Skipped, saying why, where the cluster cannot start.
 */
class HdfsTest {

    private static MiniDFSCluster cluster;
    private static String root;

    @TempDir
    static Path base;

    @TempDir
    Path dir;

    @BeforeAll
    static void startHdfs() {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        for (String address : List.of("dfs.namenode.http-address", "dfs.datanode.address",
                "dfs.datanode.http.address", "dfs.datanode.ipc.address", "dfs.namenode.secondary.http-address")) {
            conf.set(address, "127.0.0.1:0");
        }
        conf.setBoolean("dfs.permissions.enabled", false);
        try {
            cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).format(true).build();
            cluster.waitActive();
        } catch (Throwable e) { // a missing native piece or a refused port: the test cannot run here
            Assumptions.abort("cannot start an HDFS MiniDFSCluster on 127.0.0.1: " + e);
        }
        root = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    @Test
    void readsFromAndWritesToHdfsWithTheSingleMachinesResults() throws Exception {
        SparkSession spark = LocalSpark.get(); // started first, so SparkMain neither makes nor stops its own
        Path a = dir.resolve("a.jsonl");
        Files.write(a, GeneratedData.lines(600, 7, 0));
        Path b = dir.resolve("b.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(b))) {
            for (String line : GeneratedData.lines(300, 11, 450)) { // ids that repeat a.jsonl's
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        Path json = dir.resolve("c.jsonl");
        Files.write(json, GeneratedData.lines(1500, 13, 2000));
        Path parquetDir = dir.resolve("c-parquet");
        spark.read().json(json.toString()).coalesce(1).write().option("parquet.block.size", 16 * 1024)
                .parquet(parquetDir.toString());
        Path c;
        try (var files = Files.list(parquetDir)) {
            c = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        FileSystem hdfs = cluster.getFileSystem();
        put(hdfs, a, "/in/a.jsonl");
        put(hdfs, b, "/in/b.jsonl.gz");
        put(hdfs, c, "/in/c.parquet");
        String out = root + "/out/run1";
        List<InputSplit> splits;
        spark.conf().set("spark.sql.files.maxPartitionBytes", "16384"); // a.jsonl (about 130 KB) in byte ranges
        try {
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            splits = InputSplits.plan(hadoop, InputFiles.found(hadoop, List.of(root + "/in/")),
                    InputSplits.splitBytes(spark));
            assertThat(SparkMain.run(root + "/in/", "--out", out, "--region", "high-var")).isZero();
        } finally {
            spark.conf().unset("spark.sql.files.maxPartitionBytes");
        }
        assertThat(splits).filteredOn(s -> s.kind() == InputSplit.Kind.LINES).hasSizeGreaterThan(4);
        assertThat(splits).filteredOn(s -> s.kind() == InputSplit.Kind.ROW_GROUPS).hasSizeGreaterThan(2);
        assertThat(splits).filteredOn(s -> s.kind() == InputSplit.Kind.FILE).singleElement()
                .extracting(InputSplit::uri).asString().endsWith("b.jsonl.gz");

        SingleMachine.Result expected = SingleMachine.run(List.of(a, b, c), IngestOptions.defaults(), Region.HIGH_VAR,
                dir.resolve("single"));
        List<MapPoint> points = new ArrayList<>();
        for (Row r : spark.read().parquet(out + "/map").collectAsList()) {
            points.add(new MapRow(r.getAs("key"), r.getAs("id"), r.getAs("prompt"), r.getAs("n"), r.getAs("mean"),
                    r.getAs("variance"), r.getAs("std"), Region.parse(r.getAs("region")),
                    number(r, "correlation")).toMapPoint());
        }
        points.sort(Comparator.comparingInt(MapPoint::key));
        assertThat(points).hasSizeGreaterThan(500).containsExactlyElementsOf(expected.points());
        List<FlagsCsvRow> flags = new ArrayList<>();
        for (Row r : spark.read().parquet(out + "/flags").collectAsList()) {
            flags.add(new FlagsCsvRow(r.getAs("key"), r.getAs("id"), r.getAs("reasons"), number(r, "correlation"),
                    number(r, "margin"), number(r, "mean"), number(r, "variance"), r.getAs("n"), r.getAs("detail")));
        }
        flags.sort(Comparator.comparingInt(FlagsCsvRow::key));
        assertThat(flags).isNotEmpty().containsExactlyElementsOf(expected.flags());
        List<SingleMachine.TrlPair> pairs = spark.read().parquet(out + "/pairs-high-var").orderBy("key", "pair")
                .collectAsList().stream().map(r -> new SingleMachine.TrlPair(r.getAs("prompt"), r.getAs("chosen"),
                        r.getAs("rejected"), number(r, "score_chosen"), number(r, "score_rejected"))).toList();
        assertThat(pairs).isNotEmpty().containsExactlyElementsOf(expected.pairs());
        for (String written : List.of("/out/run1/summary.json", "/out/run1/map/_SUCCESS")) {
            assertThat(hdfs.exists(new org.apache.hadoop.fs.Path(written))).as(written).isTrue();
        }
    }

    private static void put(FileSystem hdfs, Path local, String to) throws java.io.IOException {
        hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path(to));
    }

    private static double number(Row r, String column) {
        Object v = r.getAs(column);
        return v == null ? Double.NaN : (Double) v;
    }
}
