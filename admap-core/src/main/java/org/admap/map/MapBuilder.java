package org.admap.map;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;
import org.admap.model.Region;

/**
 * Builds an {@link AlignmentMap} from a stream of per-instruction scores, keeping only the
 * statistics of each instruction (never its texts), then ranks the points into regions.
 * Instructions with fewer than two scored responses are counted but left off the map: a
 * variance over one score says nothing.
 *
 * <p>Feed it with {@link #accept}, then call {@link #build} once.
 */
public final class MapBuilder implements Consumer<ItemScores> {

    private final MapProvenance provenance;
    private final ToDoubleFunction<ItemScores> correlation;
    private int size;
    private int[] keys = new int[1024];
    private String[] ids = new String[1024];
    private int[] counts = new int[1024];
    private double[] means = new double[1024];
    private double[] variances = new double[1024];
    private double[] correlations = new double[1024];
    private long unmapped;
    private boolean built;

    /**
     * @param provenance  what the map is built from
     * @param correlation the label/score agreement of an item, or null for no correlation
     *                    column
     */
    public MapBuilder(MapProvenance provenance, ToDoubleFunction<ItemScores> correlation) {
        this.provenance = Objects.requireNonNull(provenance, "provenance");
        this.correlation = correlation;
    }

    /** Adds one instruction. */
    @Override
    public void accept(ItemScores item) {
        if (built) {
            throw new IllegalStateException("the map is already built");
        }
        int n = Moments.count(item.scores());
        if (n < 2) {
            unmapped++;
            return;
        }
        if (size == keys.length) {
            grow();
        }
        double mean = Moments.mean(item.scores());
        keys[size] = item.key();
        ids[size] = item.id();
        counts[size] = n;
        means[size] = mean;
        variances[size] = Moments.variance(item.scores(), mean);
        correlations[size] = correlation == null ? Double.NaN : correlation.applyAsDouble(item);
        size++;
    }

    private void grow() {
        int capacity = keys.length * 2;
        keys = Arrays.copyOf(keys, capacity);
        ids = Arrays.copyOf(ids, capacity);
        counts = Arrays.copyOf(counts, capacity);
        means = Arrays.copyOf(means, capacity);
        variances = Arrays.copyOf(variances, capacity);
        correlations = Arrays.copyOf(correlations, capacity);
    }

    /**
     * Builds one map from builders that each took a consecutive part of the instructions
     * (in order), so that the parts can be computed on several threads; the result is the
     * map one builder fed with every part in turn would give.
     */
    public static AlignmentMap build(MapProvenance provenance, List<MapBuilder> parts) {
        MapBuilder all = new MapBuilder(provenance, null);
        int total = 0;
        for (MapBuilder p : parts) {
            total += p.size;
        }
        all.keys = new int[total];
        all.ids = new String[total];
        all.counts = new int[total];
        all.means = new double[total];
        all.variances = new double[total];
        all.correlations = new double[total];
        for (MapBuilder p : parts) {
            p.built = true;
            System.arraycopy(p.keys, 0, all.keys, all.size, p.size);
            System.arraycopy(p.ids, 0, all.ids, all.size, p.size);
            System.arraycopy(p.counts, 0, all.counts, all.size, p.size);
            System.arraycopy(p.means, 0, all.means, all.size, p.size);
            System.arraycopy(p.variances, 0, all.variances, all.size, p.size);
            System.arraycopy(p.correlations, 0, all.correlations, all.size, p.size);
            all.size += p.size;
            all.unmapped += p.unmapped;
        }
        return all.build();
    }

    /** Ranks the points into regions and returns the map. */
    public AlignmentMap build() {
        built = true;
        Region[] regions = RegionAssigner.assign(Arrays.copyOf(ids, size), Arrays.copyOf(means, size),
                Arrays.copyOf(variances, size));
        List<MapPoint> points = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            points.add(new MapPoint(keys[i], ids[i], counts[i], means[i], variances[i], Math.sqrt(variances[i]),
                    regions[i], correlations[i]));
        }
        return new AlignmentMap(points, unmapped, provenance);
    }
}
