package org.admap.stats;

/** Spearman's rho, as scipy.stats.spearmanr: Pearson's r of the mid-ranks. */
public final class Spearman {

    private Spearman() {
    }

    /**
     * Spearman's rho over the pairs of two vectors where both values are present; NaN when
     * fewer than two remain or one side is constant.
     */
    public static double ofPresent(double[] x, double[] y) {
        double[][] p = Pairs.present(x, y);
        int n = p[0].length;
        return n < 2 ? Double.NaN : Pearson.of(Ranks.mid(p[0]), Ranks.mid(p[1]), 0, n);
    }
}
