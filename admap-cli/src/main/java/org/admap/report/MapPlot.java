package org.admap.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.admap.store.AtomicFile;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws the map as a PNG with JFreeChart: variability (score variance) on x, quality (mean
 * score) on y, one colour per region, the region boundaries as lines and the counts in the
 * legend. Many points are drawn smaller and translucent so dense areas stay readable.
 */
public final class MapPlot {

    /** Region colours, chosen to stay distinguishable for colour-blind readers (Okabe-Ito). */
    public static final Map<Region, Color> COLORS = new EnumMap<>(Map.of(
            Region.HIGH_AVG, new Color(0x00, 0x9E, 0x73),
            Region.LOW_AVG, new Color(0xD5, 0x5E, 0x00),
            Region.HIGH_VAR, new Color(0x00, 0x72, 0xB2)));

    private MapPlot() {
    }

    /** A region's point colour: translucent, the more so the more points overlap. */
    public static Color pointPaint(Region region, int pointCount) {
        Color c = COLORS.get(region);
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), pointCount > 5_000 ? 90 : 200);
    }

    /**
     * Renders the map.
     *
     * @param title    the chart's title (dataset name)
     * @param subtitle the score source and N
     */
    public static BufferedImage render(List<MapPoint> points, String title, String subtitle, int width, int height) {
        XYSeriesCollection data = new XYSeriesCollection();
        Map<Region, XYSeries> series = new EnumMap<>(Region.class);
        Map<Region, Integer> counts = new EnumMap<>(Region.class);
        for (Region r : List.of(Region.HIGH_AVG, Region.LOW_AVG, Region.HIGH_VAR)) {
            counts.put(r, 0);
        }
        for (MapPoint p : points) {
            counts.merge(p.region(), 1, Integer::sum);
        }
        for (Region r : List.of(Region.HIGH_AVG, Region.LOW_AVG, Region.HIGH_VAR)) {
            XYSeries s = new XYSeries(String.format(Locale.ROOT, "%s (%,d)", r.cliName(), counts.get(r)), false, true);
            series.put(r, s);
            data.addSeries(s);
        }
        double varianceCut = Double.POSITIVE_INFINITY;
        double meanCut = Double.POSITIVE_INFINITY;
        double maxVariance = 0;
        for (MapPoint p : points) {
            series.get(p.region()).add(p.variance(), p.mean(), false);
            maxVariance = Math.max(maxVariance, p.variance());
            if (p.region() == Region.HIGH_VAR) {
                varianceCut = Math.min(varianceCut, p.variance());
            } else if (p.region() == Region.HIGH_AVG) {
                meanCut = Math.min(meanCut, p.mean());
            }
        }

        NumberAxis x = new NumberAxis("variability (variance of response scores)");
        NumberAxis y = new NumberAxis("quality (mean response score)");
        x.setAutoRangeIncludesZero(true);
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        double size = points.size() > 5_000 ? 2.5 : points.size() > 500 ? 4 : 7;
        int i = 0;
        for (Region r : List.of(Region.HIGH_AVG, Region.LOW_AVG, Region.HIGH_VAR)) {
            renderer.setSeriesPaint(i, pointPaint(r, points.size()));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-size / 2, -size / 2, size, size));
            i++;
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        BasicStroke dashed = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f);
        if (Double.isFinite(varianceCut) && !points.isEmpty()) {
            double low = points.stream().mapToDouble(MapPoint::mean).min().orElse(0);
            double high = points.stream().mapToDouble(MapPoint::mean).max().orElse(1);
            double pad = (high - low) * 0.05 + 1e-9;
            plot.addAnnotation(new XYLineAnnotation(varianceCut, low - pad, varianceCut, high + pad, dashed,
                    Color.DARK_GRAY));
            if (Double.isFinite(meanCut)) {
                plot.addAnnotation(new XYLineAnnotation(0, meanCut, varianceCut, meanCut, dashed, Color.DARK_GRAY));
            }
        }
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 16), plot, true);
        chart.addSubtitle(new TextTitle(subtitle, new Font("SansSerif", Font.PLAIN, 12)));
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        return chart.createBufferedImage(width, height);
    }

    /** Renders the map to a PNG file, atomically. */
    public static void writePng(List<MapPoint> points, String title, String subtitle, Path file) throws IOException {
        BufferedImage image = render(points, title, subtitle, 1000, 750);
        try (AtomicFile out = new AtomicFile(file)) {
            if (!ImageIO.write(image, "png", out.stream())) {
                throw new IOException("no PNG writer in this Java runtime");
            }
            out.commit();
        }
    }
}
