package org.admap.report;

import java.util.stream.IntStream;
import org.admap.internal.columns.RunColumns;
import org.admap.model.MapPoint;
import org.admap.model.Region;

/**
 * {@link PointColumns} held in primitive arrays, read once from a scanned run's
 * {@link RunColumns}: about 45 bytes a point in seven arrays instead of a {@link MapPoint} of
 * about 56 bytes plus its reference, which for a million points was a live set the young
 * collections copied three times over in every report. Ids are held only when asked for (a
 * report needs a quarter of them: {@link ReportSource#id} reads those; the viewer serves them
 * all), and the columns have no region_p.
 */
final class ArrayPointColumns implements PointColumns {

    private static final Region[] REGIONS = Region.values();

    private final int[] keys;
    private final int[] ns;
    private final double[] means;
    private final double[] variances;
    private final double[] stds;
    private final double[] correlations;
    /** Each point's region as its ordinal in {@link Region#values()}. */
    private final byte[] regions;
    /** Each point's id, or null when they were not read. */
    private final String[] ids;

    private ArrayPointColumns(int size, boolean withIds) {
        ids = withIds ? new String[size] : null;
        keys = new int[size];
        ns = new int[size];
        means = new double[size];
        variances = new double[size];
        stds = new double[size];
        correlations = new double[size];
        regions = new byte[size];
    }

    /**
     * The columns' points in point order, with their ids when {@code ids}, read on every core
     * (a million of them, each field packed).
     */
    static ArrayPointColumns read(RunColumns columns, boolean ids) {
        ArrayPointColumns out = new ArrayPointColumns(columns.pointCount(), ids);
        IntStream.range(0, out.keys.length).parallel().forEach(p -> {
            int key = columns.pointKey(p);
            out.keys[p] = key;
            if (out.ids != null) {
                out.ids[p] = columns.id(key);
            }
            out.ns[p] = columns.pointN(p);
            out.means[p] = columns.pointMean(p);
            out.variances[p] = columns.pointVariance(p);
            out.stds[p] = columns.pointStd(p);
            out.correlations[p] = columns.pointCorrelation(p);
            out.regions[p] = (byte) columns.pointRegion(p).ordinal();
        });
        return out;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public int key(int i) {
        return keys[i];
    }

    @Override
    public int n(int i) {
        return ns[i];
    }

    @Override
    public double mean(int i) {
        return means[i];
    }

    @Override
    public double variance(int i) {
        return variances[i];
    }

    @Override
    public Region region(int i) {
        return REGIONS[regions[i]];
    }

    @Override
    public double correlation(int i) {
        return correlations[i];
    }

    /** NaN: a scan maps plain numbers, without the samples or log-probabilities region_p needs. */
    @Override
    public double regionP(int i) {
        return Double.NaN;
    }

    /** False without a look: no point has one ({@link #regionP}). */
    @Override
    public boolean anyRegionP() {
        return false;
    }

    /** Point {@code i} as {@link RunColumns#point} makes it, its id null when the ids were not read. */
    @Override
    public MapPoint get(int i) {
        return new MapPoint(keys[i], ids == null ? null : ids[i], ns[i], means[i], variances[i], stds[i], region(i),
                correlations[i]);
    }
}
