package org.admap.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.admap.model.Region;

/**
 * One region of the map in numbers, for the page's legend and tooltips: its instructions,
 * the range of their mean and of their variance, and its stability (the mean
 * {@code region_p}, when the scores have one).
 *
 * @param region       the region
 * @param count        instructions in it
 * @param mean         lowest and highest mean score, NaN when empty
 * @param variance     lowest and highest variance, NaN when empty
 * @param regionPTotal the sum of their region_p, NaN when one has none
 */
record RegionSummary(Region region, long count, double[] mean, double[] variance, double regionPTotal) {

    /** Counts and ranges one region's points. */
    static RegionSummary of(Region r, PointColumns all) {
        long count = 0;
        double[] mean = {Double.NaN, Double.NaN};
        double[] var = {Double.NaN, Double.NaN};
        double regionP = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.region(i) == r) {
                count++;
                widen(mean, all.mean(i));
                widen(var, all.variance(i));
                regionP += all.regionP(i);
            }
        }
        return new RegionSummary(r, count, mean, var, regionP);
    }

    /** The page's {@code regions} array, in the legend's order. */
    static void writeAll(JsonGenerator g, PointColumns all) throws IOException {
        g.writeArrayFieldStart("regions");
        for (Region r : Coloring.REGIONS) {
            of(r, all).write(g);
        }
        g.writeEndArray();
    }

    private void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", region.cliName());
        g.writeStringField("color", Coloring.hex(Coloring.REGION_COLORS.get(region)));
        g.writeNumberField("count", count);
        JsonNumbers.range(g, "mean", mean);
        JsonNumbers.range(g, "variance", variance);
        if (count > 0 && !Double.isNaN(regionPTotal)) {
            g.writeNumberField("stability", regionPTotal / count); // the mean region_p, when the scores have one
        }
        g.writeEndObject();
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
