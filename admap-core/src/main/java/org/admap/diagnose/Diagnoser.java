package org.admap.diagnose;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;

/**
 * Flags potentially mis-annotated and low-impact instructions, the paper's way:
 * <ul>
 *   <li><b>mis-annotated</b>: for items with three or more responses, the agreement of
 *       labels and scores is at or below {@code maxCorrelation}, or among the lowest
 *       {@code bottomFraction} of the map (the paper: cosine, 0.65, 1%);</li>
 *   <li><b>score prefers rejected</b>: for two-response items (preference pairs), whose
 *       agreement measure is degenerate, the scores rank the pair against its labels;</li>
 *   <li><b>low-impact</b>: variance among the lowest {@code lowImpactFraction} of the map
 *       (ties at the boundary included, so all zero-variance items are flagged).</li>
 * </ul>
 * Feed every mapped item with {@link #accept}, then call {@link #finish}. Keeps a few
 * numbers per item, never texts.
 */
public final class Diagnoser {

    private final DiagnoseOptions options;
    private final List<Entry> entries = new ArrayList<>();

    private record Entry(MapPoint point, double correlation, double margin) {
    }

    public Diagnoser(DiagnoseOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Examines one mapped item: its point and its scores and labels. */
    public void accept(MapPoint point, ItemScores scores) {
        double correlation = Double.NaN;
        double margin = Double.NaN;
        if (options.labelsIndependent()) {
            int both = 0;
            for (int i = 0; i < scores.scores().length; i++) {
                if (!Double.isNaN(scores.scores()[i]) && !Double.isNaN(scores.labels()[i])) {
                    both++;
                }
            }
            if (both >= 3) {
                correlation = options.correlation().of(scores.labels(), scores.scores());
            } else if (both == 2) {
                margin = pairMargin(scores);
            }
        }
        entries.add(new Entry(point, correlation, margin));
    }

    /** For a pair: score of the better-labelled response minus the other's; NaN on a label tie. */
    private static double pairMargin(ItemScores s) {
        int first = -1;
        int second = -1;
        for (int i = 0; i < s.scores().length; i++) {
            if (!Double.isNaN(s.scores()[i]) && !Double.isNaN(s.labels()[i])) {
                if (first < 0) {
                    first = i;
                } else {
                    second = i;
                }
            }
        }
        double la = s.labels()[first];
        double lb = s.labels()[second];
        if (la == lb) {
            return Double.NaN;
        }
        int better = la > lb ? first : second;
        int worse = better == first ? second : first;
        return s.scores()[better] - s.scores()[worse];
    }

    /** Applies the thresholds and returns the flags. */
    public Diagnosis finish() {
        double[] defined = entries.stream().mapToDouble(Entry::correlation).filter(c -> !Double.isNaN(c)).sorted()
                .toArray();
        int bottomCount = (int) (defined.length * options.bottomFraction());
        double bottomCorrelation = bottomCount == 0 ? Double.NaN : defined[bottomCount - 1];

        double[] variances = entries.stream().mapToDouble(e -> e.point().variance()).sorted().toArray();
        int lowCount = (int) (variances.length * options.lowImpactFraction());
        double lowVariance = lowCount == 0 ? Double.NaN : variances[lowCount - 1];

        String measure = options.correlation().cliName();
        List<Flag> flags = new ArrayList<>();
        for (Entry e : entries) {
            Set<Reason> reasons = EnumSet.noneOf(Reason.class);
            List<String> detail = new ArrayList<>();
            double c = e.correlation();
            if (!Double.isNaN(c)) {
                if (c <= options.maxCorrelation()) {
                    reasons.add(Reason.MISANNOTATED);
                    detail.add(measure + " " + fmt(c) + " <= " + fmt(options.maxCorrelation()));
                }
                if (!Double.isNaN(bottomCorrelation) && c <= bottomCorrelation) {
                    reasons.add(Reason.MISANNOTATED);
                    detail.add(measure + " in the bottom " + percent(options.bottomFraction()) + " (<= "
                            + fmt(bottomCorrelation) + ")");
                }
            }
            if (!Double.isNaN(e.margin()) && e.margin() < 0) {
                reasons.add(Reason.SCORE_PREFERS_REJECTED);
                detail.add("scores prefer the rejected response by " + fmt(-e.margin()));
            }
            if (!Double.isNaN(lowVariance) && e.point().variance() <= lowVariance) {
                reasons.add(Reason.LOW_IMPACT);
                detail.add("variance " + fmt(e.point().variance()) + " in the bottom "
                        + percent(options.lowImpactFraction()) + " (<= " + fmt(lowVariance) + ")");
            }
            if (!reasons.isEmpty()) {
                MapPoint p = e.point();
                flags.add(new Flag(p.key(), p.id(), reasons, c, e.margin(), p.mean(), p.variance(), p.n(),
                        String.join("; ", detail)));
            }
        }
        return new Diagnosis(flags, entries.size(), defined.length, options, bottomCorrelation, lowVariance);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String percent(double fraction) {
        String s = String.format(Locale.ROOT, "%.4g", fraction * 100);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s + "%";
    }
}
