package org.admap.map;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.admap.internal.map.MapJob;
import org.admap.model.ItemScores;
import org.admap.stats.Correlation;

/**
 * Builds an {@link AlignmentMap} from a stream of per-instruction scores, keeping only the
 * statistics of each instruction (never its texts), then ranks the points into regions.
 * Instructions with fewer than two scored responses are counted but left off the map: a
 * variance over one score says nothing.
 *
 * <p>Feed it with {@link #accept(ItemScores)} (or, without an {@code ItemScores} per
 * instruction, {@link #accept(int, String, double[], double[], int, int)}), then call
 * {@link #build} once.
 */
public final class MapBuilder implements Consumer<ItemScores> {

    private static final int INITIAL_CAPACITY = 1024;

    private final MapProvenance provenance;
    /** The correlation column: a function of the item, or a measure of {@link MapJob#agreement}, or neither. */
    private final ToDoubleFunction<ItemScores> correlation;
    private final Correlation agreement;
    /** Where the points go: this builder's own columns, or a range of columns shared with other parts. */
    private MapColumns columns;
    /** The first place of this builder's points in {@link #columns}. */
    private final int base;
    /** Whether the columns are this builder's own, to grow as needed; shared ones have a fixed range. */
    private final boolean owned;
    /** The length of a shared part's range. */
    private final int sharedCapacity;
    private int size;
    private long unmapped;
    private boolean built;
    /** Joined into a map by {@link #build(MapProvenance, List)}: its columns are the map's, or gone. */
    private boolean joined;

    /**
     * @param provenance  what the map is built from
     * @param correlation the label/score agreement of an item, or null for no correlation
     *                    column
     */
    public MapBuilder(MapProvenance provenance, ToDoubleFunction<ItemScores> correlation) {
        this(provenance, correlation, null, new MapColumns(INITIAL_CAPACITY, correlation != null), 0, -1);
    }

    /** A shared part when {@code sharedCapacity >= 0}, else a builder of its own growing columns. */
    private MapBuilder(MapProvenance provenance, ToDoubleFunction<ItemScores> correlation, Correlation agreement,
                       MapColumns columns, int base, int sharedCapacity) {
        this.provenance = Objects.requireNonNull(provenance, "provenance");
        this.correlation = correlation;
        this.agreement = agreement;
        this.columns = columns;
        this.base = base;
        this.owned = sharedCapacity < 0;
        this.sharedCapacity = sharedCapacity;
    }

    /**
     * A builder whose correlation column is {@link MapJob#agreement} under {@code measure},
     * which it computes on the numbers in place when fed by
     * {@link #accept(int, String, double[], double[], int, int)}.
     *
     * @param measure the agreement measure, or null for no correlation column
     */
    public static MapBuilder withAgreement(MapProvenance provenance, Correlation measure) {
        return new MapBuilder(provenance, null, measure, new MapColumns(INITIAL_CAPACITY, measure != null), 0, -1);
    }

    /**
     * A part of a map built on several threads, which writes its points to
     * {@code columns[base, base + capacity)}: the parts of one map share its columns, so
     * that {@link #build(MapProvenance, List)} of them all needs no second copy.
     */
    static MapBuilder part(MapProvenance provenance, Correlation measure, MapColumns columns, int base,
                           int capacity) {
        if (base < 0 || capacity < 0 || base + capacity > columns.capacity()) {
            throw new IllegalArgumentException("a part of " + capacity + " points from " + base
                    + " does not fit columns of " + columns.capacity());
        }
        if ((measure != null) != (columns.correlations != null)) {
            throw new IllegalArgumentException("the columns " + (measure != null ? "lack" : "have")
                    + " the correlation column");
        }
        return new MapBuilder(provenance, null, measure, columns, base, capacity);
    }

    /** Adds one instruction. */
    @Override
    public void accept(ItemScores item) {
        double[] scores = item.scores();
        if (agreement != null) {
            accept(item.key(), item.id(), scores, item.labels(), 0, scores.length);
            return;
        }
        int at = next();
        if (!columns.put(at, item.key(), item.id(), scores, 0, scores.length)) {
            unmapped++;
            return;
        }
        if (correlation != null) {
            columns.correlations[at] = correlation.applyAsDouble(item);
        }
        size++;
    }

    /**
     * Adds one instruction whose scores are {@code scores[from, to)} and labels
     * {@code labels[from, to)}, read in place: the same point as {@link #accept(ItemScores)}
     * of an {@code ItemScores} holding copies of those ranges, without making one (unless the
     * correlation column is a function of an {@code ItemScores}).
     */
    public void accept(int key, String id, double[] scores, double[] labels, int from, int to) {
        Objects.checkFromToIndex(from, to, scores.length);
        Objects.checkFromToIndex(from, to, labels.length);
        int at = next();
        boolean mapped = agreement != null ? columns.put(at, key, id, scores, labels, from, to, agreement)
                : columns.put(at, key, id, scores, from, to);
        if (!mapped) {
            unmapped++;
            return;
        }
        if (correlation != null) {
            columns.correlations[at] = correlation.applyAsDouble(new ItemScores(key, id,
                    Arrays.copyOfRange(scores, from, to), Arrays.copyOfRange(labels, from, to)));
        }
        size++;
    }

    /** The place of the next point, making room for it. */
    private int next() {
        if (built) {
            throw new IllegalStateException("the map is already built");
        }
        if (owned) {
            if (size == columns.capacity()) {
                columns.resize(Math.max(INITIAL_CAPACITY, 2 * size));
            }
        } else if (size == sharedCapacity) {
            throw new IllegalStateException("this part has room for " + sharedCapacity + " points, all taken");
        }
        return base + size;
    }

    /**
     * Builds one map from builders that each took a consecutive part of the instructions
     * (in order), so that the parts can be computed on several threads; the result is the
     * map one builder fed with every part in turn would give. The parts are used up: they
     * take no more instructions and build no map of their own, and their columns become the
     * map's (parts sharing columns) or garbage as soon as they are copied.
     */
    public static AlignmentMap build(MapProvenance provenance, List<MapBuilder> parts) {
        return build(provenance, parts, null);
    }

    /**
     * {@link #build(MapProvenance, List)} given the histogram of the parts' variances by
     * {@link RegionAssigner#bucket}, counted by their threads, or null.
     */
    static AlignmentMap build(MapProvenance provenance, List<MapBuilder> parts, int[] varianceHistogram) {
        int total = 0;
        long unmapped = 0;
        boolean withCorrelation = false;
        MapColumns shared = parts.isEmpty() || parts.get(0).owned ? null : parts.get(0).columns;
        int end = 0;
        for (MapBuilder p : parts) {
            if (p.joined) {
                throw new IllegalStateException("a part was already joined into a map");
            }
            total += p.size;
            unmapped += p.unmapped;
            withCorrelation |= p.columns.correlations != null;
            if (p.columns != shared || p.base < end) {
                shared = null;
            } else {
                end = p.base + p.sharedCapacity;
            }
        }
        // Parts that share columns, in order, are moved together in place; others are copied.
        MapColumns columns = shared != null ? shared : new MapColumns(total, withCorrelation);
        int at = 0;
        for (MapBuilder p : parts) {
            if (p.joined) {
                throw new IllegalArgumentException("a part is listed twice");
            }
            p.built = true;
            p.joined = true;
            if (p.columns != columns || p.base != at) {
                columns.copy(p.columns, p.base, at, p.size);
            }
            at += p.size;
            p.columns = null;
        }
        return finish(provenance, total, columns, unmapped, varianceHistogram);
    }

    /** The number of points taken so far. */
    int size() {
        return size;
    }

    /** Ranks the points into regions and returns the map. */
    public AlignmentMap build() {
        if (joined) {
            throw new IllegalStateException("this builder was joined into a map by MapBuilder.build(provenance, " +
                    "parts)");
        }
        built = true;
        if (!owned) {
            // the range of shared columns is not this builder's to keep
            MapColumns own = new MapColumns(size, columns.correlations != null);
            own.copy(columns, base, 0, size);
            return finish(provenance, size, own, unmapped, null);
        }
        if (columns.capacity() != size) {
            columns.resize(size); // no room kept for points that will never come
        }
        return finish(provenance, size, columns, unmapped, null);
    }

    private static AlignmentMap finish(MapProvenance provenance, int size, MapColumns columns, long unmapped,
                                       int[] varianceHistogram) {
        byte[] regions = RegionAssigner.ordinals(columns.ids, columns.means, columns.variances, size,
                varianceHistogram);
        return new AlignmentMap(size, columns, regions, unmapped, provenance);
    }
}
