package org.admap.diagnose;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.admap.internal.store.RunStore;
import org.admap.stats.Spearman;

/**
 * How much a scorer's scores follow things that are not quality: the response's length,
 * and, for a judge that rated all responses of an instruction in one call
 * ({@code --per-call all}), the position each response was shown in. GPT-4 prefers the
 * longer answer in two verdicts of three and the first-shown in about half again as many
 * as chance (FastChat #3911): a map built on such scores sorts instructions by length or
 * by shuffle as much as by quality.
 *
 * <p>Length is counted in characters (code points) and in tokens, approximated as the words,
 * numbers and punctuation marks of the text (the pattern
 * {@value RunStore#TOKEN_PATTERN}: close to a BPE tokenizer's count on English prose; an
 * estimate of characters / 4 would rank exactly as characters do and say nothing more).
 *
 * @param source    the score source audited
 * @param responses the responses with a score
 * @param chars     Spearman's rho of score and length in characters (NaN with fewer than two)
 * @param tokens    Spearman's rho of score and length in tokens
 * @param position  the position bias, or null when no score of the source records the order it was shown in
 */
public record BiasAudit(String source, long responses, double chars, double tokens, PositionBias position) {

    /**
     * Scores by shown position, over the calls that rated several responses together.
     *
     * @param calls         the calls (one instruction and sample each)
     * @param counts        per shown position (0 = first), the scores seen there
     * @param meanScore     per shown position, the mean score
     * @param meanDeviation per shown position, the mean of (score - the mean of its call's scores)
     * @param varianceShare the share of the within-call variance of the scores that the shown
     *                      position explains (eta squared of the deviations by position): 0 for
     *                      a judge blind to order, 1 for one that scores by position alone
     */
    public record PositionBias(long calls, long[] counts, double[] meanScore, double[] meanDeviation,
                               double varianceShare) {
    }

    /**
     * The bias audit of a diagnosis: the map's scores and each scorer's of the options (the
     * labels are not audited: they are the reference), each source once, in that order.
     */
    public static List<BiasAudit> ofDiagnosis(RunStore store, String source, DiagnoseOptions options) {
        List<String> sources = new ArrayList<>();
        if (!source.equals(RunStore.LABELS)) {
            sources.add(source);
        }
        for (String s : options.scorers()) {
            if (!sources.contains(s)) {
                sources.add(s);
            }
        }
        List<BiasAudit> audits = new ArrayList<>();
        for (String s : sources) {
            audits.add(of(store, s));
        }
        return List.copyOf(audits);
    }

    /** Audits one score source of a run. */
    public static BiasAudit of(RunStore store, String source) {
        List<double[]> lengths = new ArrayList<>();
        store.forEachScoredLength(source, (key, position, chars, tokens, value) ->
                lengths.add(new double[] {chars, tokens, value}));
        double[] c = new double[lengths.size()];
        double[] t = new double[lengths.size()];
        double[] v = new double[lengths.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = lengths.get(i)[0];
            t[i] = lengths.get(i)[1];
            v[i] = lengths.get(i)[2];
        }
        List<Call> calls = new ArrayList<>();
        Map<String, Call> open = new HashMap<>();
        store.forEachShownScore(source, (key, position, sample, order, value) -> {
            Call call = open.computeIfAbsent(key + "/" + sample + "/" + order, k -> {
                Call made = new Call(order);
                calls.add(made);
                return made;
            });
            call.add(position, value);
        });
        return new BiasAudit(source, c.length, spearman(c, v), spearman(t, v), positionBias(calls));
    }

    private static double spearman(double[] x, double[] y) {
        return x.length < 2 ? Double.NaN : Spearman.ofPresent(x, y);
    }

    /** The scores of one call, by shown position. */
    static final class Call {
        final int[] shownAt;
        final List<double[]> scores = new ArrayList<>(); // {shown position, value}

        /** @param order the responses' positions in the order shown ("2,0,3,1") */
        Call(String order) {
            String[] parts = order.split(",");
            int max = 0;
            int[] positions = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                positions[i] = Integer.parseInt(parts[i].trim());
                max = Math.max(max, positions[i]);
            }
            shownAt = new int[max + 1];
            java.util.Arrays.fill(shownAt, -1);
            for (int i = 0; i < positions.length; i++) {
                shownAt[positions[i]] = i;
            }
        }

        void add(int position, double value) {
            if (position < shownAt.length && shownAt[position] >= 0) {
                scores.add(new double[] {shownAt[position], value});
            }
        }
    }

    /** The position bias of calls, or null when there are none with two or more scores. */
    static PositionBias positionBias(List<Call> calls) {
        int width = 0;
        long used = 0;
        for (Call c : calls) {
            if (c.scores.size() >= 2) {
                width = Math.max(width, c.shownAt.length);
                used++;
            }
        }
        if (used == 0) {
            return null;
        }
        long[] counts = new long[width];
        double[] sums = new double[width];
        double[] deviations = new double[width];
        double total = 0;
        for (Call c : calls) {
            if (c.scores.size() < 2) {
                continue;
            }
            double mean = 0;
            for (double[] s : c.scores) {
                mean += s[1];
            }
            mean /= c.scores.size();
            for (double[] s : c.scores) {
                int at = (int) s[0];
                counts[at]++;
                sums[at] += s[1];
                double d = s[1] - mean;
                deviations[at] += d;
                total += d * d;
            }
        }
        double between = 0;
        double[] meanScore = new double[width];
        double[] meanDeviation = new double[width];
        for (int p = 0; p < width; p++) {
            meanScore[p] = counts[p] == 0 ? Double.NaN : sums[p] / counts[p];
            meanDeviation[p] = counts[p] == 0 ? Double.NaN : deviations[p] / counts[p];
            between += counts[p] == 0 ? 0 : counts[p] * meanDeviation[p] * meanDeviation[p];
        }
        return new PositionBias(used, counts, meanScore, meanDeviation, total == 0 ? 0 : between / total);
    }
}
