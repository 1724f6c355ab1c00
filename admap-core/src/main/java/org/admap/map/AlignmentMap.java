package org.admap.map;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.admap.model.MapPoint;
import org.admap.model.Region;

/**
 * An alignment data map: one point per instruction with at least two scored responses,
 * each with its quality (mean score), variability (score variance) and region.
 *
 * <p>Build one with {@link MapBuilder}:
 * <pre>{@code
 * MapBuilder builder = new MapBuilder(new MapProvenance("input", null, Instant.now(), "dev"), null);
 * builder.accept(new ItemScores(0, "q1", new double[] {8, 2, 5, 9}, new double[] {4, 1, 3, 5}));
 * // ... one ItemScores per instruction
 * AlignmentMap map = builder.build();
 * map.points(Region.HIGH_AVG);   // the third worth training on
 * }</pre>
 * Immutable.
 */
public final class AlignmentMap {

    private final List<MapPoint> points;
    private final long unmapped;
    private final MapProvenance provenance;

    AlignmentMap(List<MapPoint> points, long unmapped, MapProvenance provenance) {
        this.points = Collections.unmodifiableList(points);
        this.unmapped = unmapped;
        this.provenance = provenance;
    }

    /** Every mapped point, in input order. */
    public List<MapPoint> points() {
        return points;
    }

    /** The points of one region, in input order. */
    public List<MapPoint> points(Region region) {
        List<MapPoint> list = new ArrayList<>();
        for (MapPoint p : points) {
            if (p.region() == region) {
                list.add(p);
            }
        }
        return list;
    }

    /** The number of points per region. */
    public Map<Region, Long> regionCounts() {
        Map<Region, Long> counts = new EnumMap<>(Region.class);
        for (Region r : Region.values()) {
            counts.put(r, 0L);
        }
        for (MapPoint p : points) {
            counts.merge(p.region(), 1L, Long::sum);
        }
        return counts;
    }

    /** Instructions left off the map because fewer than two of their responses have a score. */
    public long unmapped() {
        return unmapped;
    }

    /** What the map was built from. */
    public MapProvenance provenance() {
        return provenance;
    }
}
