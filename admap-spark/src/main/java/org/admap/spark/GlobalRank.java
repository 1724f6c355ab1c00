package org.admap.spark;

import org.apache.spark.api.java.JavaRDD;

/**
 * The value at a given rank of a whole distributed data set, found by a full sort (a
 * range-partitioned shuffle of the values only) and a positional index: an exact order
 * statistic, never a sample or a per-partition approximation.
 */
final class GlobalRank {

    private GlobalRank() {
    }

    /**
     * The element at 0-based position {@code rank} of the values in their natural order.
     *
     * @throws IllegalArgumentException when there are not that many values
     */
    static <T extends Comparable<T>> T at(JavaRDD<T> values, long rank) {
        int partitions = Math.max(1, values.getNumPartitions());
        java.util.List<T> found = values.sortBy(v -> v, true, partitions).zipWithIndex()
                .filter(t -> t._2() == rank).map(t -> t._1()).collect();
        if (found.size() != 1) {
            throw new IllegalArgumentException("no value at rank " + rank + " (found " + found.size() + ")");
        }
        return found.get(0);
    }
}
