package org.admap.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.admap.model.Item;
import org.admap.model.Response;

/**
 * Forms preference pairs from an instruction's responses: the higher-valued response is
 * chosen. Pairs whose values tie are skipped (they state no preference), and so are pairs
 * of identical texts (a pair that differs in nothing teaches nothing). Responses without
 * a value are left out.
 *
 * <p>With a maximum number of pairs per prompt, the pairs with the largest margins (value of
 * chosen minus value of rejected) are kept, ties in response order, and written in response
 * order: the clearest preferences first, as margin-based selection would.
 */
public final class PairBuilder {

    /** Whether pairs are ranked by the data's labels or by the map's scores. */
    public enum By {
        LABELS, SCORES
    }

    /**
     * One response for an unpaired (KTO) export.
     *
     * @param response  the response
     * @param value     its value (label or score, as the pairs are ranked)
     * @param desirable whether its value is above the mean of its instruction's values
     */
    public record Completion(Response response, double value, boolean desirable) {
    }

    private final PairMode mode;
    private final By by;
    private final int maxPerPrompt;

    public PairBuilder(PairMode mode, By by) {
        this(mode, by, 0);
    }

    /**
     * @param maxPerPrompt the most pairs one instruction gives (the largest margins), or 0 for no limit
     */
    public PairBuilder(PairMode mode, By by, int maxPerPrompt) {
        if (maxPerPrompt < 0) {
            throw new IllegalArgumentException("the maximum number of pairs per prompt must be positive, got "
                    + maxPerPrompt);
        }
        this.mode = mode;
        this.by = by;
        this.maxPerPrompt = maxPerPrompt;
    }

    /** The pairs of one instruction, in response order (all) or the one extreme pair. */
    public List<Pair> pairs(Item item) {
        List<Response> rs = item.responses();
        List<Pair> pairs = new ArrayList<>();
        if (mode == PairMode.ALL) {
            for (int i = 0; i < rs.size(); i++) {
                for (int j = i + 1; j < rs.size(); j++) {
                    Pair p = pair(rs.get(i), rs.get(j));
                    if (p != null) {
                        pairs.add(p);
                    }
                }
            }
            return limit(pairs);
        }
        int best = -1;
        int worst = -1;
        for (int i = 0; i < rs.size(); i++) {
            double v = value(rs.get(i));
            if (Double.isNaN(v)) {
                continue;
            }
            if (best < 0 || v > value(rs.get(best))) {
                best = i;
            }
            if (worst < 0 || v < value(rs.get(worst))) {
                worst = i;
            }
        }
        if (best >= 0 && best != worst) {
            Pair p = pair(rs.get(best), rs.get(worst));
            if (p != null) {
                pairs.add(p);
            }
        }
        return pairs;
    }

    /**
     * The instruction's valued responses for an unpaired (KTO) export: each is desirable when
     * its value is strictly above the mean of the instruction's values, undesirable otherwise.
     * An instruction whose values are all equal states no preference and gives none.
     */
    public List<Completion> completions(Item item) {
        double sum = 0;
        int n = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Response r : item.responses()) {
            double v = value(r);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (n < 2 || min == max) {
            return List.of();
        }
        double mean = sum / n;
        List<Completion> out = new ArrayList<>(n);
        for (Response r : item.responses()) {
            double v = value(r);
            if (!Double.isNaN(v)) {
                out.add(new Completion(r, v, v > mean));
            }
        }
        return out;
    }

    /** The largest-margin pairs up to the limit, kept in their order. */
    private List<Pair> limit(List<Pair> pairs) {
        if (maxPerPrompt == 0 || pairs.size() <= maxPerPrompt) {
            return pairs;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> margin(pairs.get(i))).reversed()
                .thenComparing(i -> i));
        List<Integer> kept = new ArrayList<>(order.subList(0, maxPerPrompt));
        kept.sort(null);
        List<Pair> out = new ArrayList<>(kept.size());
        kept.forEach(i -> out.add(pairs.get(i)));
        return out;
    }

    private static double margin(Pair p) {
        return p.valueChosen() - p.valueRejected();
    }

    private Pair pair(Response a, Response b) {
        double va = value(a);
        double vb = value(b);
        if (Double.isNaN(va) || Double.isNaN(vb) || va == vb || a.text().equals(b.text())) {
            return null;
        }
        return va > vb ? new Pair(a, b, va, vb) : new Pair(b, a, vb, va);
    }

    private double value(Response r) {
        return by == By.LABELS ? r.label() : r.score();
    }
}
