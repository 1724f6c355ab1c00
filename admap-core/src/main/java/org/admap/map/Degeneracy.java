package org.admap.map;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.admap.internal.map.ShortestDecimal;
import org.admap.model.MapPoint;
import org.admap.model.Region;

/**
 * Whether a map says anything about its data: the one test that {@code select} (which refuses
 * such a map), {@code report.html}, the viewer, {@code compare}, {@code summary.json} and
 * {@code inspect} all apply, so that they agree.
 *
 * <p>Regions are assigned by rank with the id as the tie-break ({@link IdOrder}). When every
 * instruction has the same mean, the split of high-avg from low-avg is that tie-break alone;
 * when the variances are all equal too, so is high-var. That is what pairwise data with labels
 * only gives (every instruction: chosen 1, rejected 0, mean 0.5, variance 0.25), and two such
 * maps "agree" perfectly however different their data. A map with no scored instruction has
 * nothing to select from at all.
 *
 * <pre>{@code
 * Degeneracy d = Degeneracy.of(store.mapPoints());
 * if (d.affects(Region.HIGH_AVG)) {
 *     System.err.println(d.message());
 * }
 * }</pre>
 *
 * @param kind     what is wrong, or {@link Kind#NONE}
 * @param points   instructions looked at
 * @param mean     the one mean they share (NaN unless {@link Kind#CONSTANT} or {@link Kind#EQUAL_MEANS})
 * @param variance the one variance they share (NaN unless {@link Kind#CONSTANT})
 */
public record Degeneracy(Kind kind, long points, double mean, double variance) {

    /** What makes a map degenerate. */
    public enum Kind {
        /** Means differ: the map is what it looks like. */
        NONE,
        /** No instruction has two scored responses: there is no map. */
        NO_SCORES,
        /** Every mean and every variance is the same: every region is decided by id alone. */
        CONSTANT,
        /** Every mean is the same, the variances differ: high-avg and low-avg are decided by id alone. */
        EQUAL_MEANS
    }

    /** The test of a stored or built map's points. */
    public static Degeneracy of(List<MapPoint> points) {
        double[] means = new double[points.size()];
        double[] variances = new double[points.size()];
        for (int i = 0; i < means.length; i++) {
            means[i] = points.get(i).mean();
            variances[i] = points.get(i).variance();
        }
        return of(means, variances);
    }

    /** The test of a built map. */
    public static Degeneracy of(AlignmentMap map) {
        return of(map.points());
    }

    /**
     * The test of per-instruction means and variances (parallel arrays, NaN entries left
     * out). Values equal to 12 significant digits count as equal: the same scores summed in
     * another order differ in the last bit, which is no real difference.
     */
    public static Degeneracy of(double[] means, double[] variances) {
        if (means.length != variances.length) {
            throw new IllegalArgumentException("means and variances differ in length");
        }
        // First the raw range of the means, without rounding each one (a million calls of log10
        // and pow were a tenth of a report): their rounded values differ, so the map is not
        // degenerate, exactly when those of the smallest and largest differ; else the full test.
        long present = 0;
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (int i = 0; i < means.length; i++) {
            double m = means[i];
            if (Double.isNaN(m) || Double.isNaN(variances[i])) {
                continue;
            }
            present++;
            lo = present == 1 || m < lo ? m : lo;
            hi = present == 1 || m > hi ? m : hi;
        }
        if (present > 1 && round(lo) != round(hi)) {
            return new Degeneracy(Kind.NONE, present, Double.NaN, Double.NaN);
        }
        long n = 0;
        double[] mean = {Double.NaN, Double.NaN};
        double[] variance = {Double.NaN, Double.NaN};
        int i = 0;
        for (; i < means.length; i++) {
            if (Double.isNaN(means[i]) || Double.isNaN(variances[i])) {
                continue;
            }
            n++;
            widen(mean, round(means[i]));
            widen(variance, round(variances[i]));
            if (mean[0] != mean[1]) {
                break; // two means differ: not degenerate, whatever follows; only the count is left
            }
        }
        for (i++; i < means.length; i++) {
            n += Double.isNaN(means[i]) || Double.isNaN(variances[i]) ? 0 : 1;
        }
        if (n == 0) {
            return new Degeneracy(Kind.NO_SCORES, 0, Double.NaN, Double.NaN);
        }
        if (n == 1 || mean[0] != mean[1]) {
            return new Degeneracy(Kind.NONE, n, Double.NaN, Double.NaN);
        }
        return variance[0] == variance[1] ? new Degeneracy(Kind.CONSTANT, n, mean[0], variance[0])
                : new Degeneracy(Kind.EQUAL_MEANS, n, mean[0], Double.NaN);
    }

    /** Whether anything is wrong. */
    public boolean degenerate() {
        return kind != Kind.NONE;
    }

    /** The regions whose membership the data does not decide. */
    public Set<Region> affected() {
        return switch (kind) {
            case NONE -> EnumSet.noneOf(Region.class);
            case EQUAL_MEANS -> EnumSet.of(Region.HIGH_AVG, Region.LOW_AVG);
            case NO_SCORES, CONSTANT -> EnumSet.allOf(Region.class);
        };
    }

    /** Whether the membership of this region is decided by id alone (or there is no map). */
    public boolean affects(Region region) {
        return affected().contains(region);
    }

    /** What is wrong and what to do, in one line for a person; empty for {@link Kind#NONE}. */
    public String message() {
        return switch (kind) {
            case NONE -> "";
            case NO_SCORES -> "no instruction has two or more scored responses, so there is no map to select"
                    + " from: give the data's score or label fields, or run a scorer (admap score)";
            case CONSTANT -> String.format(Locale.ROOT, "every instruction has the same mean and variance (%s and %s"
                    + " over %,d instructions), so every region is decided by the id tie-break alone, not by the"
                    + " data (pair labels 1/0 used as scores carry no signal): map on real alignment scores (score"
                    + " fields, or admap score --scorer ...)", ShortestDecimal.toString(mean),
                    ShortestDecimal.toString(variance), points);
            case EQUAL_MEANS -> String.format(Locale.ROOT, "every instruction has the same mean (%s over %,d"
                    + " instructions), so high-avg and low-avg are decided by the id tie-break alone, not by the data"
                    + " (high-var, by variance, is not affected): map on scores that tell responses apart",
                    ShortestDecimal.toString(mean), points);
        };
    }

    private static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        int exponent = (int) Math.floor(Math.log10(Math.abs(v)));
        double scale = Math.pow(10, 11 - exponent);
        return Double.isFinite(v * scale) ? Math.rint(v * scale) / scale : v;
    }

    private static void widen(double[] range, double v) {
        if (Double.isNaN(range[0]) || v < range[0]) {
            range[0] = v;
        }
        if (Double.isNaN(range[1]) || v > range[1]) {
            range[1] = v;
        }
    }
}
