package org.admap.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.admap.model.MapPoint;
import org.admap.model.Region;

/**
 * How the points of a map are coloured: every point falls in one category (a region, a
 * correlation bin, a model), each category has a colour and a legend label. The static
 * picture and the interactive map use the same colourings, so they look alike.
 *
 * @param name     {@code region}, {@code correlation} or {@code model}
 * @param title    the legend's heading
 * @param labels   one label per category
 * @param colors   one colour per category
 * @param category the category of each point, in the order of the points
 */
public record Coloring(String name, String title, List<String> labels, List<Color> colors, int[] category) {

    /** Region colours, distinguishable for colour-blind readers (Okabe-Ito). */
    public static final Map<Region, Color> REGION_COLORS = Map.of(
            Region.HIGH_AVG, new Color(0x00, 0x9E, 0x73),
            Region.LOW_AVG, new Color(0xD5, 0x5E, 0x00),
            Region.HIGH_VAR, new Color(0x00, 0x72, 0xB2));

    /** The regions in the order legends list them. */
    public static final List<Region> REGIONS = List.of(Region.HIGH_AVG, Region.LOW_AVG, Region.HIGH_VAR);

    /**
     * Upper bounds of the correlation bins (the last bin is above the last bound). 0.65 is
     * the paper's misannotation threshold, the default of {@code admap diagnose --max-corr}.
     */
    static final double[] CORRELATION_BOUNDS = {0.0, 0.5, 0.65, 0.8, 0.9};
    private static final List<String> CORRELATION_LABELS = List.of("<= 0", "0 - 0.5", "0.5 - 0.65", "0.65 - 0.8",
            "0.8 - 0.9", "> 0.9", "undefined");
    /** Red for disagreement through blue for agreement (ColorBrewer RdYlBu), grey for undefined. */
    private static final List<Color> CORRELATION_COLORS = List.of(new Color(0xA5, 0x00, 0x26),
            new Color(0xF4, 0x6D, 0x43), new Color(0xFD, 0xAE, 0x61), new Color(0x74, 0xAD, 0xD1),
            new Color(0x45, 0x75, 0xB4), new Color(0x31, 0x36, 0x95), new Color(0xAA, 0xAA, 0xAA));

    /** Model colours: Okabe-Ito without its yellow, then a few more; beyond them, "other models". */
    private static final List<Color> MODEL_COLORS = List.of(new Color(0x00, 0x72, 0xB2), new Color(0xD5, 0x5E, 0x00),
            new Color(0x00, 0x9E, 0x73), new Color(0xCC, 0x79, 0xA7), new Color(0x56, 0xB4, 0xE9),
            new Color(0xE6, 0x9F, 0x00), new Color(0x88, 0x22, 0x55), new Color(0x44, 0xAA, 0x99));
    private static final Color OTHER = new Color(0x99, 0x99, 0x99);
    private static final Color UNKNOWN = new Color(0x33, 0x33, 0x33);

    /** How many points fall in each category. */
    public long[] counts() {
        long[] counts = new long[labels.size()];
        for (int c : category) {
            counts[c]++;
        }
        return counts;
    }

    /** By region: high-avg, low-avg, high-var. */
    public static Coloring byRegion(List<MapPoint> points) {
        return byRegion(PointColumns.of(points));
    }

    /** By region, as {@link #byRegion(List)}. */
    public static Coloring byRegion(PointColumns points) {
        int[] category = new int[points.size()];
        int[] byOrdinal = new int[Region.values().length]; // no indexOf per point
        for (Region r : Region.values()) {
            byOrdinal[r.ordinal()] = REGIONS.indexOf(r);
        }
        for (int i = 0; i < category.length; i++) {
            category[i] = byOrdinal[points.region(i).ordinal()];
        }
        return new Coloring("region", "region",
                REGIONS.stream().map(Region::cliName).toList(),
                REGIONS.stream().map(REGION_COLORS::get).toList(), category);
    }

    /** Whether any point has a label/score correlation (the data has labels apart from its scores). */
    public static boolean hasCorrelation(List<MapPoint> points) {
        return PointColumns.of(points).anyCorrelation();
    }

    /**
     * By the agreement of labels and scores, in bins around the paper's threshold 0.65:
     * the diagnosis drawn on the map.
     *
     * @param measure the measure's name for the legend (cosine, pearson, kendall)
     */
    public static Coloring byCorrelation(List<MapPoint> points, String measure) {
        return byCorrelation(PointColumns.of(points), measure);
    }

    /** By the agreement of labels and scores, as {@link #byCorrelation(List, String)}. */
    public static Coloring byCorrelation(PointColumns points, String measure) {
        int[] category = new int[points.size()];
        for (int i = 0; i < category.length; i++) {
            category[i] = correlationBin(points.correlation(i));
        }
        return new Coloring("correlation", "label/score agreement (" + measure + ")", CORRELATION_LABELS,
                CORRELATION_COLORS, category);
    }

    static int correlationBin(double c) {
        if (Double.isNaN(c)) {
            return CORRELATION_BOUNDS.length + 1;
        }
        for (int b = 0; b < CORRELATION_BOUNDS.length; b++) {
            if (c <= CORRELATION_BOUNDS[b]) {
                return b;
            }
        }
        return CORRELATION_BOUNDS.length;
    }

    /**
     * By the model that wrote each instruction's best-scored response: the eight models
     * best most often get a colour each, the rest share "other models".
     *
     * @param bestModel the best response's model per item key (null when unknown)
     */
    public static Coloring byModel(List<MapPoint> points, String[] bestModel) {
        return byModel(PointColumns.of(points), bestModel);
    }

    /** By the model of the best response, as {@link #byModel(List, String[])}. */
    public static Coloring byModel(PointColumns points, String[] bestModel) {
        // counted in place (a million points, a handful of models): no boxed count per point
        Map<String, int[]> counts = new HashMap<>();
        boolean anyUnknown = false;
        String last = null;
        int[] lastCount = null;
        for (int i = 0; i < points.size(); i++) {
            String m = bestModel[points.key(i)];
            if (m == null) {
                anyUnknown = true;
            } else {
                if (m != last) {
                    last = m;
                    lastCount = counts.computeIfAbsent(m, k -> new int[1]);
                }
                lastCount[0]++;
            }
        }
        List<String> ranked = new ArrayList<>(counts.keySet());
        ranked.sort(Comparator.comparing((String m) -> -counts.get(m)[0]).thenComparing(m -> m));
        int named = Math.min(ranked.size(), MODEL_COLORS.size());
        List<String> labels = new ArrayList<>(ranked.subList(0, named));
        List<Color> colors = new ArrayList<>(MODEL_COLORS.subList(0, named));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < named; i++) {
            index.put(labels.get(i), i);
        }
        int other = -1;
        if (ranked.size() > named) {
            other = labels.size();
            labels.add(String.format(Locale.ROOT, "other models (%d)", ranked.size() - named));
            colors.add(OTHER);
        }
        int unknown = -1;
        if (anyUnknown) {
            unknown = labels.size();
            labels.add("unknown model");
            colors.add(UNKNOWN);
        }
        int[] category = new int[points.size()];
        last = null;
        int lastCategory = 0;
        for (int i = 0; i < category.length; i++) {
            String m = bestModel[points.key(i)];
            if (m == null) {
                category[i] = unknown;
            } else {
                if (m != last) {
                    last = m;
                    lastCategory = index.getOrDefault(m, other);
                }
                category[i] = lastCategory;
            }
        }
        return new Coloring("model", "model of the best response", labels, colors, category);
    }

    /** Upper bounds of the region_p bins; the last bin, 0.9 and above, is "stable". */
    static final double[] STABILITY_BOUNDS = {0.5, 0.7, 0.9};
    private static final List<String> STABILITY_LABELS = List.of("< 0.5 (a coin flip)", "0.5 - 0.7", "0.7 - 0.9",
            ">= 0.9 (stable)", "unknown");
    /** Red for points likely to move through blue for stable ones (ColorBrewer RdYlBu), grey for unknown. */
    private static final List<Color> STABILITY_COLORS = List.of(new Color(0xD7, 0x30, 0x27),
            new Color(0xFC, 0x8D, 0x59), new Color(0x91, 0xBF, 0xDB), new Color(0x45, 0x75, 0xB4),
            new Color(0xAA, 0xAA, 0xAA));

    /**
     * By {@code region_p}, the probability that the instruction keeps its region when its
     * scores are drawn again: which parts of the map the judge's noise could rearrange.
     */
    public static Coloring byStability(List<MapPoint> points) {
        return byStability(PointColumns.of(points));
    }

    /** By {@code region_p}, as {@link #byStability(List)}. */
    public static Coloring byStability(PointColumns points) {
        int[] category = new int[points.size()];
        for (int i = 0; i < category.length; i++) {
            category[i] = stabilityBin(points.regionP(i));
        }
        return new Coloring("stability", "region_p: chance to keep its region", STABILITY_LABELS,
                STABILITY_COLORS, category);
    }

    static int stabilityBin(double p) {
        if (Double.isNaN(p)) {
            return STABILITY_BOUNDS.length + 1;
        }
        for (int b = 0; b < STABILITY_BOUNDS.length; b++) {
            if (p < STABILITY_BOUNDS[b]) {
                return b;
            }
        }
        return STABILITY_BOUNDS.length;
    }

    /** A colour as CSS writes it: {@code #rrggbb}. */
    public static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }
}
