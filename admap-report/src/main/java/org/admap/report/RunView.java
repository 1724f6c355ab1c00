package org.admap.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.admap.internal.store.InputFileRecord;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreSourceInfo;
import org.admap.model.MapPoint;

/**
 * A run's map as the pictures show it: the points, what they were built on (dataset, score
 * source, labels) and the colourings. Loaded once from the run ({@link ReportSource}: its store,
 * or a scanned run's columns) for the static picture and the interactive report alike.
 */
public final class RunView {

    private final ReportSource data;
    private final PointColumns points;
    private final String source;
    private final String dataset;
    private final String labels;
    private final String correlation;
    private final ScoreSourceInfo sourceInfo;
    private String[] bestModels;

    private RunView(ReportSource data, PointColumns points, String source, String dataset, String labels,
                    String correlation, ScoreSourceInfo sourceInfo) {
        this.data = data;
        this.points = points;
        this.source = source;
        this.dataset = dataset;
        this.labels = labels;
        this.correlation = correlation;
        this.sourceInfo = sourceInfo;
    }

    /** Reads the map of a store; fails when the run has no map yet. */
    public static RunView load(RunStore store) {
        return load(ReportSource.of(store));
    }

    /** Reads the map of a run's store or columns. */
    public static RunView load(ReportSource data) {
        String source = data.source();
        PointColumns points = data.pointColumns();
        List<InputFileRecord> inputs = data.inputs();
        String dataset = inputs.isEmpty() ? "(no input)" : inputs.size() == 1 ? fileName(inputs.get(0).path())
                : fileName(inputs.get(0).path()) + " and " + (inputs.size() - 1) + " more file"
                        + (inputs.size() > 2 ? "s" : "");
        return new RunView(data, points, source, dataset, data.labels(), data.correlation(),
                data.scoreSource(source).orElse(null));
    }

    private static String fileName(String path) {
        if (path.startsWith(org.admap.ingest.QueryReader.NAME + ": ")) {
            return "a DuckDB query";
        }
        String name = path.startsWith("hf://") ? path : Path.of(path).getFileName().toString();
        return name.isEmpty() ? path : name;
    }

    /** What the view was read from. */
    public ReportSource data() {
        return data;
    }

    /**
     * The map's points as a list ({@link PointColumns#asList()}: each made as it is asked for
     * where the source holds columns).
     */
    public List<MapPoint> points() {
        return points.asList();
    }

    /** The map's points field by field, as the source holds them: what the report walks. */
    public PointColumns pointColumns() {
        return points;
    }

    /** The score source the map is built on. */
    public String source() {
        return source;
    }

    /** The input file's name (or the first one's and how many more). */
    public String dataset() {
        return dataset;
    }

    /** How the labels relate to the scores: independent, scores or none. */
    public String labels() {
        return labels;
    }

    /** What the map's variance axis measures: {@code score} (the scores' variance) or {@code comb}. */
    public String variability() {
        return data.variability();
    }

    /** The variance axis' title, naming what it measures. */
    public String variabilityTitle() {
        return variability().equals("comb")
                ? "variability: variance of the responses' pairwise embedding cosines (comb)"
                : "variability: variance of the response scores";
    }

    /** The label/score agreement measure of the map's correlation column, or empty. */
    public String correlation() {
        return correlation;
    }

    /** The scorer behind the source, when it is a scorer's (not the data's own scores or labels). */
    public Optional<ScoreSourceInfo> sourceInfo() {
        return Optional.ofNullable(sourceInfo);
    }

    /** The heading of the pictures. */
    public String title() {
        return "Alignment data map: " + dataset;
    }

    /** What the map is built on and its size, in one line. */
    public String subtitle() {
        return String.format(Locale.ROOT, "scores: %s    N = %,d instructions%s", describeSource(), points.size(),
                variability().equals("comb") ? "    variability: comb (pairwise embedding cosines)" : "");
    }

    /** The score source in words: {@code judge (judge, gpt-4o-2024-11-20)}, {@code input (the data's scores)}. */
    public String describeSource() {
        if (source.equals(RunStore.INPUT)) {
            return "input (the data's own scores)";
        }
        if (source.equals(RunStore.LABELS)) {
            return "labels (the data's labels used as scores)";
        }
        if (sourceInfo == null) {
            return source;
        }
        return source + " (" + sourceInfo.kind() + (sourceInfo.model() == null ? "" : ", " + sourceInfo.model()) + ")";
    }

    /** The model of each item's best response on the map's source, by item key (loaded once). */
    public String[] bestModels() {
        if (bestModels == null) {
            bestModels = data.bestModels(source);
        }
        return bestModels;
    }

    /**
     * A colouring of the points by name: {@code region}, {@code correlation}, {@code model} or
     * {@code stability} (by {@code region_p}).
     *
     * @throws IllegalArgumentException for another name, or correlation on a map without one
     */
    public Coloring coloring(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "region" -> Coloring.byRegion(points);
            case "correlation" -> {
                if (!points.anyCorrelation()) {
                    throw new IllegalArgumentException("this map has no label/score correlation (the labels are "
                            + (labels.equals("scores") ? "the scores themselves" : "absent")
                            + "): --color correlation needs labels apart from the scores; use region or model");
                }
                yield Coloring.byCorrelation(points, correlation.isEmpty() ? "cosine" : correlation);
            }
            case "model" -> Coloring.byModel(points, bestModels());
            case "stability" -> {
                if (!points.anyRegionP()) {
                    throw new IllegalArgumentException("this map has no region_p (its scores are one judgment per"
                            + " response): --color stability needs scores with samples or log-probabilities;"
                            + " use region, correlation or model");
                }
                yield Coloring.byStability(points);
            }
            default -> throw new IllegalArgumentException("--color must be region, correlation, model or stability,"
                    + " got '"
                    + name + "'");
        };
    }
}
