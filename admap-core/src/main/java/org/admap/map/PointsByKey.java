package org.admap.map;

import java.util.List;
import java.util.RandomAccess;
import org.admap.model.MapPoint;

/**
 * A map's points looked up by item key, for writers that go through the items in key
 * order. Maps list their points in key order, so the list itself serves, searched once
 * per run of keys; a list in another order is indexed in an array of all keys instead.
 * Either way nothing is allocated per item; for a list in order, nothing at all (a
 * million-item index would be 4 MB of garbage, enough to set off a young collection).
 */
final class PointsByKey {

    private final List<MapPoint> ordered;
    private final MapPoint[] byKey;

    private PointsByKey(List<MapPoint> ordered, MapPoint[] byKey) {
        this.ordered = ordered;
        this.byKey = byKey;
    }

    /** @param items the number of items: keys run from 0 to items - 1 */
    static PointsByKey of(int items, List<MapPoint> points) {
        if (points instanceof RandomAccess && ascending(points)) {
            return new PointsByKey(points, null);
        }
        MapPoint[] byKey = new MapPoint[items];
        for (MapPoint p : points) {
            if (p.key() < 0 || p.key() >= items) {
                throw new IllegalArgumentException("a point of key " + p.key() + " among " + items + " items");
            }
            byKey[p.key()] = p;
        }
        return new PointsByKey(null, byKey);
    }

    private static boolean ascending(List<MapPoint> points) {
        int last = -1;
        for (int i = 0; i < points.size(); i++) {
            int key = points.get(i).key();
            if (key <= last) {
                return false;
            }
            last = key;
        }
        return true;
    }

    /** A reader, for one thread: fastest when asked for keys in ascending order. */
    Reader reader() {
        return new Reader();
    }

    /** Looks points up for one thread, remembering where the last one was. */
    final class Reader {

        /** The index of the point after the last one found. */
        private int next;

        /** The point of the item, or null when the item is not mapped. */
        MapPoint get(int key) {
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
