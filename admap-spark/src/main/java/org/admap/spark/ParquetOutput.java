package org.admap.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.admap.Version;
import org.admap.internal.run.SummaryJson;
import org.admap.map.MapStability;
import org.admap.model.Region;
import org.admap.run.RunSummary;
import org.admap.spark.score.SparkScoring;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a job's results under its output directory, each table as a Parquet directory
 * written by Spark's committer (a table is complete when its {@code _SUCCESS} marker is
 * there):
 * <ul>
 *   <li>{@code map/}: {@code key, id, prompt, n, mean, variance, std, region, correlation}, and
 *   {@code region_p} where the input's scores were lists of samples (as {@code map.csv});</li>
 *   <li>{@code flags/}: {@code key, id, reasons, correlation, margin, mean, variance, n, detail};</li>
 *   <li>{@code pairs-REGION/}: {@code key, id, pair, prompt, chosen, rejected, score_chosen, score_rejected};</li>
 *   <li>{@code summary.json}: the CLI's summary fields (through its one writer, {@link SummaryJson}) and the
 *   job's diagnosis, scoring pass and pairs, written last.</li>
 * </ul>
 * Numbers that are undefined (NaN in the core) are written as nulls, as {@code map.csv}
 * leaves them empty.
 */
public final class ParquetOutput {

    /** The map table's columns. */
    public static final StructType MAP = new StructType()
            .add("key", DataTypes.IntegerType, false)
            .add("id", DataTypes.StringType, false)
            .add("prompt", DataTypes.StringType, false)
            .add("n", DataTypes.IntegerType, false)
            .add("mean", DataTypes.DoubleType, false)
            .add("variance", DataTypes.DoubleType, false)
            .add("std", DataTypes.DoubleType, false)
            .add("region", DataTypes.StringType, false)
            .add("correlation", DataTypes.DoubleType, true);

    /** The map table's columns where the scores carry uncertainty: {@link #MAP} and {@code region_p}. */
    public static final StructType MAP_WITH_REGION_P = MAP.add("region_p", DataTypes.DoubleType, true);

    /** The flags table's columns. */
    public static final StructType FLAGS = new StructType()
            .add("key", DataTypes.IntegerType, false)
            .add("id", DataTypes.StringType, false)
            .add("reasons", DataTypes.StringType, false)
            .add("correlation", DataTypes.DoubleType, true)
            .add("margin", DataTypes.DoubleType, true)
            .add("mean", DataTypes.DoubleType, true)
            .add("variance", DataTypes.DoubleType, true)
            .add("n", DataTypes.IntegerType, false)
            .add("detail", DataTypes.StringType, false);

    /** The pairs table's columns. */
    public static final StructType PAIRS = new StructType()
            .add("key", DataTypes.IntegerType, false)
            .add("id", DataTypes.StringType, false)
            .add("pair", DataTypes.IntegerType, false)
            .add("prompt", DataTypes.StringType, false)
            .add("chosen", DataTypes.StringType, false)
            .add("rejected", DataTypes.StringType, false)
            .add("score_chosen", DataTypes.DoubleType, true)
            .add("score_rejected", DataTypes.DoubleType, true);

    private ParquetOutput() {
    }

    /** The map as a data frame with the {@link #MAP} columns. */
    public static Dataset<Row> map(SparkSession spark, JavaRDD<MapRow> rows) {
        return map(spark, rows, false);
    }

    /** The map as a data frame, with the {@code region_p} column ({@link #MAP_WITH_REGION_P}) when asked. */
    public static Dataset<Row> map(SparkSession spark, JavaRDD<MapRow> rows, boolean withRegionP) {
        if (withRegionP) {
            return spark.createDataFrame(rows.map(r -> RowFactory.create(r.key(), r.id(), r.prompt(), r.n(),
                    r.mean(), r.variance(), r.std(), r.region().cliName(), nullable(r.correlation()),
                    nullable(r.regionP()))), MAP_WITH_REGION_P);
        }
        return spark.createDataFrame(rows.map(r -> RowFactory.create(r.key(), r.id(), r.prompt(), r.n(), r.mean(),
                r.variance(), r.std(), r.region().cliName(), nullable(r.correlation()))), MAP);
    }

    /** The flags as a data frame with the {@link #FLAGS} columns. */
    public static Dataset<Row> flags(SparkSession spark, JavaRDD<FlagsCsvRow> rows) {
        return spark.createDataFrame(rows.map(r -> RowFactory.create(r.key(), r.id(), r.reasons(),
                nullable(r.correlation()), nullable(r.margin()), nullable(r.mean()), nullable(r.variance()), r.n(),
                r.detail())), FLAGS);
    }

    /** The pairs as a data frame with the {@link #PAIRS} columns. */
    public static Dataset<Row> pairs(SparkSession spark, JavaRDD<PairRow> rows) {
        return spark.createDataFrame(rows.map(r -> RowFactory.create(r.key(), r.id(), r.pair(), r.prompt(),
                r.chosen(), r.rejected(), nullable(r.scoreChosen()), nullable(r.scoreRejected()))), PAIRS);
    }

    /** Writes the three tables and the summary. */
    static void write(SparkSession spark, SparkMapped mapped, SparkMapOptions options) throws IOException {
        Path out = new Path(options.out());
        FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
        Path summary = new Path(out, "summary.json");
        if (!options.overwrite() && fs.exists(summary)) {
            throw new IllegalArgumentException("results already exist in " + out + " (summary.json):"
                    + " choose another output directory or pass --overwrite");
        }
        SaveMode mode = options.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists;
        map(spark, mapped.map(), mapped.result().stability() != null).write().mode(mode)
                .parquet(new Path(out, "map").toString());
        flags(spark, mapped.flags()).write().mode(mode).parquet(new Path(out, "flags").toString());
        long pairs = mapped.pairs().count();
        pairs(spark, mapped.pairs()).write().mode(mode).parquet(new Path(out, options.pairsName()).toString());
        long flags = spark.read().parquet(new Path(out, "flags").toString()).count();
        writeSummary(fs, summary, mapped.result(), options, flags, pairs);
    }

    private static void writeSummary(FileSystem fs, Path summary, SparkMapResult r, SparkMapOptions options,
                                     long flags, long pairs) throws IOException {
        Path temp = new Path(summary.getParent(), "_summary.json.tmp");
        try (OutputStream o = fs.create(temp, true)) {
            o.write(SummaryJson.bytes(summary(r, options, flags, pairs)));
        }
        fs.delete(summary, false);
        if (!fs.rename(temp, summary)) {
            throw new IOException("cannot move " + temp + " to " + summary);
        }
    }

    /** The job's summary, in the fields the CLI's summary.json has (through its one writer), plus the job's parts. */
    static RunSummary summary(SparkMapResult r, SparkMapOptions options, long flags, long pairs) {
        List<RunSummary.Input> inputs = r.files().stream()
                .map(f -> new RunSummary.Input(f, null, null, -1, -1, -1)).toList();
        Map<String, RunSummary.RegionPart> regions = new LinkedHashMap<>();
        MapStability st = r.stability();
        for (Region region : List.of(Region.HIGH_AVG, Region.LOW_AVG, Region.HIGH_VAR)) {
            regions.put(region.cliName(), new RunSummary.RegionPart(r.regionCounts().getOrDefault(region, 0L),
                    r.ranges().meanRange(region), r.ranges().varianceRange(region),
                    st == null ? null : st.result().stability().get(region),
                    st == null ? null : st.result().spread().get(region)));
        }
        RunSummary.MapPart map = new RunSummary.MapPart(r.source(), r.labels(), r.labels().equals("independent")
                ? options.diagnose().correlation().cliName() : null, r.created(), r.mapped(), r.unmapped(),
                r.ranges().scoreRange(), r.ranges().meanRange(), regions,
                st == null ? null : SummaryJson.stability(st));
        RunSummary.ScoringPart scoring = null;
        if (r.scoring() != null) {
            SparkScoring.Report s = r.scoring();
            scoring = new RunSummary.ScoringPart(s.name(), s.fingerprint(), s.store(), s.responses(), s.stored(),
                    s.ok(), s.failed(), s.executors());
        }
        List<String> warnings = new ArrayList<>();
        if (r.unmapped() > 0) {
            warnings.add(r.unmapped() + " instruction(s) have fewer than two scored responses and are not on the map");
        }
        return new RunSummary(Version.get(), Instant.now(), "spark",
                new RunSummary.Read(inputs, r.instructions(), r.ranges().responses(), r.renamedIds(),
                        "{\"count\": " + r.badRows() + "}"), map,
                new RunSummary.DiagnosisPart(flags, r.thresholds().bottomCorrelation(),
                        r.thresholds().lowImpactVariance(), r.thresholds().correlationDefined()),
                scoring,
                new RunSummary.PairsPart(options.pairsRegion() == null ? "all" : options.pairsRegion().cliName(),
                        options.pairMode().cliName(), r.pairsBy().name().toLowerCase(Locale.ROOT), pairs,
                        options.pairsName()),
                Map.of(), warnings);
    }

    private static Double nullable(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
