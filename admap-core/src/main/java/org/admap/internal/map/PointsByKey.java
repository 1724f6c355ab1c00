package org.admap.internal.map;

import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;
import org.admap.model.MapPoint;

/**
 * A map's points looked up by item key, for writers that go through the items in key
 * order. Maps list their points in key order, so the list itself serves, searched once
 * per run of keys, with nothing allocated: a million-item index would be 4 MB of garbage,
 * enough to set off a young collection. The order is not checked beforehand (that costs
 * a pass over all points before the first row): in a list in another order some points
 * are not found, which {@link #found()} tells; an index of all keys finds them whatever
 * the order.
 */
public final class PointsByKey {

    private final List<MapPoint> ordered;
    private final MapPoint[] byKey;
    private final List<Reader> readers = new ArrayList<>();

    private PointsByKey(List<MapPoint> ordered, MapPoint[] byKey) {
        this.ordered = ordered;
        this.byKey = byKey;
    }

    /** The points as listed, expected in key order (and a random-access list, else indexed as they come). */
    public static PointsByKey listed(List<MapPoint> points) {
        return points instanceof RandomAccess ? new PointsByKey(points, null) : indexed(maxKey(points) + 1, points);
    }

    /**
     * The points in an index of all keys, in any order; the last of points with the same key wins.
     *
     * @param items the number of items: keys run from 0 to items - 1
     */
    public static PointsByKey indexed(int items, List<MapPoint> points) {
        MapPoint[] byKey = new MapPoint[items];
        for (MapPoint p : points) {
            if (p.key() < 0 || p.key() >= items) {
                throw new IllegalArgumentException("a point of key " + p.key() + " among " + items + " items");
            }
            byKey[p.key()] = p;
        }
        return new PointsByKey(null, byKey);
    }

    private static int maxKey(List<MapPoint> points) {
        int max = -1;
        for (MapPoint p : points) {
            max = Math.max(max, p.key());
        }
        return max;
    }

    /**
     * How many points the readers have found (read once they are done): all of them when
     * each item was asked for once and the list was in key order.
     */
    public synchronized long found() {
        long n = 0;
        for (Reader r : readers) {
            n += r.found;
        }
        return n;
    }

    /** A reader, for one thread: fastest when asked for keys in ascending order. */
    public synchronized Reader reader() {
        Reader r = new Reader();
        readers.add(r);
        return r;
    }

    /** Looks points up for one thread, remembering where the last one was. */
    public final class Reader {

        /** The index of the point after the last one found. */
        private int next;
        private long found;

        /** The point of the item, or null when the item is not mapped (or, in a list out of order, not found). */
        public MapPoint get(int key) {
            MapPoint p = find(key);
            if (p != null) {
                found++;
            }
            return p;
        }

        private MapPoint find(int key) {
            if (byKey != null) {
                return key >= 0 && key < byKey.length ? byKey[key] : null;
            }
            int n = ordered.size();
            if (next < n) {
                MapPoint p = ordered.get(next);
                if (p.key() == key) {
                    next++;
                    return p;
                }
                if (p.key() > key && (next == 0 || ordered.get(next - 1).key() < key)) {
                    return null; // between two points: not mapped
                }
            }
            // another run of keys: binary search for the first point at or after the key
            int lo = 0;
            int hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (ordered.get(mid).key() < key) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if (lo < n && ordered.get(lo).key() == key) {
                next = lo + 1;
                return ordered.get(lo);
            }
            next = lo;
            return null;
        }
    }
}
