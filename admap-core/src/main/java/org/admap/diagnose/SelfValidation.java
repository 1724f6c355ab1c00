package org.admap.diagnose;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.admap.internal.diagnose.DiagnoseJob;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.SourceScores;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;

/**
 * Measures how well the diagnosis finds wrong labels on a run's own data: flips the labels
 * of a random share of the instructions in a copy (a preference pair's chosen and rejected
 * swapped; a multi-response label vector permuted), diagnoses the copy with the same
 * thresholds and scorers, and reports how well the flags and the suspicion ranking recover
 * the flipped ones (precision and recall at the flag threshold, precision at k, ROC AUC).
 *
 * <p>The copy lives in memory only: the run store's labels, flags and map are never
 * touched. When the labels are the map's scores themselves and scorers are named, the
 * scorers alone judge the flipped labels. With no scorer either (one score source), the
 * scores play both parts: the flipped copy of the scores is the labels, the scores stay the
 * scores. Unflipped instructions then agree perfectly by construction, so what is measured
 * is how far a flip must move an instruction's labels before the thresholds notice
 * (recall), not how often real disagreement is mistaken for a flip (precision).
 *
 * <p>Eligible instructions are those on the map with two or more responses that have both
 * a label and a score and whose labels are not all equal (a constant label vector cannot be
 * flipped). They are the population every metric is over: flipped ones are the positives,
 * the rest the negatives. Flipping is deterministic given the seed.
 *
 * <pre>{@code
 * try (RunStore store = RunStore.open(Path.of("run/run.duckdb"))) {
 *     DiagnoseOptions options = DiagnoseOptions.paper(true).withScorers(List.of("judge", "reward"), 1, 0.5);
 *     SelfValidation.Result r = SelfValidation.run(store, MapJob.currentSource(store), options, 10, 1, 0);
 *     System.out.println("recall of the flags " + r.atThreshold().recall());
 *     r.detectors().forEach(d -> System.out.println(d.name() + ": ROC AUC " + d.auc()));
 * }
 * }</pre>
 */
public final class SelfValidation {

    /**
     * A suspicion ranking's quality.
     *
     * @param name          the source of the suspicion: the map's score source, a scorer, or
     *                      {@code consensus} (the mean over the scorers)
     * @param auc           ROC AUC of the suspicion against the flips
     * @param precisionAtK  precision among the k most suspicious
     */
    public record Detector(String name, double auc, double precisionAtK) {
    }

    /**
     * One eligible instruction of the copy.
     *
     * @param key       its key
     * @param id        its id
     * @param injected  whether its labels were flipped
     * @param suspicion its suspicion from the map's scores (NaN without evidence)
     * @param flagged   whether a reason about labels flagged it
     */
    public record Row(int key, String id, boolean injected, double suspicion, boolean flagged) {
    }

    /**
     * The measurement.
     *
     * @param percent          the share flipped, in percent of the eligible instructions
     * @param seed             the seed of the draw and the permutations
     * @param labelsWereScores whether the map's scores played the labels and judged their own flipped copy
     * @param eligible         instructions that could be flipped
     * @param injected         instructions flipped
     * @param k                the k of precision at k
     * @param atThreshold      precision and recall of the flags about labels
     * @param byReason         the same for each reason about labels that can apply
     * @param detectors        the suspicion rankings: the map's source (unless it is the labels
     *                         and scorers judge), then each scorer, then their consensus when
     *                         there are two or more
     * @param rows             every eligible instruction, in input order
     */
    public record Result(double percent, long seed, boolean labelsWereScores, long eligible, long injected, int k,
                         DetectionMetrics.PrecisionRecall atThreshold,
                         Map<Reason, DetectionMetrics.PrecisionRecall> byReason, List<Detector> detectors,
                         List<Row> rows) {
    }

    private SelfValidation() {
    }

    /**
     * Flips, diagnoses the copy and measures.
     *
     * @param source  the map's score source
     * @param options the thresholds and scorers of the diagnosis (whether the labels are
     *                independent decides what plays the labels)
     * @param percent share to flip, in (0, 100]
     * @param seed    seed of the draw
     * @param atK     k of precision at k; 0 for the number flipped (R-precision)
     */
    public static Result run(RunStore store, String source, DiagnoseOptions options, double percent, long seed,
                             int atK) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("--inject-flips takes a percentage in (0, 100], got " + percent);
        }
        if (atK < 0) {
            throw new IllegalArgumentException("k must not be negative, got " + atK);
        }
        DiagnoseJob.checkScorers(store, options.scorers());
        boolean labelsAreScores = !options.labelsIndependent();
        // The map's scores judge the flipped copy unless they are the labels and scorers can
        // judge instead (then comparing flipped labels with the original ones would be cheating).
        boolean mapJudges = options.labelsIndependent() || options.scorers().isEmpty();
        List<MapPoint> points = store.mapPoints();
        BitSet mapped = new BitSet();
        String[] ids = new String[(int) store.itemCount()];
        for (MapPoint p : points) {
            mapped.set(p.key());
            ids[p.key()] = p.id();
        }

        List<Integer> eligible = new ArrayList<>();
        SourceScores.forEach(store, List.of(source), false, item -> {
            if (mapped.get(item.key()) && flippable(base(item.of(0), labelsAreScores))) {
                eligible.add(item.key());
            }
        });
        int count = (int) Math.round(eligible.size() * percent / 100);
        if (count == 0) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%s%% of the %d instructions that can be flipped is none: inject a larger share", fmt(percent),
                    eligible.size()));
        }
        List<Integer> draw = new ArrayList<>(eligible);
        Collections.shuffle(draw, new Random(seed));
        BitSet flipped = new BitSet();
        for (int i = 0; i < count; i++) {
            flipped.set(draw.get(i));
        }
        BitSet isEligible = new BitSet();
        eligible.forEach(isEligible::set);

        Diagnoser diagnoser = new Diagnoser(options.withLabelsIndependent(mapJudges));
        DiagnoseJob.feed(store, source, options, diagnoser, s -> {
            ItemScores b = base(s, labelsAreScores);
            return flipped.get(s.key()) ? new ItemScores(s.key(), s.id(), s.scores(), flip(b, seed)) : b;
        });
        Diagnosis diagnosis = diagnoser.finish();
        Diagnoser.Ranking ranking = diagnoser.ranking();

        int[] index = new int[eligible.size()];
        int n = 0;
        for (int i = 0; i < ranking.keys().length; i++) {
            if (isEligible.get(ranking.keys()[i])) {
                index[n++] = i;
            }
        }
        boolean[] truth = new boolean[n];
        boolean[] flagged = new boolean[n];
        for (int j = 0; j < n; j++) {
            truth[j] = flipped.get(ranking.keys()[index[j]]);
            flagged[j] = ranking.labelFlag()[index[j]];
        }
        int k = atK == 0 ? count : atK;

        List<Detector> detectors = new ArrayList<>();
        if (mapJudges) {
            detectors.add(detector(source, ranking.main(), index, n, truth, k));
        }
        for (int s = 0; s < options.scorers().size(); s++) {
            if (!(mapJudges && options.scorers().get(s).equals(source))) { // the map's own, already ranked
                detectors.add(detector(options.scorers().get(s), ranking.scorers()[s], index, n, truth, k));
            }
        }
        if (options.scorers().size() >= 2) {
            detectors.add(detector("consensus", ranking.consensus(), index, n, truth, k));
        }

        Map<Integer, Flag> flagsByKey = new java.util.HashMap<>();
        for (Flag f : diagnosis.flags()) {
            flagsByKey.put(f.key(), f);
        }
        Map<Reason, DetectionMetrics.PrecisionRecall> byReason = new EnumMap<>(Reason.class);
        for (Reason r : Reason.values()) {
            if (!r.aboutLabels() || (r == Reason.SCORERS_DISAGREE ? options.scorers().size() < 2 : !mapJudges)) {
                continue;
            }
            boolean[] byR = new boolean[n];
            for (int j = 0; j < n; j++) {
                Flag f = flagsByKey.get(ranking.keys()[index[j]]);
                byR[j] = f != null && f.reasons().contains(r);
            }
            byReason.put(r, DetectionMetrics.precisionRecall(byR, truth));
        }

        List<Row> rows = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            int key = ranking.keys()[index[j]];
            rows.add(new Row(key, ids[key], truth[j], ranking.main()[index[j]], flagged[j]));
        }
        return new Result(percent, seed, labelsAreScores && mapJudges, n, count, k,
                DetectionMetrics.precisionRecall(flagged, truth), byReason, detectors, rows);
    }

    private static Detector detector(String name, double[] suspicion, int[] index, int n, boolean[] truth, int k) {
        double[] s = new double[n];
        for (int j = 0; j < n; j++) {
            s[j] = suspicion[index[j]];
        }
        return new Detector(name, DetectionMetrics.auc(s, truth), DetectionMetrics.precisionAtK(s, truth, k));
    }

    /** What plays the labels before flipping: the labels, or the scores when the labels are the scores. */
    private static ItemScores base(ItemScores s, boolean labelsAreScores) {
        return labelsAreScores ? new ItemScores(s.key(), s.id(), s.scores(), s.scores().clone()) : s;
    }

    /** Whether two or more responses have both numbers and their labels are not all equal. */
    static boolean flippable(ItemScores s) {
        double first = Double.NaN;
        int both = 0;
        boolean differ = false;
        for (int i = 0; i < s.labels().length; i++) {
            if (!Double.isNaN(s.labels()[i]) && !Double.isNaN(s.scores()[i])) {
                both++;
                if (Double.isNaN(first)) {
                    first = s.labels()[i];
                } else if (s.labels()[i] != first) {
                    differ = true;
                }
            }
        }
        return both >= 2 && differ;
    }

    /**
     * The flipped labels of an instruction: the labels of the responses that have both
     * numbers permuted at random (for a pair: swapped) until the vector differs; responses
     * without both keep theirs. Seeded by the run's seed and the item's key, so an item's
     * flip does not depend on which others were drawn.
     */
    static double[] flip(ItemScores s, long seed) {
        double[] labels = s.labels().clone();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (!Double.isNaN(labels[i]) && !Double.isNaN(s.scores()[i])) {
                positions.add(i);
            }
        }
        Random random = new Random(seed ^ (0x9E3779B97F4A7C15L * (s.key() + 1L)));
        for (int attempt = 0; attempt < 1000; attempt++) {
            List<Integer> order = new ArrayList<>(positions);
            Collections.shuffle(order, random);
            double[] out = labels.clone();
            boolean changed = false;
            for (int j = 0; j < positions.size(); j++) {
                out[positions.get(j)] = labels[order.get(j)];
                changed |= out[positions.get(j)] != labels[positions.get(j)];
            }
            if (changed) {
                return out;
            }
        }
        throw new IllegalStateException("cannot flip the labels of " + s.id() + ": they are all equal");
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
