package org.admap.spark;

import org.apache.spark.api.java.JavaRDD;

/**
 * The results of a Spark job before they are written: distributed, lazily computed from
 * the persisted instructions. {@link #release()} frees what the job persisted.
 *
 * @param items  the assembled instructions (persisted)
 * @param points the statistics of the mapped instructions (persisted)
 * @param map    the map's points with their regions, partitions in key order
 * @param flags  the diagnosis's flagged instructions, partitions in key order
 * @param pairs  the pairs of the chosen region, in key order then pair order
 * @param result the counts and provenance
 */
public record SparkMapped(JavaRDD<KeyedItem> items, JavaRDD<PointStats> points, JavaRDD<MapRow> map,
                          JavaRDD<FlagsCsvRow> flags, JavaRDD<PairRow> pairs, SparkMapResult result) {

    /** Unpersists the instructions and the statistics. */
    public void release() {
        items.unpersist(false);
        points.unpersist(false);
    }
}
