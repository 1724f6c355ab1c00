package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.junit.jupiter.api.Test;

/** Large maps: drawn as a density raster, still showing every region, in PNG and SVG. */
class MapPlotTest {

    /** A map of n points shaped like a real one: regions by rank over random means and variances. */
    static List<MapPoint> synthetic(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<MapPoint> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double mean = 2 + 7 * random.nextDouble();
            double variance = Math.pow(random.nextDouble(), 2) * 9;
            points.add(new MapPoint(i, "id" + i, 4, mean, variance, Math.sqrt(variance), null, Double.NaN));
        }
        List<MapPoint> byVar = new ArrayList<>(points);
        byVar.sort((a, b) -> Double.compare(a.variance(), b.variance()));
        int cut = 2 * n / 3;
        List<MapPoint> rest = new ArrayList<>(byVar.subList(0, cut));
        rest.sort((a, b) -> Double.compare(a.mean(), b.mean()));
        MapPoint[] out = new MapPoint[n];
        for (int i = 0; i < rest.size(); i++) {
            MapPoint p = rest.get(i);
            out[p.key()] = with(p, i < rest.size() / 2 ? Region.LOW_AVG : Region.HIGH_AVG);
        }
        for (MapPoint p : byVar.subList(cut, n)) {
            out[p.key()] = with(p, Region.HIGH_VAR);
        }
        return List.of(out);
    }

    private static MapPoint with(MapPoint p, Region r) {
        return new MapPoint(p.key(), p.id(), p.n(), p.mean(), p.variance(), p.std(), r, p.correlation());
    }

    @Test
    void aLargeMapIsADensityRasterWithEveryRegion() {
        List<MapPoint> points = synthetic(60_000, 1);
        MapPlot.Figure figure = new MapPlot.Figure("big", "60,000 points", points, Coloring.byRegion(points));
        BufferedImage image = MapPlot.render(figure, 1);
        assertThat(image.getWidth()).isEqualTo(MapPlot.WIDTH);
        for (Region r : Region.values()) {
            assertThat(Pictures.countNear(image, Coloring.REGION_COLORS.get(r), 30)).as(r.cliName())
                    .isGreaterThan(1_000);
        }
        String svg = MapPlot.svg(figure);
        assertThat(svg.contains("<image")).as("the points are an embedded raster").isTrue();
        assertThat(svg.contains(">60,000 points: opacity shows how</text>")).as("the legend says so").isTrue();
        assertThat(svg.length()).isLessThan(6_000_000);
    }

    @Test
    void aSmallMapIsDrawnAsCircles() {
        List<MapPoint> points = synthetic(300, 2);
        String svg = MapPlot.svg(new MapPlot.Figure("small", "300", points, Coloring.byRegion(points)));
        assertThat(svg.contains("<image")).isFalse();
        assertThat(svg.split("<ellipse|<circle", -1).length - 1).isGreaterThanOrEqualTo(300);
    }

    @Test
    void markupInTheTitleIsTextInTheSvg() throws Exception {
        List<MapPoint> points = synthetic(20, 4);
        String title = "Alignment data map: <script>alert(1)</script> & \"x\".jsonl";
        java.nio.file.Path file = java.nio.file.Files.createTempFile("admap-title", ".svg");
        try {
            MapPlot.writeSvg(new MapPlot.Figure(title, "s", points, Coloring.byRegion(points)), file);
            assertThat(Pictures.svgTexts(file)).contains(title);
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void anEmptyCategoryDoesNotBreakTheLegend() {
        List<MapPoint> points = synthetic(30, 3);
        String[] models = new String[30];
        models[0] = "only-model";
        Coloring byModel = Coloring.byModel(points, models);
        assertThat(byModel.labels()).containsExactly("only-model", "unknown model");
        assertThat(byModel.counts()).containsExactly(1, 29);
        BufferedImage image = MapPlot.render(new MapPlot.Figure("m", "s", points, byModel), 1);
        assertThat(Pictures.countNear(image, new Color(0x33, 0x33, 0x33), 10)).isGreaterThan(50);
    }
}
