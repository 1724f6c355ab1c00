package org.admap.spark.score;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * The scores of one scorer configuration: a directory {@code DIR/FINGERPRINT/} of JSON-lines
 * chunks, each written whole by one task and moved into place only when complete
 * ({@link ChunkWriter}), one line per scored response with its key ({@code prompt_hash},
 * {@code response_hash}), value or error, raw output, tokens, cost, latency and attempts.
 * A rerun, a retried task or a resubmitted job reads what is there and sends only what has
 * no successful score; failures are tried again.
 */
public final class ScoreStore {

    /** The columns of a stored score. */
    public static final StructType SCHEMA = new StructType()
            .add("fingerprint", DataTypes.StringType)
            .add("source", DataTypes.StringType)
            .add("prompt_hash", DataTypes.StringType)
            .add("response_hash", DataTypes.StringType)
            .add("item_id", DataTypes.StringType)
            .add("value", DataTypes.DoubleType)
            .add("error", DataTypes.StringType)
            .add("raw_output", DataTypes.StringType)
            .add("tokens_in", DataTypes.LongType)
            .add("tokens_out", DataTypes.LongType)
            .add("cost_usd", DataTypes.DoubleType)
            .add("latency_ms", DataTypes.LongType)
            .add("attempts", DataTypes.IntegerType)
            .add("scored_at", DataTypes.StringType);

    private final Path dir;

    /** The store of the scorer with this fingerprint under {@code root}. */
    public ScoreStore(String root, String fingerprint) {
        this.dir = new Path(root, fingerprint);
    }

    /** The directory of the chunks. */
    public Path dir() {
        return dir;
    }

    /** Every stored line (none when the directory does not exist yet). */
    public Dataset<Row> all(SparkSession spark) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir) || fs.listStatus(dir, p -> p.getName().endsWith(".jsonl")).length == 0) {
            return spark.createDataFrame(java.util.List.of(), SCHEMA);
        }
        // Committed chunks only: temporary files start with '_', which Spark skips, and end otherwise.
        return spark.read().schema(SCHEMA).option("pathGlobFilter", "*.jsonl").json(dir.toString());
    }

    /**
     * The successful scores by key. Where a response was scored twice (a task retried after
     * its chunk was committed), the lower value is kept, so the choice never depends on the
     * order files are read in.
     */
    public JavaPairRDD<ResponseKey, Double> ok(SparkSession spark) throws IOException {
        return all(spark).filter("value IS NOT NULL AND error IS NULL").javaRDD()
                .mapToPair(r -> new Tuple2<>(new ResponseKey(r.getString(2), r.getString(3)), r.getDouble(5)))
                .reduceByKey(Math::min);
    }
}
