package org.admap.internal.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.admap.Progress;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.diagnose.Diagnoser;
import org.admap.diagnose.Diagnosis;
import org.admap.diagnose.Duplicates;
import org.admap.diagnose.Flag;
import org.admap.diagnose.Reason;
import org.admap.diagnose.ScoreConfidence;
import org.admap.diagnose.UncertaintyWeights;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.SourceScores;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;
import org.admap.model.Response;

/**
 * Diagnoses the current map of a run: compares each mapped instruction's labels with the
 * scores the map was built on (and with the scores of {@code options.scorers()}), looks for
 * repeated responses and instructions in the texts, and stores the flags in the run store.
 */
public final class DiagnoseJob {

    private DiagnoseJob() {
    }

    /**
     * Diagnoses and replaces the run's flags.
     *
     * @param scoreSource the source the current map was built on
     */
    public static Diagnosis run(RunStore store, String scoreSource, DiagnoseOptions options) {
        return run(store, scoreSource, options, true);
    }

    /**
     * Diagnoses and replaces the run's flags.
     *
     * @param scoreSource the source the current map was built on
     * @param texts       whether to read the texts for repeated responses and instructions
     */
    public static Diagnosis run(RunStore store, String scoreSource, DiagnoseOptions options, boolean texts) {
        return run(store, scoreSource, options, texts, Progress.Factory.NONE);
    }

    /**
     * Diagnoses and replaces the run's flags, reporting each step to {@code progress}: the
     * scores read, the texts read, the flags stored (none of them is silent on a large run).
     *
     * @param scoreSource the source the current map was built on
     * @param texts       whether to read the texts for repeated responses and instructions
     */
    public static Diagnosis run(RunStore store, String scoreSource, DiagnoseOptions options, boolean texts,
                                Progress.Factory progress) {
        Diagnosis diagnosis = diagnose(store, scoreSource, options, texts, progress);
        try (Progress phase = progress.start(storingPhase(diagnosis), -1, "")) {
            store.replaceFlags(rows(diagnosis));
        }
        return diagnosis;
    }

    /**
     * Diagnoses without storing the flags, for a caller that stores them together with its
     * files ({@link #flagRows}).
     *
     * @param scoreSource the source the current map was built on
     * @param texts       whether to read the texts for repeated responses and instructions
     */
    public static Diagnosis diagnose(RunStore store, String scoreSource, DiagnoseOptions options, boolean texts) {
        return diagnose(store, scoreSource, options, texts, Progress.Factory.NONE);
    }

    /**
     * Diagnoses without storing the flags, reporting each step to {@code progress}: the scores
     * read, the texts read, the flagging (none of them is silent on a large run).
     *
     * @param scoreSource the source the current map was built on
     * @param texts       whether to read the texts for repeated responses and instructions
     */
    public static Diagnosis diagnose(RunStore store, String scoreSource, DiagnoseOptions options, boolean texts,
                                     Progress.Factory progress) {
        checkScorers(store, options.scorers());
        Diagnoser diagnoser = new Diagnoser(options);
        long items = store.itemCount();
        try (Progress bar = progress.start("diagnose: reading scores and labels (" + options.correlation().cliName()
                + " agreement)", items, "items")) {
            long[] seen = {0};
            feed(store, scoreSource, options, diagnoser, item -> {
                if ((++seen[0] & 1023) == 0) {
                    bar.advanceTo(seen[0]);
                }
                return item;
            });
            bar.advanceTo(items); // the unmapped items are passed over
        }
        Duplicates duplicates = Duplicates.none();
        if (texts) {
            try (Progress bar = progress.start("diagnose: reading texts (repeated responses and instructions)",
                    items, "items")) {
                Duplicates.Finder finder = new Duplicates.Finder();
                long[] seen = {0};
                store.forEachItem(RunStore.LABELS, null, ki -> {
                    List<String> responses = new ArrayList<>(ki.item().responses().size());
                    for (Response r : ki.item().responses()) {
                        responses.add(r.text());
                    }
                    finder.accept(ki.key(), ki.item().id(), ki.item().fullPrompt(), responses);
                    if ((++seen[0] & 255) == 0) {
                        bar.advanceTo(seen[0]);
                    }
                });
                bar.advanceTo(seen[0]);
                duplicates = finder.finish();
            }
        }
        try (Progress phase = progress.start("diagnose: flagging", -1, "")) {
            return diagnoser.finish(duplicates);
        }
    }

    /** The name of the phase that stores a diagnosis's flags, for a caller that stores them itself. */
    public static String storingPhase(Diagnosis diagnosis) {
        return "diagnose: storing " + diagnosis.flags().size() + " flags";
    }

    /** The store's rows of a diagnosis's flags. */
    public static List<RunStore.StoredFlag> flagRows(Diagnosis diagnosis) {
        return rows(diagnosis);
    }

    /**
     * Feeds every mapped item of the run to the diagnoser, with the scores of the map's
     * source and of the scorers, after {@code labels} has rewritten the map's item (the
     * self-validation's flipped copy; the identity otherwise).
     */
    public static void feed(RunStore store, String scoreSource, DiagnoseOptions options, Diagnoser diagnoser,
                     UnaryOperator<ItemScores> labels) {
        List<MapPoint> points = store.mapPoints();
        MapPoint[] byKey = new MapPoint[(int) store.itemCount()];
        for (MapPoint p : points) {
            byKey[p.key()] = p;
        }
        List<String> sources = new ArrayList<>();
        sources.add(scoreSource);
        sources.addAll(options.scorers());
        int k = options.scorers().size();
        // The scale each source's standard errors are read against, for their confidence.
        double[][] ranges = new double[sources.size()][];
        for (int s = 0; s < sources.size(); s++) {
            ranges[s] = store.scoreRange(sources.get(s));
        }
        if (options.weighByUncertainty() || options.byAgreeProbability()) {
            diagnoser.pooledVariances(pooledVariances(store, sources, byKey));
        }
        SourceScores.forEach(store, sources, true, item -> {
            MapPoint p = byKey[item.key()];
            if (p == null) {
                return;
            }
            ItemScores main = labels.apply(item.of(0));
            List<ItemScores> scorers = new ArrayList<>(k);
            List<double[]> confidences = new ArrayList<>(k);
            for (int s = 1; s <= k; s++) {
                scorers.add(new ItemScores(item.key(), item.id(), item.scores()[s], main.labels(),
                        item.standardErrors()[s]));
                confidences.add(confidences(item.raw()[s], item.standardErrors()[s], ranges[s]));
            }
            diagnoser.accept(p, main, confidences(item.raw()[0], item.standardErrors()[0], ranges[0]), scorers,
                    confidences);
        });
    }

    /**
     * Each source's pooled noise variance over the mapped responses: the mean squared standard
     * error of those that have one; NaN for a source without any ({@link UncertaintyWeights}).
     */
    public static double[] pooledVariances(RunStore store, List<String> sources, MapPoint[] byKey) {
        double[] sum = new double[sources.size()];
        long[] count = new long[sources.size()];
        SourceScores.forEach(store, sources, false, item -> {
            if (byKey[item.key()] == null) {
                return;
            }
            for (int s = 0; s < sources.size(); s++) {
                for (double se : item.standardErrors()[s]) {
                    if (!Double.isNaN(se)) {
                        sum[s] += se * se;
                        count[s]++;
                    }
                }
            }
        });
        double[] out = new double[sources.size()];
        for (int s = 0; s < out.length; s++) {
            out[s] = count[s] == 0 ? Double.NaN : sum[s] / count[s];
        }
        return out;
    }

    /**
     * Per response: the confidence its raw output states, else the one its standard error
     * means on the source's scale (--logprobs spreads, --samples), else NaN.
     */
    private static double[] confidences(String[] raw, double[] standardErrors, double[] range) {
        double[] c = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            c[i] = raw[i] == null ? Double.NaN : ScoreConfidence.JSON_FIELD.of(raw[i]);
            if (Double.isNaN(c[i])) {
                c[i] = ScoreConfidence.fromStandardError(standardErrors[i], range[0], range[1]);
            }
        }
        return c;
    }

    /** Refuses scorers the run does not have, and the labels as a scorer of themselves. */
    public static void checkScorers(RunStore store, List<String> scorers) {
        if (scorers.isEmpty()) {
            return;
        }
        List<String> available = store.scoreSources();
        for (String s : scorers) {
            if (s.equals(RunStore.LABELS) || (s.equals(RunStore.INPUT) && store.labelsEqualScores())) {
                throw new IllegalArgumentException("'" + s + "' cannot be a scorer: "
                        + (s.equals(RunStore.LABELS) ? "the labels are" : "its scores are the labels, which are")
                        + " what the scorers are compared with");
            }
            if (!available.contains(s)) {
                throw new IllegalArgumentException("no scores from '" + s + "' in this run; available: "
                        + String.join(", ", available));
            }
        }
    }

    /** The sources that can serve as scorers: every source with scores except the labels. */
    public static List<String> availableScorers(RunStore store) {
        List<String> out = new ArrayList<>();
        boolean inputIsLabels = store.labelsEqualScores();
        for (String s : store.scoreSources()) {
            if (!s.equals(RunStore.LABELS) && !(s.equals(RunStore.INPUT) && inputIsLabels)) {
                out.add(s);
            }
        }
        return out;
    }

    /** One stored row per (flagged instruction, reason): the number the rule compared and its threshold. */
    private static List<RunStore.StoredFlag> rows(Diagnosis diagnosis) {
        DiagnoseOptions options = diagnosis.options();
        List<RunStore.StoredFlag> rows = new ArrayList<>();
        for (Flag f : diagnosis.flags()) {
            for (Reason r : f.reasons()) {
                double value = switch (r) {
                    case MISANNOTATED -> f.correlation();
                    case SCORE_PREFERS_REJECTED -> f.margin();
                    case SCORERS_DISAGREE -> f.scorerAgreement();
                    case LOW_IMPACT -> f.variance();
                    case DUPLICATE_RESPONSES -> f.duplicateResponses();
                    case DUPLICATE_INSTRUCTION -> Double.NaN;
                };
                double threshold = switch (r) {
                    case MISANNOTATED -> Double.isNaN(diagnosis.bottomCorrelation()) ? options.maxCorrelation()
                            : Math.max(options.maxCorrelation(), diagnosis.bottomCorrelation());
                    case SCORE_PREFERS_REJECTED -> options.minMargin();
                    case SCORERS_DISAGREE -> options.minScorerAgreement();
                    case LOW_IMPACT -> diagnosis.lowImpactVariance();
                    case DUPLICATE_RESPONSES -> 1;
                    case DUPLICATE_INSTRUCTION -> Double.NaN;
                };
                rows.add(new RunStore.StoredFlag(f.key(), r.cliName(), value, threshold, f.details().get(r)));
            }
        }
        return rows;
    }
}
