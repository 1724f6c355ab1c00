package org.admap.internal.map;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.admap.Version;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreCalibration;
import org.admap.map.AlignmentMap;
import org.admap.map.CombVariability;
import org.admap.map.MapBuilder;
import org.admap.map.MapProvenance;
import org.admap.map.MapStability;
import org.admap.map.StabilityOptions;
import org.admap.map.Variability;
import org.admap.model.ItemScores;
import org.admap.stats.Correlation;

/**
 * Builds the map of a run from one score source and stores it as the run's current map.
 * The map is rebuilt from the store, never from the input files, so a map on a scorer's
 * scores ({@code --scores judge}) is a matter of seconds once the scores exist.
 */
public final class MapJob {

    /** Run-info keys under which the current map's provenance is stored. */
    public static final String INFO_SCORES = "map.scores";
    public static final String INFO_CORRELATION = "map.correlation";
    public static final String INFO_CREATED = "map.created";
    public static final String INFO_VERSION = "map.admap_version";
    public static final String INFO_LABELS = "map.labels";
    /** The sample the map is built on alone ({@code --sample J}), or empty for the means. */
    public static final String INFO_SAMPLE = "map.sample";
    /** What the map's variance column measures ({@link Variability#cliName()}). */
    public static final String INFO_VARIABILITY = "map.variability";

    private MapJob() {
    }

    /**
     * The score source a new map uses when none is asked for: the data's scores, else the
     * first named source the data gave ({@code --score-field NAME=FIELD}), else its labels.
     */
    public static String defaultSource(RunStore store) {
        List<String> sources = store.scoreSources();
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("the data has neither scores nor labels: there is nothing to map"
                    + " (run a scorer first, or check the score and label fields)");
        }
        if (!sources.get(0).equals(RunStore.INPUT)) {
            for (String named : store.info(org.admap.ingest.Ingest.INFO_SCORE_SOURCES).orElse("").split(",")) {
                if (sources.contains(named)) {
                    return named;
                }
            }
        }
        return sources.get(0);
    }

    /**
     * How the data's labels relate to the map's scores: {@code independent} (a separate
     * annotation, so the correlation column and the misannotation diagnosis apply),
     * {@code scores} (the labels are the scores), or {@code none}.
     */
    public static String labelRelation(RunStore store, String source) {
        if (!store.hasLabels()) {
            return "none";
        }
        if (source.equals(RunStore.LABELS) || (source.equals(RunStore.INPUT) && store.labelsEqualScores())) {
            return "scores";
        }
        return "independent";
    }

    /**
     * Builds and stores the map.
     *
     * @param source      the score source ({@code input}, {@code labels} or a scorer's)
     * @param correlation the label/score agreement measure of the correlation column
     */
    public static AlignmentMap run(RunStore store, String source, Correlation correlation) {
        return run(store, source, correlation, StabilityOptions.DEFAULTS);
    }

    /**
     * Builds and stores the map, with the stability of its regions ({@code region_p} per
     * point) when the scores carry uncertainty (repeated judgments, a judge's spread, or
     * list-valued input scores).
     *
     * @param stability how to estimate the stability, and which sample to map on
     */
    public static AlignmentMap run(RunStore store, String source, Correlation correlation,
                                   StabilityOptions stability) {
        return run(store, source, correlation, stability, Variability.SCORE);
    }

    /**
     * Builds and stores the map with {@code variability} on its variance axis; with
     * {@link Variability#COMB} the regions are ranked on it and no stability is estimated
     * (that estimate is of the scores' variance).
     */
    public static AlignmentMap run(RunStore store, String source, Correlation correlation,
                                   StabilityOptions stability, Variability variability) {
        java.util.Map<Integer, Double> comb = variability == Variability.COMB
                ? CombVariability.byKey(store, source) : null;
        List<String> sources = store.scoreSources();
        if (!sources.contains(source)) {
            throw new IllegalArgumentException("no scores from '" + source + "' in this run; available: "
                    + (sources.isEmpty() ? "none" : String.join(", ", sources)));
        }
        ScoreCalibration calibrated = CalibratedMap.calibration(store, source, stability);
        if (calibrated != null) {
            stability = CalibratedMap.options(stability);
        }
        String labels = labelRelation(store, source);
        boolean withCorrelation = labels.equals("independent");
        MapProvenance provenance = new MapProvenance(source, withCorrelation ? correlation.cliName() : null,
                Instant.now(), Version.get());
        MapBuilder builder = MapBuilder.withAgreement(provenance, withCorrelation ? correlation : null);
        boolean uncertain = comb == null && (stability.sample() >= 0 || store.hasUncertainty(source));
        List<ItemScores> mapped = new ArrayList<>();
        Consumer<ItemScores> consumer = !uncertain ? builder : s -> {
            builder.accept(s);
            if (s.scoredCount() >= 2) {
                mapped.add(s);
            }
        };
        if (stability.sample() >= 0) {
            store.forEachItemScoresOfSample(source, stability.sample(), consumer);
        } else {
            store.forEachItemScores(source, consumer);
        }
        AlignmentMap map = builder.build();
        if (map.points().isEmpty()) {
            throw new IllegalArgumentException("no instruction has two or more responses scored by '" + source
                    + "'" + (stability.sample() >= 0 ? " in sample " + stability.sample() : "")
                    + ": the map needs at least two scores per instruction");
        }
        if (uncertain) {
            // the map of one sample has one judgment per response; the map of the means each response's own
            // a calibrated map redraws each response's replicate from the pairs' second judgments
            MapStability estimate = calibrated != null
                    ? MapStability.estimateFromPairs(mapped, CalibratedMap.secondJudgments(store, source), stability)
                    : stability.sample() >= 0 ? MapStability.estimate(mapped, 1, stability)
                    : MapStability.estimate(mapped, store.samplesPerScore(source),
                            ResponseSampleCounts.of(store, source, Integer.MAX_VALUE, mapped), stability);
            mapped.clear();
            if (estimate != null) {
                map = map.withStability(calibrated == null ? estimate : estimate.withCalibration(calibrated));
            }
        }
        if (comb != null) {
            map = map.withVariability(variability, comb);
        }
        store.replaceMap(map.points());
        store.putInfo(INFO_VARIABILITY, variability.cliName());
        store.putInfo(INFO_SCORES, source);
        store.putInfo(INFO_CORRELATION, withCorrelation ? correlation.cliName() : "");
        store.putInfo(INFO_CREATED, provenance.created().toString());
        store.putInfo(INFO_VERSION, provenance.admapVersion());
        store.putInfo(INFO_LABELS, labels);
        store.putInfo(INFO_SAMPLE, stability.sample() >= 0 ? Integer.toString(stability.sample()) : "");
        return map;
    }

    /**
     * The correlation column: the agreement over responses with both a label and a score,
     * when there are at least three (over two, every measure is degenerate: the diagnosis
     * compares a pair's order instead). Public so that a distributed map fills the column
     * with the same rule.
     */
    public static double agreement(Correlation correlation, ItemScores s) {
        return agreement(correlation, s.scores(), s.labels(), 0, s.scores().length);
    }

    /**
     * {@link #agreement(Correlation, ItemScores)} of an item whose scores and labels are
     * {@code scores[from, to)} and {@code labels[from, to)}, read in place.
     */
    public static double agreement(Correlation correlation, double[] scores, double[] labels, int from, int to) {
        int both = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(scores[i]) && !Double.isNaN(labels[i])) {
                both++;
            }
        }
        return both >= 3 ? correlation.of(labels, scores, from, to) : Double.NaN;
    }

    /** The stored map's score source, or fails when the run has no map yet. */
    public static String currentSource(RunStore store) {
        return store.info(INFO_SCORES).orElseThrow(() -> new IllegalArgumentException(
                "this run has no map yet: run 'admap map DIR' first"));
    }
}
