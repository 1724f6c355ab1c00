package org.admap.spark;

import java.nio.file.Path;
import java.util.List;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The map, flags and pairs a submitted job wrote under its {@code --out}, read back from
 * Parquet in the single machine's order ({@code ORDER BY key}, pairs by {@code key, pair}),
 * as the core's records, so that they compare with {@link SingleMachine.Result} field by field.
 */
record ParquetResults(List<MapPoint> points, List<FlagsCsvRow> flags, List<SingleMachine.TrlPair> pairs) {

    static ParquetResults read(SparkSession spark, Path out, String pairsTable) {
        List<MapPoint> points = spark.read().parquet(out.resolve("map").toString()).orderBy("key").collectAsList()
                .stream().map(r -> new MapPoint(r.getInt(0), r.getString(1), r.getInt(3), r.getDouble(4),
                        r.getDouble(5), r.getDouble(6), Region.parse(r.getString(7)), number(r, 8))).toList();
        List<FlagsCsvRow> flags = spark.read().parquet(out.resolve("flags").toString()).orderBy("key").collectAsList()
                .stream().map(r -> new FlagsCsvRow(r.getInt(0), r.getString(1), r.getString(2), number(r, 3),
                        number(r, 4), number(r, 5), number(r, 6), r.getInt(7), r.getString(8))).toList();
        List<SingleMachine.TrlPair> pairs = spark.read().parquet(out.resolve(pairsTable).toString())
                .orderBy("key", "pair").collectAsList().stream().map(r -> new SingleMachine.TrlPair(r.getString(3),
                        r.getString(4), r.getString(5), number(r, 6), number(r, 7))).toList();
        return new ParquetResults(points, flags, pairs);
    }

    /** A nullable number column as the records hold it: null is NaN. */
    private static double number(Row r, int i) {
        return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
    }
}
