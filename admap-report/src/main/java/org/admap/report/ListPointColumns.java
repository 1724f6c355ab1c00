package org.admap.report;

import java.util.List;
import org.admap.model.MapPoint;
import org.admap.model.Region;

/** {@link PointColumns} over a list of points, as a run store or a built map gives them. */
record ListPointColumns(List<MapPoint> points) implements PointColumns {

    @Override
    public int size() {
        return points.size();
    }

    @Override
    public int key(int i) {
        return points.get(i).key();
    }

    @Override
    public int n(int i) {
        return points.get(i).n();
    }

    @Override
    public double mean(int i) {
        return points.get(i).mean();
    }

    @Override
    public double variance(int i) {
        return points.get(i).variance();
    }

    @Override
    public Region region(int i) {
        return points.get(i).region();
    }

    @Override
    public double correlation(int i) {
        return points.get(i).correlation();
    }

    @Override
    public double regionP(int i) {
        return points.get(i).regionP();
    }

    @Override
    public MapPoint get(int i) {
        return points.get(i);
    }

    /** The list itself: its points are already objects. */
    @Override
    public List<MapPoint> asList() {
        return points;
    }
}
