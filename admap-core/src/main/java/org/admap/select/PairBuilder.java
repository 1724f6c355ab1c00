package org.admap.select;

import java.util.ArrayList;
import java.util.List;
import org.admap.model.Item;
import org.admap.model.Response;

/**
 * Forms preference pairs from an instruction's responses: the higher-valued response is
 * chosen. Pairs whose values tie are skipped (they state no preference), and so are pairs
 * of identical texts (a pair that differs in nothing teaches nothing). Responses without
 * a value are left out.
 */
public final class PairBuilder {

    /** Whether pairs are ranked by the data's labels or by the map's scores. */
    public enum By {
        LABELS, SCORES
    }

    private final PairMode mode;
    private final By by;

    public PairBuilder(PairMode mode, By by) {
        this.mode = mode;
        this.by = by;
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
            return pairs;
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
