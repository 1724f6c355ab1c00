package org.admap.diagnose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;
import org.admap.stats.Correlation;
import org.admap.stats.OrderStatistic;

/**
 * Flags potentially mis-annotated and low-impact instructions, the paper's way, and more:
 * <ul>
 *   <li><b>mis-annotated</b>: for items with three or more responses, the agreement of
 *       labels and scores is at or below {@code maxCorrelation}, or among the lowest
 *       {@code bottomFraction} of the map (the paper: cosine, 0.65, 1%);</li>
 *   <li><b>score prefers rejected</b>: for two-response items (preference pairs), whose
 *       agreement measure is degenerate, the score margin of the chosen response over the
 *       rejected one is below {@code minMargin} (0: the scores rank the pair against its
 *       labels);</li>
 *   <li><b>scorers disagree</b>: with {@code --scorers}, at least two scorers (and the
 *       quorum of those with evidence) contradict the labels by the two rules above, and
 *       agree with each other (mean pairwise Kendall tau-b at least
 *       {@code minScorerAgreement});</li>
 *   <li><b>low-impact</b>: variance among the lowest {@code lowImpactFraction} of the map
 *       (ties at the boundary included, so all zero-variance items are flagged);</li>
 *   <li><b>duplicate responses</b> and <b>duplicate instructions</b>, from the
 *       {@link Duplicates} found in the texts.</li>
 * </ul>
 * Each reason is one {@link FlagRule}; this class gathers the evidence, computes the map-wide
 * {@link Thresholds} and asks every rule about every instruction. Feed every mapped item with
 * {@link #accept}, then call {@link #finish}. Keeps a few numbers per item, never texts.
 */
public final class Diagnoser {

    private final DiagnoseOptions options;
    /** One rule per {@link Reason}, asked about every instruction. */
    private final List<FlagRule> rules;
    private final ExaminedList entries = new ExaminedList(16);
    /** Score ranges, index 0 the map's source, then the scorers: pairs' margins are divided by them. */
    private final double[] min;
    private final double[] max;
    private Ranking ranking;
    /** Each source's pooled noise variance (index 0 the map's), for --weigh-by-uncertainty; null: none known. */
    private double[] pooledVariances;
    /** Where a point accepted without an id has its id looked up when it is flagged; null: none. */
    private IntFunction<String> idOf;

    /**
     * Per examined instruction, in input order: what the self-validation ranks and counts.
     *
     * @param keys      the items' keys
     * @param labelFlag whether a reason about the labels flagged it
     * @param main      its suspicion from the map's scores (NaN without evidence)
     * @param scorers   {@code scorers[s][i]}: scorer s's suspicion of item i
     * @param consensus the mean suspicion of the scorers with evidence
     */
    record Ranking(int[] keys, boolean[] labelFlag, double[] main, double[][] scorers, double[] consensus) {
    }

    public Diagnoser(DiagnoseOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.rules = FlagRule.all(options);
        int sources = 1 + options.scorers().size();
        min = new double[sources];
        max = new double[sources];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    /**
     * Sets each source's pooled noise variance (index 0 the map's source, then the scorers):
     * the {@code v0} of {@link UncertaintyWeights}, used when the options weigh by uncertainty.
     */
    public void pooledVariances(double[] variances) {
        if (variances.length != min.length) {
            throw new IllegalArgumentException("expected " + min.length + " pooled variances, got " + variances.length);
        }
        pooledVariances = variances.clone();
    }

    /**
     * Lets points be accepted without their ids (a null {@link MapPoint#id}): a flagged one's id
     * is looked up in {@code idOf} by its key. A diagnosis of a million instructions flags a
     * few percent of them, and keeps every point it examines.
     */
    public void idsFrom(IntFunction<String> idOf) {
        this.idOf = Objects.requireNonNull(idOf, "idOf");
    }

    /**
     * Makes room for {@code more} items to come, when their number is known: a map of a
     * million would otherwise grow its columns a few times over.
     */
    public void expect(int more) {
        entries.ensureRoom(more);
    }

    private double[] weights(int source, ItemScores s) {
        double pool = pooledVariances == null ? Double.NaN : pooledVariances[source];
        if (!options.weighByUncertainty() || !(pool > 0) || Double.isInfinite(pool)) {
            return null; // a source without standard errors: exactly the plain evidence
        }
        return UncertaintyWeights.of(s.standardErrors(), pool);
    }

    /**
     * Each response's noise variance for the probability rule ({@code se^2 + v0}, the inverse of
     * its {@link UncertaintyWeights} weight), zeros for a source without standard errors (the
     * point scores); null when the rule is off.
     */
    private double[] noise(int source, ItemScores s) {
        if (!options.byAgreeProbability()) {
            return null;
        }
        double pool = pooledVariances == null ? Double.NaN : pooledVariances[source];
        double[] v = new double[s.scores().length];
        if (pool > 0 && !Double.isInfinite(pool)) {
            double[] w = UncertaintyWeights.of(s.standardErrors(), pool);
            for (int i = 0; i < v.length; i++) {
                v[i] = 1 / w[i];
            }
        }
        return v;
    }

    /** Examines one mapped item: its point and its scores and labels. */
    public void accept(MapPoint point, ItemScores scores) {
        accept(point, scores, null, List.of(), List.of());
    }

    /**
     * Examines one mapped item with the scores of the scorers of {@code options.scorers()}.
     *
     * @param scores           the map's scores with the labels
     * @param confidence       the map's scorer's confidence per response, or null
     * @param scorerScores     each scorer's scores with the labels, in the options' order
     * @param scorerConfidence each scorer's confidences (an entry may be null)
     */
    public void accept(MapPoint point, ItemScores scores, double[] confidence, List<ItemScores> scorerScores,
                       List<double[]> scorerConfidence) {
        int k = options.scorers().size();
        if (scorerScores.size() != k) {
            throw new IllegalArgumentException("expected the scores of " + k + " scorers, got " + scorerScores.size());
        }
        Evidence main = null;
        if (options.labelsIndependent()) {
            main = Evidence.of("", scores, confidence, options.correlation(), weights(0, scores),
                    noise(0, scores));
            widen(0, scores);
        }
        // without scorers (the usual case) the two lists stay the shared empty one: a million
        // instructions kept two empty lists each
        List<Evidence> evidence = k == 0 ? List.of() : new ArrayList<>(k);
        int defined = 0;
        List<Integer> against = k == 0 ? List.of() : new ArrayList<>();
        for (int s = 0; s < k; s++) {
            ItemScores ss = scorerScores.get(s);
            double[] conf = s < scorerConfidence.size() ? scorerConfidence.get(s) : null;
            Evidence e = Evidence.of(options.scorers().get(s), ss, conf, options.correlation(), weights(s + 1, ss),
                    noise(s + 1, ss));
            widen(s + 1, ss);
            evidence.add(e);
            if (e.defined()) {
                defined++;
                if (e.againstLabels(options)) {
                    against.add(s);
                }
            }
        }
        double agreement = Double.NaN;
        if (against.size() >= 2) {
            double sum = 0;
            int pairs = 0;
            for (int a = 0; a < against.size(); a++) {
                for (int b = a + 1; b < against.size(); b++) {
                    double tau = Correlation.KENDALL.of(labelled(scorerScores.get(against.get(a))),
                            labelled(scorerScores.get(against.get(b))));
                    if (!Double.isNaN(tau)) {
                        sum += tau;
                        pairs++;
                    }
                }
            }
            agreement = pairs == 0 ? Double.NaN : sum / pairs;
        }
        entries.add(new Examined(point, main, evidence, defined, against.size(), agreement));
    }

    /** The scores at the positions that have a label (NaN elsewhere): what the evidence is over. */
    private static double[] labelled(ItemScores s) {
        double[] out = s.scores().clone();
        for (int i = 0; i < out.length; i++) {
            if (Double.isNaN(s.labels()[i])) {
                out[i] = Double.NaN;
            }
        }
        return out;
    }

    private void widen(int source, ItemScores s) {
        for (double v : s.scores()) {
            if (!Double.isNaN(v)) {
                min[source] = Math.min(min[source], v);
                max[source] = Math.max(max[source], v);
            }
        }
    }

    private double range(int source) {
        return max[source] >= min[source] ? max[source] - min[source] : Double.NaN;
    }

    /** Applies the thresholds and returns the flags; the texts were not examined. */
    public Diagnosis finish() {
        return finish(Duplicates.none());
    }

    /**
     * The two thresholds that depend on the whole map rather than on one item: the agreement at
     * or below which the bottom share is mis-annotated, and the variance at or below which an
     * item is low-impact. {@link #finish(Duplicates)} computes them from the items examined; a
     * distributed diagnosis (the Spark module) computes them over all partitions and hands them
     * to each partition's diagnoser through {@link #finish(Duplicates, Thresholds)}, so every
     * partition applies the same global thresholds and the flags equal a single machine's.
     *
     * @param bottomCorrelation  the agreement at the rank {@link #rank} of the defined
     *                           agreements, ascending; NaN when that rank is 0
     * @param lowImpactVariance  the variance at that rank of all variances; NaN when it is 0
     * @param correlationDefined how many items had a defined agreement
     */
    public record Thresholds(double bottomCorrelation, double lowImpactVariance, long correlationDefined) {

        /**
         * The 1-based rank, in ascending order, of the value that bounds the lowest
         * {@code fraction} of {@code count} values (0: no value, no threshold).
         */
        public static long rank(long count, double fraction) {
            return (long) (count * fraction);
        }
    }

    /** The thresholds over the items examined so far (see {@link Thresholds}). */
    public Thresholds thresholds() {
        // loops into arrays, not streams, and one rank selected, not a sort: a million values each
        double[] defined = new double[entries.size()];
        int d = 0;
        double[] variances = new double[entries.size()];
        for (int i = 0; i < variances.length; i++) {
            double c = entries.definedCorrelation(i);
            if (!Double.isNaN(c)) {
                defined[d++] = c;
            }
            variances[i] = entries.variance(i);
        }
        int bottomCount = (int) Thresholds.rank(d, options.bottomFraction());
        double bottomCorrelation = bottomCount == 0 ? Double.NaN
                : OrderStatistic.select(Arrays.copyOf(defined, d), bottomCount - 1);

        int lowCount = (int) Thresholds.rank(variances.length, options.lowImpactFraction());
        double lowVariance = lowCount == 0 ? Double.NaN : OrderStatistic.select(variances, lowCount - 1);
        return new Thresholds(bottomCorrelation, lowVariance, d);
    }

    /** Applies the thresholds and returns the flags, with what was found in the texts. */
    public Diagnosis finish(Duplicates duplicates) {
        return finish(duplicates, thresholds());
    }

    /**
     * Applies given thresholds, computed over a whole map of which these items are a part, and
     * returns the flags of these items (see {@link Thresholds}).
     */
    public Diagnosis finish(Duplicates duplicates, Thresholds thresholds) {
        double bottomCorrelation = thresholds.bottomCorrelation();
        double lowVariance = thresholds.lowImpactVariance();

        int k = options.scorers().size();
        int size = entries.size();
        Ranking r = new Ranking(new int[size], new boolean[size], new double[size], new double[k][size],
                new double[size]);
        List<Flag> flags = new ArrayList<>();
        long scorersEvaluated = 0;
        int next = 0; // walks the text findings of items not on the map, to keep input order
        List<Map.Entry<Integer, Duplicates.Found>> found = new ArrayList<>(duplicates.all().entrySet());
        for (int i = 0; i < size; i++) {
            Examined e = entries.get(i);
            MapPoint p = e.point();
            while (next < found.size() && found.get(next).getKey() < p.key()) {
                textFlag(found.get(next++), thresholds).ifPresent(flags::add);
            }
            Duplicates.Found text = null;
            if (next < found.size() && found.get(next).getKey() == p.key()) {
                text = found.get(next++).getValue();
            }
            Evidence m = e.main();
            double c = m == null ? Double.NaN : m.correlation();
            double margin = m == null ? Double.NaN : m.margin();
            if (e.scorersDefined() >= 2) {
                scorersEvaluated++;
            }
            Map<Reason, String> reasons = reasons(e, text, thresholds);

            r.keys()[i] = p.key();
            r.labelFlag()[i] = aboutLabels(reasons);
            r.main()[i] = m == null ? Double.NaN : m.suspicion(range(0));
            double sum = 0;
            int counted = 0;
            for (int s = 0; s < k; s++) {
                double v = e.scorers().get(s).suspicion(range(s + 1));
                r.scorers()[s][i] = v;
                if (!Double.isNaN(v)) {
                    sum += v;
                    counted++;
                }
            }
            r.consensus()[i] = counted == 0 ? Double.NaN : sum / counted;

            if (!reasons.isEmpty()) {
                String id = p.id() == null && idOf != null ? idOf.apply(p.key()) : p.id();
                flags.add(new Flag(p.key(), id, reasons, c, margin, p.mean(), p.variance(), p.n(),
                        m == null ? Double.NaN : m.rankAgreement(),
                        m == null ? Double.NaN : m.confidence(), e.scorers(), e.scorersAgainst(),
                        e.scorerAgreement(), text == null ? 0 : text.duplicateResponses(),
                        text == null ? null : text.duplicateOf()));
            }
        }
        while (next < found.size()) {
            textFlag(found.get(next++), thresholds).ifPresent(flags::add);
        }
        ranking = r;
        return new Diagnosis(flags, size, thresholds.correlationDefined(), options, bottomCorrelation, lowVariance,
                scorersEvaluated,
                duplicates);
    }

    /**
     * What every rule says about an instruction (null {@code item}: one not on the map); an
     * empty map, made only for an instruction that some rule flags, as most are not.
     */
    private Map<Reason, String> reasons(Examined item, Duplicates.Found text, Thresholds thresholds) {
        Map<Reason, String> reasons = null;
        for (FlagRule rule : rules) {
            String why = rule.why(item, text, thresholds);
            if (why != null) {
                if (reasons == null) {
                    reasons = new EnumMap<>(Reason.class);
                }
                reasons.put(rule.reason(), why);
            }
        }
        return reasons == null ? Map.of() : reasons;
    }

    private static boolean aboutLabels(Map<Reason, String> reasons) {
        for (Reason r : reasons.keySet()) {
            if (r.aboutLabels()) {
                return true;
            }
        }
        return false;
    }

    /** The flag of an item that is not on the map but has a finding in its texts. */
    private Optional<Flag> textFlag(Map.Entry<Integer, Duplicates.Found> f, Thresholds thresholds) {
        Map<Reason, String> reasons = reasons(null, f.getValue(), thresholds);
        if (reasons.isEmpty()) {
            return Optional.empty();
        }
        Duplicates.Found t = f.getValue();
        return Optional.of(new Flag(f.getKey(), t.id(), reasons, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, t.responses(), Double.NaN, Double.NaN, List.of(), 0,
                Double.NaN, t.duplicateResponses(), t.duplicateOf()));
    }

    /** The per-item numbers of the last {@link #finish}, for the self-validation. */
    Ranking ranking() {
        if (ranking == null) {
            throw new IllegalStateException("finish() has not run");
        }
        return ranking;
    }
}
