package org.admap.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.admap.map.MapStability;
import org.admap.map.StabilityOptions;
import org.admap.model.ItemScores;
import org.apache.spark.api.java.JavaRDD;

/**
 * The stability of the job's regions ({@code region_p} per point, the stability per region),
 * estimated by the single machine's own estimator ({@link MapStability#estimate}) on the
 * driver, for a map on the input's scores where some were given as lists of samples
 * (Prometheus' {@code gpt4_score}): each score the mean of its samples, its standard error
 * {@code sd(ddof=1) / sqrt(k)}, each response's own count, and the map's {@code k} the most
 * common count, as the run store gives them to {@code admap map}.
 *
 * <p>The estimate re-runs the rank rule over the whole map in every draw, so it needs every
 * mapped instruction's scores at once: they are collected to the driver, as the single machine
 * holds them in memory. That is the limit: the driver holds, counted from the arrays (not
 * measured), some 150 bytes per instruction plus 40 per response (about 300 MB for a million
 * instructions of four responses), and the draws run there, one thread, as on one machine.
 * Maps without samples collect nothing.
 */
final class SparkStability {

    private SparkStability() {
    }

    /**
     * One mapped instruction's numbers for the estimate, shipped to the driver.
     *
     * @param key    the item's key
     * @param id     its id
     * @param scores its responses' scores
     * @param errors their standard errors (NaN: unknown)
     * @param counts their numbers of samples (0: not a list)
     * @param region the ordinal of its region on the job's map
     */
    record Collected(int key, String id, double[] scores, double[] errors, int[] counts, byte region)
            implements Serializable {
    }

    /**
     * Each mapped point's {@code region_p}, by key, for the executors.
     *
     * @param keys    the mapped items' keys, ascending
     * @param regionP their {@code region_p}, in the same order
     */
    record ByKey(int[] keys, double[] regionP) implements Serializable {

        /** The {@code region_p} of the point with this key, NaN when it is not on the map. */
        double of(int key) {
            int at = Arrays.binarySearch(keys, key);
            return at < 0 ? Double.NaN : regionP[at];
        }
    }

    /** An estimate and the {@code region_p} of each point. */
    record Estimate(MapStability stability, ByKey byKey) {
    }

    /**
     * The estimate of the job's map, or null when no input score is a list or none has a
     * standard error (the map then has no {@code region_p}, as on one machine).
     *
     * @param items      the job's instructions, their scores the map's
     * @param fromLabels whether the map is on the labels (which carry no samples)
     * @param boundaries the map's regions
     */
    static Estimate estimate(JavaRDD<KeyedItem> items, boolean fromLabels, RegionBoundaries boundaries,
                             StabilityOptions options) {
        if (fromLabels) {
            return null;
        }
        // the run store's samplesPerScore: the most common count over the responses given lists, ties to the larger
        Map<Integer, Long> byCount = items.flatMap(k -> {
            List<Integer> sizes = new ArrayList<>();
            for (ResponseRow r : k.responses()) {
                if (!r.samples().isEmpty()) {
                    sizes.add(r.samples().size());
                }
            }
            return sizes.iterator();
        }).countByValue();
        if (byCount.isEmpty()) {
            return null;
        }
        int k = byCount.entrySet().stream().max(Map.Entry.<Integer, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey();
        List<Collected> collected = new ArrayList<>(items.flatMap(item -> {
            ItemScores s = item.scores(false);
            PointStats p = PointStats.of(s, null);
            if (p == null) {
                return java.util.Collections.<Collected>emptyIterator();
            }
            int n = item.responses().size();
            double[] errors = new double[n];
            int[] counts = new int[n];
            for (int r = 0; r < n; r++) {
                ResponseRow row = item.responses().get(r);
                errors[r] = row.standardError();
                counts[r] = row.samples().size();
            }
            return List.of(new Collected(item.key(), item.id(), s.scores(), errors, counts,
                    (byte) boundaries.regionOf(p).ordinal())).iterator();
        }).collect());
        collected.sort(Comparator.comparingInt(Collected::key)); // the map's order, as the store streams it
        List<ItemScores> mapped = new ArrayList<>(collected.size());
        int[][] counts = new int[collected.size()][];
        for (int i = 0; i < collected.size(); i++) {
            Collected c = collected.get(i);
            mapped.add(new ItemScores(c.key(), c.id(), c.scores(), ItemScores.unknown(c.scores().length),
                    c.errors()));
            counts[i] = c.counts();
        }
        MapStability stability = MapStability.estimate(mapped, k, counts, options);
        if (stability == null) {
            return null;
        }
        int[] keys = new int[collected.size()];
        for (int i = 0; i < keys.length; i++) {
            Collected c = collected.get(i);
            if (stability.result().regions()[i] != c.region()) {
                throw new IllegalStateException("the stability estimate puts instruction " + c.id()
                        + " in another region than the job's map: the two rank rules disagree");
            }
            keys[i] = c.key();
        }
        return new Estimate(stability, new ByKey(keys, stability.result().regionP()));
    }
}
