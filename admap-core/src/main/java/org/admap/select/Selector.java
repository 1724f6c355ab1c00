package org.admap.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.admap.model.MapPoint;
import org.admap.model.Region;

/**
 * Chooses the instructions to train on from a map.
 *
 * <p>A region's instructions are ranked by what makes them belong there, so that
 * {@code fraction} keeps the most typical: {@code high-avg} by mean, best first;
 * {@code low-avg} by mean, worst first; {@code high-var} by variance, largest first;
 * {@code all} by mean, best first. Ties are broken by id. {@code random} draws a seeded
 * uniform sample of the whole map. The number kept is {@code round(fraction * size)}.
 */
public final class Selector {

    private Selector() {
    }

    /** The selected points, in rank order (random: draw order). */
    public static List<MapPoint> select(List<MapPoint> points, Target target, double fraction, long seed) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        List<MapPoint> pool = new ArrayList<>();
        for (MapPoint p : points) {
            if (target.region() == null || p.region() == target.region()) {
                pool.add(p);
            }
        }
        int keep = (int) Math.round(fraction * pool.size());
        if (keep == 0 && !pool.isEmpty()) {
            throw new IllegalArgumentException("fraction " + fraction + " of " + pool.size() + " instructions ("
                    + target.cliName() + ") selects none: use a larger fraction");
        }
        if (target.random()) {
            pool.sort(Comparator.comparing(MapPoint::id)); // draw from a fixed order, whatever the input order
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < keep; i++) { // partial Fisher-Yates: the first `keep` are a uniform sample
                int j = i + random.nextInt(pool.size() - i);
                MapPoint t = pool.get(i);
                pool.set(i, pool.get(j));
                pool.set(j, t);
            }
            return List.copyOf(pool.subList(0, keep));
        }
        pool.sort(rankOrder(target.region()));
        return List.copyOf(pool.subList(0, keep));
    }

    /**
     * The points {@link #select} selects, in no particular order, for a caller that needs the
     * set rather than the ranking. {@code points} may carry null ids, looked up by {@code ids}
     * (a key's id) only where the choice depends on them: a random draw (made in id order) or
     * a share of a region (ties broken by id). A whole region is taken as it is.
     */
    public static List<MapPoint> chosen(List<MapPoint> points, Target target, double fraction, long seed,
                                        IntFunction<String> ids) {
        if (!target.random() && fraction == 1.0) {
            List<MapPoint> pool = new ArrayList<>();
            for (MapPoint p : points) {
                if (target.region() == null || p.region() == target.region()) {
                    pool.add(p);
                }
            }
            return pool;
        }
        List<MapPoint> withIds = new ArrayList<>(points.size());
        for (MapPoint p : points) {
            boolean inTarget = target.random() || target.region() == null || p.region() == target.region();
            if (inTarget) {
                withIds.add(p.id() != null ? p : new MapPoint(p.key(), ids.apply(p.key()), p.n(), p.mean(),
                        p.variance(), p.std(), p.region(), p.correlation(), p.regionP()));
            }
        }
        return select(withIds, target, fraction, seed);
    }

    /** The order in which a region's points are kept by {@code fraction}. */
    static Comparator<MapPoint> rankOrder(Region region) {
        Comparator<MapPoint> byId = Comparator.comparing(MapPoint::id);
        if (region == Region.LOW_AVG) {
            return Comparator.comparingDouble(MapPoint::mean).thenComparing(byId);
        }
        if (region == Region.HIGH_VAR) {
            return Comparator.comparingDouble(MapPoint::variance).reversed().thenComparing(byId);
        }
        return Comparator.comparingDouble(MapPoint::mean).reversed().thenComparing(byId);
    }
}
