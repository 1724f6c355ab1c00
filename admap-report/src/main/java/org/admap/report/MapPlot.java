package org.admap.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.admap.internal.store.AtomicFile;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.jfree.svg.SVGGraphics2D;

/**
 * Draws the alignment data map as a picture for papers and slides: variability (score
 * variance) on x, quality (mean score) on y, the three regions tinted with their boundaries
 * dashed and named, the points coloured by a {@link Coloring}, marginal histograms of both
 * axes (stacked by colour), and a legend with counts.
 *
 * <p>One drawing routine serves PNG (a raster image) and SVG (via JFreeSVG's Graphics2D), so
 * both look the same. Up to {@value #VECTOR_LIMIT} points are drawn as circles (vectors in
 * the SVG). Beyond that, the points are accumulated into a density raster at the output's
 * resolution instead of being drawn one by one: each pixel takes the mean colour of the points
 * on it and an opacity that grows with their number, so a million points draw in well under
 * a second and dense areas stay readable; in the SVG that layer is an embedded PNG while
 * axes, text and legend stay vectors.
 */
public final class MapPlot {

    /** The picture's size in logical units (SVG user units; PNG pixels at scale 1). */
    public static final int WIDTH = 1200;
    public static final int HEIGHT = 900;
    /** PNG pixels per logical unit by default: 2400 x 1800 pixels, 300 dpi at 8 x 6 inches. */
    public static final double PNG_SCALE = 2;
    /** Above this many points, the points are drawn as a density raster. */
    public static final int VECTOR_LIMIT = 10_000;

    // Layout, in logical units.
    static final int PLOT_LEFT = 90;
    static final int PLOT_RIGHT = 820;
    static final int PLOT_TOP = 212;
    static final int PLOT_BOTTOM = 818;
    static final int TOP_HIST_TOP = 100;
    static final int TOP_HIST_BOTTOM = 202;
    static final int RIGHT_HIST_LEFT = 830;
    static final int RIGHT_HIST_RIGHT = 932;
    static final int LEGEND_LEFT = 958;
    static final int LEGEND_RIGHT = 1180;
    static final int HISTOGRAM_BINS = 60;

    private static final Color INK = new Color(0x22, 0x22, 0x22);
    private static final Color GREY = new Color(0x66, 0x66, 0x66);
    private static final Color GRID = new Color(0xE4, 0xE4, 0xE4);
    private static final Color BOUNDARY = new Color(0x33, 0x33, 0x33);
    private static final String FONT = "SansSerif";

    private MapPlot() {
    }

    /**
     * What to draw.
     *
     * @param title    the heading (the dataset's name)
     * @param subtitle the score source and N
     * @param points   the map
     * @param coloring the colour of each point, in the order of {@code points}
     */
    public record Figure(String title, String subtitle, PointColumns points, Coloring coloring) {

        /** What to draw, the map as a list of points. */
        public Figure(String title, String subtitle, List<MapPoint> points, Coloring coloring) {
            this(title, subtitle, PointColumns.of(points), coloring);
        }
    }

    /**
     * What every picture of one figure computes from its points, computed once for all of
     * them: the axes, the region boundaries, the margins' counts and the density raster of
     * each resolution asked for. The PNG and the SVG of a million points share it, so the
     * points are walked once, not once per picture; each picture's bytes are as when drawn alone.
     * For one thread (the pictures are drawn one after the other).
     */
    static final class Drawing {
        private final Figure figure;
        private final Axes axes;
        private final Cuts cuts;
        private long[][] top;
        private long[][] right;
        private BufferedImage layer;
        private double layerScale;

        private Drawing(Figure figure) {
            this.figure = figure;
            this.axes = Axes.of(figure.points());
            this.cuts = Cuts.of(figure.points());
        }

        /** The drawing of {@code figure}: its axes and cuts now, the rest on first use. */
        static Drawing of(Figure figure) {
            return new Drawing(figure);
        }

        Figure figure() {
            return figure;
        }

        /** The margins' counts by bin and colour, the variance's ({@code [0]}) and the mean's ({@code [1]}). */
        private long[][][] histograms() {
            if (top == null) {
                int cats = figure.coloring().labels().size();
                long[][] t = new long[HISTOGRAM_BINS][cats];
                long[][] r = new long[HISTOGRAM_BINS][cats];
                int[] category = figure.coloring().category();
                PointColumns points = figure.points();
                for (int i = 0; i < points.size(); i++) {
                    t[bin(points.variance(i), axes.x0(), axes.x1())][category[i]]++;
                    r[bin(points.mean(i), axes.y0(), axes.y1())][category[i]]++;
                }
                top = t;
                right = r;
            }
            return new long[][][] {top, right};
        }

        /** The density raster at {@code scale} device pixels per unit (the last one asked for is kept). */
        private BufferedImage layer(Rectangle2D plot, double scale) {
            if (layer == null || layerScale != scale) {
                layer = densityLayer(figure, axes, plot, scale);
                layerScale = scale;
            }
            return layer;
        }
    }

    /** Renders the figure as an image of {@code WIDTH * scale} by {@code HEIGHT * scale} pixels. */
    public static BufferedImage render(Figure figure, double scale) {
        return render(Drawing.of(figure), scale);
    }

    /** {@link #render(Figure, double)} with what {@code drawing} already computed. */
    static BufferedImage render(Drawing drawing, double scale) {
        BufferedImage image = new BufferedImage((int) Math.round(WIDTH * scale), (int) Math.round(HEIGHT * scale),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.scale(scale, scale);
            draw(g, drawing, scale);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Writes the figure as a PNG, atomically. */
    public static void writePng(Figure figure, Path file, double scale) throws IOException {
        writePng(Drawing.of(figure), file, scale);
    }

    /** {@link #writePng(Figure, Path, double)} with what {@code drawing} already computed. */
    static void writePng(Drawing drawing, Path file, double scale) throws IOException {
        BufferedImage image = render(drawing, scale);
        try (AtomicFile out = new AtomicFile(file)) {
            PngEncoder.write(image, out.stream()); // the same pixels as ImageIO's, in a third of its time
            out.commit();
        }
    }

    /** The figure as an SVG document (no DOCTYPE: nothing for a reader to fetch). */
    public static String svg(Figure figure) {
        return svg(Drawing.of(figure));
    }

    /** {@link #svg(Figure)} with what {@code drawing} already computed. */
    static String svg(Drawing drawing) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        draw(g, drawing, PNG_SCALE);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + g.getSVGElement();
    }

    /** Writes the figure as an SVG file, atomically. */
    public static void writeSvg(Figure figure, Path file) throws IOException {
        writeSvg(Drawing.of(figure), file);
    }

    /** {@link #writeSvg(Figure, Path)} with what {@code drawing} already computed. */
    static void writeSvg(Drawing drawing, Path file) throws IOException {
        String svg = svg(drawing);
        try (AtomicFile out = new AtomicFile(file)) {
            Writer w = new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8);
            w.write(svg);
            w.write('\n');
            w.flush();
            out.commit();
        }
    }

    /**
     * Draws the figure on {@code g} in logical units ({@link #WIDTH} x {@link #HEIGHT}).
     *
     * @param rasterScale device pixels per logical unit of the density raster (large maps)
     */
    public static void draw(Graphics2D g, Figure figure, double rasterScale) {
        draw(g, Drawing.of(figure), rasterScale);
    }

    private static void draw(Graphics2D g, Drawing drawing, double rasterScale) {
        Figure figure = drawing.figure();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setPaint(Color.WHITE);
        g.fill(new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));

        Axes axes = drawing.axes;
        Cuts cuts = drawing.cuts;
        boolean regionColours = figure.coloring().name().equals("region");

        g.setPaint(INK);
        g.setFont(new Font(FONT, Font.BOLD, 22));
        g.drawString(fit(g, figure.title(), WIDTH - 48), 24, 40);
        g.setPaint(GREY);
        g.setFont(new Font(FONT, Font.PLAIN, 14));
        g.drawString(fit(g, figure.subtitle(), WIDTH - 48), 24, 66);

        Rectangle2D plot = new Rectangle2D.Double(PLOT_LEFT, PLOT_TOP, PLOT_RIGHT - PLOT_LEFT, PLOT_BOTTOM - PLOT_TOP);
        drawRegionTints(g, axes, cuts, plot);
        drawGrid(g, axes, plot);
        drawRegionNames(g, plot, regionColours); // under the points, so it never hides one
        Shape clip = g.getClip();
        g.clip(plot);
        boolean raster = figure.points().size() > VECTOR_LIMIT;
        if (raster) {
            drawDensity(g, drawing.layer(plot, rasterScale), plot);
        } else {
            drawCircles(g, figure, axes);
        }
        g.setClip(clip);
        drawBoundaries(g, axes, cuts, plot);
        drawAxes(g, axes, plot);
        drawHistograms(g, drawing, axes, cuts);
        drawLegend(g, figure, raster);
    }

    /** The data ranges of both axes with some air around the points. */
    record Axes(double x0, double x1, double y0, double y1) {

        static Axes of(PointColumns points) {
            double maxVar = 0;
            double minMean = Double.POSITIVE_INFINITY;
            double maxMean = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < points.size(); i++) {
                maxVar = Math.max(maxVar, points.variance(i));
                minMean = Math.min(minMean, points.mean(i));
                maxMean = Math.max(maxMean, points.mean(i));
            }
            if (points.size() == 0) {
                return new Axes(0, 1, 0, 1);
            }
            double x1 = maxVar > 0 ? maxVar * 1.04 : 1;
            double span = maxMean - minMean;
            double pad = span > 0 ? span * 0.04 : 0.5;
            return new Axes(0, x1, minMean - pad, maxMean + pad);
        }

        double px(double x, Rectangle2D plot) {
            return plot.getMinX() + (x - x0) / (x1 - x0) * plot.getWidth();
        }

        double py(double y, Rectangle2D plot) {
            return plot.getMaxY() - (y - y0) / (y1 - y0) * plot.getHeight();
        }
    }

    /**
     * The region boundaries: the variance between the last point below high-var and the
     * first in it, and the mean between low-avg and high-avg. NaN where a region is empty.
     */
    record Cuts(double variance, double mean) {

        static Cuts of(PointColumns points) {
            double belowVar = Double.NEGATIVE_INFINITY;
            double highVar = Double.POSITIVE_INFINITY;
            double lowAvg = Double.NEGATIVE_INFINITY;
            double highAvg = Double.POSITIVE_INFINITY;
            for (int i = 0; i < points.size(); i++) {
                Region region = points.region(i);
                if (region == Region.HIGH_VAR) {
                    highVar = Math.min(highVar, points.variance(i));
                } else {
                    belowVar = Math.max(belowVar, points.variance(i));
                    if (region == Region.HIGH_AVG) {
                        highAvg = Math.min(highAvg, points.mean(i));
                    } else {
                        lowAvg = Math.max(lowAvg, points.mean(i));
                    }
                }
            }
            double v = Double.isFinite(highVar) ? Double.isFinite(belowVar) ? (highVar + belowVar) / 2 : highVar
                    : Double.NaN;
            double m = Double.isFinite(highAvg) && Double.isFinite(lowAvg) ? (highAvg + lowAvg) / 2 : Double.NaN;
            return new Cuts(v, m);
        }
    }

    private static void drawRegionTints(Graphics2D g, Axes axes, Cuts cuts, Rectangle2D plot) {
        double xc = Double.isNaN(cuts.variance()) ? plot.getMaxX() : clamp(axes.px(cuts.variance(), plot),
                plot.getMinX(), plot.getMaxX());
        double yc = Double.isNaN(cuts.mean()) ? plot.getMaxY() : clamp(axes.py(cuts.mean(), plot),
                plot.getMinY(), plot.getMaxY());
        g.setPaint(tint(Region.HIGH_AVG));
        g.fill(new Rectangle2D.Double(plot.getMinX(), plot.getMinY(), xc - plot.getMinX(), yc - plot.getMinY()));
        g.setPaint(tint(Region.LOW_AVG));
        g.fill(new Rectangle2D.Double(plot.getMinX(), yc, xc - plot.getMinX(), plot.getMaxY() - yc));
        g.setPaint(tint(Region.HIGH_VAR));
        g.fill(new Rectangle2D.Double(xc, plot.getMinY(), plot.getMaxX() - xc, plot.getHeight()));
    }

    private static Color tint(Region r) {
        Color c = Coloring.REGION_COLORS.get(r);
        float a = 0.07f; // mixed with white, so the SVG needs no transparency here
        return new Color(Math.round(255 + (c.getRed() - 255) * a), Math.round(255 + (c.getGreen() - 255) * a),
                Math.round(255 + (c.getBlue() - 255) * a));
    }

    private static void drawGrid(Graphics2D g, Axes axes, Rectangle2D plot) {
        g.setStroke(new BasicStroke(0.8f));
        g.setPaint(GRID);
        for (double t : ticks(axes.x0(), axes.x1())) {
            double x = axes.px(t, plot);
            g.draw(new Line2D.Double(x, plot.getMinY(), x, plot.getMaxY()));
        }
        for (double t : ticks(axes.y0(), axes.y1())) {
            double y = axes.py(t, plot);
            g.draw(new Line2D.Double(plot.getMinX(), y, plot.getMaxX(), y));
        }
    }

    private static void drawCircles(Graphics2D g, Figure figure, Axes axes) {
        PointColumns points = figure.points();
        int n = points.size();
        double d = n <= 300 ? 7 : n <= 3000 ? 5 : 3.2;
        float alpha = n <= 300 ? 0.85f : n <= 3000 ? 0.65f : 0.45f;
        Rectangle2D plot = new Rectangle2D.Double(PLOT_LEFT, PLOT_TOP, PLOT_RIGHT - PLOT_LEFT, PLOT_BOTTOM - PLOT_TOP);
        // With region_p, as in the interactive map: full strength at 0.9 and above, half from 0.7, faint below.
        List<List<Color>> paints = new ArrayList<>();
        for (double strength : STABILITY_STRENGTH) {
            List<Color> tier = new ArrayList<>();
            for (Color c : figure.coloring().colors()) {
                tier.add(new Color(c.getRed(), c.getGreen(), c.getBlue(),
                        Math.round((float) (alpha * strength) * 255)));
            }
            paints.add(tier);
        }
        BasicStroke outline = new BasicStroke(0.6f);
        Color white = new Color(255, 255, 255, 200);
        int[] category = figure.coloring().category();
        for (int i = 0; i < n; i++) {
            Ellipse2D dot = new Ellipse2D.Double(axes.px(points.variance(i), plot) - d / 2,
                    axes.py(points.mean(i), plot) - d / 2, d, d);
            g.setPaint(paints.get(stabilityTier(points.regionP(i))).get(category[i]));
            g.fill(dot);
            if (n <= 300) {
                g.setStroke(outline);
                g.setPaint(white);
                g.draw(dot);
            }
        }
    }

    /**
     * The density raster: points accumulated per device pixel (each splatted on a small
     * disc), then each pixel painted with the mean colour of its points and the opacity of
     * that many translucent points laid on each other, never below a floor so that a lone
     * point stays visible.
     */
    private static void drawDensity(Graphics2D g, BufferedImage layer, Rectangle2D plot) {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        AffineTransform place = AffineTransform.getTranslateInstance(plot.getMinX(), plot.getMinY());
        place.scale(plot.getWidth() / layer.getWidth(), plot.getHeight() / layer.getHeight());
        g.drawImage(layer, place, null);
    }

    /** The density raster of {@link #drawDensity}: {@code plot}'s size at {@code scale} pixels per unit. */
    private static BufferedImage densityLayer(Figure figure, Axes axes, Rectangle2D plot, double scale) {
        int w = (int) Math.ceil(plot.getWidth() * scale);
        int h = (int) Math.ceil(plot.getHeight() * scale);
        // per pixel its count and red, green and blue sums side by side: a point's splat touches
        // one cache line per pixel instead of four (the sums are added in the same order as before)
        float[] acc = new float[4 * w * h];
        double radius = Math.max(1.0, 0.9 * scale);
        int reach = (int) Math.ceil(radius);
        List<int[]> kernel = new ArrayList<>();
        for (int dy = -reach; dy <= reach; dy++) {
            for (int dx = -reach; dx <= reach; dx++) {
                if (dx * dx + dy * dy <= radius * radius) {
                    kernel.add(new int[] {dx, dy});
                }
            }
        }
        int[] kx = kernel.stream().mapToInt(k -> k[0]).toArray();
        int[] ky = kernel.stream().mapToInt(k -> k[1]).toArray();
        int[] step = new int[kx.length]; // each kernel entry's place in acc from the centre's
        for (int k = 0; k < kx.length; k++) {
            step[k] = 4 * (ky[k] * w + kx[k]);
        }
        List<Color> colors = figure.coloring().colors();
        int[] category = figure.coloring().category();
        PointColumns points = figure.points();
        double sx = w / (axes.x1() - axes.x0());
        double sy = h / (axes.y1() - axes.y0());
        for (int i = 0; i < points.size(); i++) {
            int cx = (int) ((points.variance(i) - axes.x0()) * sx);
            int cy = (int) ((axes.y1() - points.mean(i)) * sy);
            Color c = colors.get(category[i]);
            float r = c.getRed();
            float gr = c.getGreen();
            float b = c.getBlue();
            if (cx >= reach && cx < w - reach && cy >= reach && cy < h - reach) { // the whole disc inside
                int centre = 4 * (cy * w + cx);
                for (int k = 0; k < step.length; k++) {
                    int at = centre + step[k];
                    acc[at]++;
                    acc[at + 1] += r;
                    acc[at + 2] += gr;
                    acc[at + 3] += b;
                }
                continue;
            }
            for (int k = 0; k < kx.length; k++) {
                int x = cx + kx[k];
                int y = cy + ky[k];
                if (x >= 0 && x < w && y >= 0 && y < h) {
                    int at = 4 * (y * w + x);
                    acc[at]++;
                    acc[at + 1] += r;
                    acc[at + 2] += gr;
                    acc[at + 3] += b;
                }
            }
        }
        double single = Math.min(0.5, Math.max(0.03, 0.5 * Math.sqrt((double) VECTOR_LIMIT / points.size())));
        float[] opacity = new float[257];
        for (int n = 1; n < opacity.length; n++) {
            opacity[n] = (float) (0.22 + 0.78 * (1 - Math.pow(1 - single, n)));
        }
        BufferedImage layer = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        // an INT_ARGB image's pixels are its ARGB ints: written in place, as setRGB would store them
        // (setRGB converts pixel by pixel through the colour model, a visible part of the drawing)
        int[] argb = ((DataBufferInt) layer.getRaster().getDataBuffer()).getData();
        for (int at = 0; at < argb.length; at++) {
            float n = acc[4 * at];
            if (n == 0) {
                continue;
            }
            float a = opacity[(int) Math.min(n, 256)];
            argb[at] = Math.round(a * 255) << 24 | Math.round(acc[4 * at + 1] / n) << 16
                    | Math.round(acc[4 * at + 2] / n) << 8 | Math.round(acc[4 * at + 3] / n);
        }
        return layer;
    }

    private static void drawBoundaries(Graphics2D g, Axes axes, Cuts cuts, Rectangle2D plot) {
        g.setPaint(BOUNDARY);
        g.setStroke(new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f));
        double xc = plot.getMaxX();
        if (!Double.isNaN(cuts.variance())) {
            xc = clamp(axes.px(cuts.variance(), plot), plot.getMinX(), plot.getMaxX());
            g.draw(new Line2D.Double(xc, plot.getMinY(), xc, plot.getMaxY()));
        }
        if (!Double.isNaN(cuts.mean())) {
            double y = clamp(axes.py(cuts.mean(), plot), plot.getMinY(), plot.getMaxY());
            g.draw(new Line2D.Double(plot.getMinX(), y, xc, y));
        }
    }

    private static void drawRegionNames(Graphics2D g, Rectangle2D plot, boolean regionColours) {
        g.setFont(new Font(FONT, Font.BOLD, 15));
        FontMetrics fm = g.getFontMetrics();
        label(g, "high-avg", plot.getMinX() + 10, plot.getMinY() + 22, Region.HIGH_AVG, regionColours);
        label(g, "low-avg", plot.getMinX() + 10, plot.getMaxY() - 12, Region.LOW_AVG, regionColours);
        String hv = "high-var";
        label(g, hv, plot.getMaxX() - 10 - fm.stringWidth(hv), plot.getMinY() + 22, Region.HIGH_VAR, regionColours);
    }

    private static void label(Graphics2D g, String text, double x, double y, Region region, boolean regionColours) {
        Color c = regionColours ? Coloring.REGION_COLORS.get(region) : GREY;
        g.setPaint(new Color(c.getRed(), c.getGreen(), c.getBlue(), 150));
        g.drawString(text, (float) x, (float) y);
    }

    private static void drawAxes(Graphics2D g, Axes axes, Rectangle2D plot) {
        g.setPaint(INK);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Line2D.Double(plot.getMinX(), plot.getMaxY(), plot.getMaxX(), plot.getMaxY()));
        g.draw(new Line2D.Double(plot.getMinX(), plot.getMinY(), plot.getMinX(), plot.getMaxY()));
        g.setFont(new Font(FONT, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        double[] xt = ticks(axes.x0(), axes.x1());
        for (double t : xt) {
            double x = axes.px(t, plot);
            g.draw(new Line2D.Double(x, plot.getMaxY(), x, plot.getMaxY() + 5));
            String s = tickLabel(t, xt);
            g.drawString(s, (float) (x - fm.stringWidth(s) / 2.0), (float) plot.getMaxY() + 20);
        }
        double[] yt = ticks(axes.y0(), axes.y1());
        for (double t : yt) {
            double y = axes.py(t, plot);
            g.draw(new Line2D.Double(plot.getMinX() - 5, y, plot.getMinX(), y));
            String s = tickLabel(t, yt);
            g.drawString(s, (float) (plot.getMinX() - 9 - fm.stringWidth(s)), (float) (y + fm.getAscent() / 2.0 - 2));
        }
        g.setFont(new Font(FONT, Font.PLAIN, 15));
        fm = g.getFontMetrics();
        String xTitle = "variability: variance of the response scores";
        g.drawString(xTitle, (float) (plot.getCenterX() - fm.stringWidth(xTitle) / 2.0), (float) plot.getMaxY() + 50);
        String yTitle = "quality: mean response score";
        AffineTransform saved = g.getTransform();
        g.translate(30, plot.getCenterY() + fm.stringWidth(yTitle) / 2.0);
        g.rotate(-Math.PI / 2);
        g.drawString(yTitle, 0f, 0f);
        g.setTransform(saved);
    }

    private static void drawHistograms(Graphics2D g, Drawing drawing, Axes axes, Cuts cuts) {
        Figure figure = drawing.figure();
        int cats = figure.coloring().labels().size();
        long[][][] counts = drawing.histograms();
        long[][] top = counts[0];
        long[][] right = counts[1];
        long maxTop = max(top);
        long maxRight = max(right);
        List<Color> colors = figure.coloring().colors();
        double binW = (double) (PLOT_RIGHT - PLOT_LEFT) / HISTOGRAM_BINS;
        double topH = TOP_HIST_BOTTOM - TOP_HIST_TOP;
        double binH = (double) (PLOT_BOTTOM - PLOT_TOP) / HISTOGRAM_BINS;
        double rightW = RIGHT_HIST_RIGHT - RIGHT_HIST_LEFT;
        for (int b = 0; b < HISTOGRAM_BINS; b++) {
            double stackTop = 0;
            double stackRight = 0;
            for (int c = 0; c < cats; c++) {
                g.setPaint(colors.get(c));
                if (top[b][c] > 0) {
                    double h = topH * top[b][c] / maxTop;
                    g.fill(new Rectangle2D.Double(PLOT_LEFT + b * binW, TOP_HIST_BOTTOM - stackTop - h, binW * 0.92,
                            h));
                    stackTop += h;
                }
                if (right[b][c] > 0) {
                    double w = rightW * right[b][c] / maxRight;
                    g.fill(new Rectangle2D.Double(RIGHT_HIST_LEFT + stackRight, PLOT_BOTTOM - (b + 1) * binH
                            + binH * 0.08, w, binH * 0.92));
                    stackRight += w;
                }
            }
        }
        g.setPaint(GREY);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Line2D.Double(PLOT_LEFT, TOP_HIST_BOTTOM, PLOT_RIGHT, TOP_HIST_BOTTOM));
        g.draw(new Line2D.Double(RIGHT_HIST_LEFT, PLOT_TOP, RIGHT_HIST_LEFT, PLOT_BOTTOM));
        g.setFont(new Font(FONT, Font.PLAIN, 11));
        g.drawString(String.format(Locale.ROOT, "instructions per bin (max %,d)", maxTop), PLOT_LEFT + 4,
                TOP_HIST_TOP - 4);
        String r = String.format(Locale.ROOT, "max %,d", maxRight);
        g.drawString(r, RIGHT_HIST_LEFT + 2, PLOT_TOP - 4);
        if (!Double.isNaN(cuts.variance())) {
            Rectangle2D plot = new Rectangle2D.Double(PLOT_LEFT, PLOT_TOP, PLOT_RIGHT - PLOT_LEFT,
                    PLOT_BOTTOM - PLOT_TOP);
            double x = clamp(axes.px(cuts.variance(), plot), PLOT_LEFT, PLOT_RIGHT);
            g.setPaint(BOUNDARY);
            g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {7f, 5f}, 0f));
            g.draw(new Line2D.Double(x, TOP_HIST_TOP, x, TOP_HIST_BOTTOM));
        }
    }

    private static int bin(double v, double lo, double hi) {
        int b = (int) ((v - lo) / (hi - lo) * HISTOGRAM_BINS);
        return Math.max(0, Math.min(HISTOGRAM_BINS - 1, b));
    }

    private static long max(long[][] bins) {
        long max = 1;
        for (long[] b : bins) {
            long sum = 0;
            for (long v : b) {
                sum += v;
            }
            max = Math.max(max, sum);
        }
        return max;
    }

    /** Opacity factors of the region_p tiers: {@code >= 0.9} (or unknown), {@code >= 0.7}, below. */
    static final double[] STABILITY_STRENGTH = {1.0, 0.5, 0.18};

    static int stabilityTier(double regionP) {
        return Double.isNaN(regionP) || regionP >= 0.9 ? 0 : regionP >= 0.7 ? 1 : 2;
    }

    private static void drawLegend(Graphics2D g, Figure figure, boolean raster) {
        Coloring coloring = figure.coloring();
        long[] counts = coloring.counts();
        long total = figure.points().size();
        int y = TOP_HIST_TOP + 4;
        g.setPaint(INK);
        g.setFont(new Font(FONT, Font.BOLD, 14));
        for (String line : wrap(g, coloring.title(), LEGEND_RIGHT - LEGEND_LEFT)) {
            g.drawString(line, LEGEND_LEFT, y);
            y += 18;
        }
        y += 6;
        g.setFont(new Font(FONT, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        for (int c = 0; c < counts.length; c++) {
            g.setPaint(coloring.colors().get(c));
            g.fill(new Ellipse2D.Double(LEGEND_LEFT, y - 10, 11, 11));
            g.setPaint(INK);
            String count = String.format(Locale.ROOT, "%,d", counts[c]);
            String share = String.format(Locale.ROOT, "%.0f%%", total == 0 ? 0.0 : 100.0 * counts[c] / total);
            int countRight = LEGEND_RIGHT - 40;
            g.drawString(fit(g, coloring.labels().get(c), countRight - fm.stringWidth(count) - LEGEND_LEFT - 26),
                    LEGEND_LEFT + 17, y);
            g.drawString(count, countRight - fm.stringWidth(count), y);
            g.setPaint(GREY);
            g.drawString(share, LEGEND_RIGHT - fm.stringWidth(share), y);
            y += 21;
        }
        g.setPaint(INK);
        g.drawString("total", LEGEND_LEFT + 17, y);
        String t = String.format(Locale.ROOT, "%,d", total);
        g.drawString(t, LEGEND_RIGHT - 40 - fm.stringWidth(t), y);
        y += 30;
        g.setPaint(GREY);
        g.setFont(new Font(FONT, Font.PLAIN, 12));
        List<String> notes = new ArrayList<>();
        notes.add("Dashed lines: region boundaries. Regions are by rank: the third with the highest variance is"
                + " high-var; the rest split by mean into high-avg and low-avg.");
        notes.add("Margins: distributions of variance (top) and mean (right), stacked by colour.");
        if (raster) {
            notes.add(String.format(Locale.ROOT, "%,d points: opacity shows how many share a spot.", total));
        } else if (figure.points().anyRegionP()) {
            notes.add("Faint points may change region: full when region_p >= 0.9, half from 0.7, faint below"
                    + " (region_p: the chance to keep the region when the scores are drawn again).");
        }
        for (String note : notes) {
            for (String line : wrap(g, note, LEGEND_RIGHT - LEGEND_LEFT)) {
                g.drawString(line, LEGEND_LEFT, y);
                y += 16;
            }
            y += 8;
        }
    }

    /** About eight round tick values covering [lo, hi]. */
    static double[] ticks(double lo, double hi) {
        double step = step(lo, hi);
        List<Double> list = new ArrayList<>();
        for (long i = (long) Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) {
            list.add(i == 0 ? 0.0 : i * step);
        }
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double step(double lo, double hi) {
        double raw = (hi - lo) / 8;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / magnitude;
        double nice = norm < 1.5 ? 1 : norm < 2.25 ? 2 : norm < 3.5 ? 2.5 : norm < 7.5 ? 5 : 10;
        return nice * magnitude;
    }

    /** A tick label with as many decimals as the ticks need to differ. */
    static String tickLabel(double value, double[] ticks) {
        int decimals = 0;
        for (double t : ticks) {
            while (decimals < 6 && Math.abs(t * Math.pow(10, decimals) - Math.rint(t * Math.pow(10,
                    decimals))) > 1e-6) {
                decimals++;
            }
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String fit(Graphics2D g, String text, double width) {
        FontMetrics fm = g.getFontMetrics();
        if (fm.stringWidth(text) <= width) {
            return text;
        }
        String s = text;
        while (!s.isEmpty() && fm.stringWidth(s + "...") > width) {
            s = s.substring(0, s.length() - 1);
        }
        return s + "...";
    }

    private static List<String> wrap(Graphics2D g, String text, double width) {
        FontMetrics fm = g.getFontMetrics();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String next = line.length() == 0 ? word : line + " " + word;
            if (fm.stringWidth(next) > width && line.length() > 0) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(next);
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
