package org.admap.map;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import org.admap.internal.map.MapJob;
import org.admap.model.MapPoint;
import org.admap.model.Region;

/**
 * An alignment data map: one point per instruction with at least two scored responses,
 * each with its quality (mean score), variability (score variance) and region.
 *
 * <p>Build one from a run with {@link org.admap.run.Run#map} (or {@link MapJob} on a store), or
 * directly with {@link MapBuilder} (run as written by {@code ApiExamplesTest}):
 * <pre>{@code
 * MapBuilder builder = new MapBuilder(new MapProvenance("input", null, Instant.now(), "dev"), null);
 * // one ItemScores per instruction: its responses' scores, and the data's labels of them
 * builder.accept(new ItemScores(0, "q1", new double[] {8, 2, 5, 9}, new double[] {4, 1, 3, 5}));
 * builder.accept(new ItemScores(1, "q2", new double[] {7, 7, 8}, new double[] {3, 3, 4}));
 * builder.accept(new ItemScores(2, "q3", new double[] {2, 3}, new double[] {1, 2}));
 * AlignmentMap map = builder.build();
 * List<MapPoint> best = map.points(Region.HIGH_AVG);    // the third worth training on: q2
 * }</pre>
 * Immutable. The points are kept as columns of primitives (about 40 bytes a point, not a
 * {@link MapPoint} object each), and {@link #points()} makes each {@code MapPoint} as it is
 * read, so that a map of millions of instructions takes little memory.
 */
public final class AlignmentMap {

    private static final Region[] REGIONS = Region.values();

    private final int size;
    /** The points' numbers; only the first {@link #size} places count. */
    private final MapColumns columns;
    /** {@link Region#ordinal()} per point. */
    private final byte[] regions;
    private final long unmapped;
    private final MapProvenance provenance;
    /** How stable the regions are under the scores' noise, or null when the scores carry none. */
    private final MapStability stability;
    /** What the variance column measures. */
    private final Variability variability;
    private final List<MapPoint> points = new Points();

    /** Takes the columns (only their first {@code size} places count) without copying; nothing may change them after.
     * */
    AlignmentMap(int size, MapColumns columns, byte[] regions, long unmapped, MapProvenance provenance) {
        this(size, columns, regions, unmapped, provenance, null, Variability.SCORE);
    }

    private AlignmentMap(int size, MapColumns columns, byte[] regions, long unmapped, MapProvenance provenance,
                         MapStability stability, Variability variability) {
        if (size < 0 || columns.capacity() < size || regions.length < size) {
            throw new IllegalArgumentException("columns of " + columns.capacity() + " places and " + regions.length
                    + " regions for a map of " + size + " points");
        }
        this.size = size;
        this.columns = columns;
        this.regions = regions;
        this.unmapped = unmapped;
        this.provenance = provenance;
        this.stability = stability;
        this.variability = variability;
    }

    /**
     * This map with the stability of its regions, each point's {@code regionP} from it.
     *
     * @throws IllegalArgumentException when the estimate is of another map (other points or regions)
     */
    public AlignmentMap withStability(MapStability value) {
        RegionStability.Result r = value.result();
        if (r.regionP().length != size) {
            throw new IllegalArgumentException("a stability estimate of " + r.regionP().length + " points for a map of "
                    + size);
        }
        for (int i = 0; i < size; i++) {
            if (r.regions()[i] != regions[i]) {
                throw new IllegalArgumentException("the stability estimate puts point " + columns.ids[i]
                        + " in another region than the map: it is not of this map's scores");
            }
        }
        return new AlignmentMap(size, columns, regions, unmapped, provenance, value, variability);
    }

    /**
     * This map with another variability axis: each point's variance replaced by
     * {@code byKey} of its item key, and the regions ranked again on it (means unchanged).
     * The stability estimate, which is of the score variance, is dropped.
     *
     * @throws IllegalArgumentException when a point has no value in {@code byKey}, or a NaN
     */
    public AlignmentMap withVariability(Variability kind, Map<Integer, Double> byKey) {
        MapColumns c = new MapColumns(size, columns.correlations != null);
        c.copy(columns, 0, 0, size);
        for (int i = 0; i < size; i++) {
            Double v = byKey.get(c.keys[i]);
            if (v == null || v.isNaN()) {
                throw new IllegalArgumentException("no " + kind.cliName() + " variability for instruction "
                        + c.ids[i]);
            }
            c.variances[i] = v;
        }
        byte[] ranked = RegionAssigner.ordinals(c.ids, c.means, c.variances, size, null);
        return new AlignmentMap(size, c, ranked, unmapped, provenance, null, kind);
    }

    /** What the variance column measures: the scores' variance, or the paper's comb. */
    public Variability variability() {
        return variability;
    }

    /** How stable the regions are under the scores' noise, or null when the scores carry no uncertainty. */
    public MapStability stability() {
        return stability;
    }

    /** Every mapped point, in input order: an unmodifiable view that makes each point as it is read. */
    public List<MapPoint> points() {
        return points;
    }

    /** The points of one region, in input order. */
    public List<MapPoint> points(Region region) {
        List<MapPoint> list = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (regions[i] == region.ordinal()) {
                list.add(point(i));
            }
        }
        return list;
    }

    /** The number of points per region. */
    public Map<Region, Long> regionCounts() {
        long[] counts = new long[REGIONS.length];
        for (int i = 0; i < size; i++) {
            counts[regions[i]]++;
        }
        Map<Region, Long> map = new EnumMap<>(Region.class);
        for (Region r : REGIONS) {
            map.put(r, counts[r.ordinal()]);
        }
        return map;
    }

    /** Instructions left off the map because fewer than two of their responses have a score. */
    public long unmapped() {
        return unmapped;
    }

    /** What the map was built from. */
    public MapProvenance provenance() {
        return provenance;
    }

    /** The number of points; as {@code points().size()}. */
    int size() {
        return size;
    }

    double mean(int i) {
        return columns.means[i];
    }

    double variance(int i) {
        return columns.variances[i];
    }

    /** The {@link Region#ordinal()} of point {@code i}. */
    int region(int i) {
        return regions[i];
    }

    private MapPoint point(int i) {
        MapColumns c = columns;
        double variance = c.variances[i];
        return new MapPoint(c.keys[i], c.ids[i], c.counts[i], c.means[i], variance, Math.sqrt(variance),
                REGIONS[regions[i]], c.correlations == null ? Double.NaN : c.correlations[i],
                stability == null ? Double.NaN : stability.result().regionP()[i]);
    }

    /** The points as a list, each made on reading. */
    private final class Points extends AbstractList<MapPoint> implements RandomAccess {

        @Override
        public MapPoint get(int index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("point " + index + " of a map of " + size);
            }
            return point(index);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
