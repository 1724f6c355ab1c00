package org.admap.compare;

import org.admap.map.Degeneracy;
import org.admap.model.Region;
import org.admap.stats.Kendall;
import org.admap.stats.Pearson;
import org.admap.stats.Spearman;

/**
 * How much two alignment data maps of the same instructions agree: two runs' maps, or the
 * maps one run's score sources would give (judge against reward, say). Instructions are
 * those on both maps; responses those with a score from both sides.
 *
 * @param a                 what the first map is (a run directory and score source)
 * @param b                 what the second map is
 * @param pointsA           instructions on the first map
 * @param pointsB           instructions on the second map
 * @param joined            instructions on both
 * @param meanSpearman      Spearman's rho of the instructions' means (quality)
 * @param meanKendall       Kendall's tau-b of the means
 * @param varianceSpearman  Spearman's rho of the variances (variability)
 * @param varianceKendall   Kendall's tau-b of the variances
 * @param regionChanges     joined instructions whose region differs
 * @param regions           {@code regions[ra][rb]}: joined instructions in region ra on the
 *                          first map and rb on the second, indexed by {@link Region#ordinal()}
 * @param responses         responses scored by both sides
 * @param responsePearson   Pearson's r of those responses' scores
 * @param responseSpearman  Spearman's rho of them
 * @param degenerateA       the {@link Degeneracy} of the first map's joined points: when it is
 *                          degenerate, its regions (and so the overlaps) come from the id tie-break
 * @param degenerateB       the same of the second map
 */
public record MapComparison(String a, String b, long pointsA, long pointsB, long joined, double meanSpearman,
                            double meanKendall, double varianceSpearman, double varianceKendall, long regionChanges,
                            long[][] regions, long responses, double responsePearson, double responseSpearman,
                            Degeneracy degenerateA, Degeneracy degenerateB) {

    /**
     * Compares two maps given their joined points and the joined response scores.
     *
     * @param meanA   per joined instruction, its mean on the first map (parallel arrays)
     * @param scoresA per response, its score from the first side (parallel to scoresB; pairs with
     *                a NaN are left out)
     */
    public static MapComparison of(String a, String b, long pointsA, long pointsB, double[] meanA, double[] meanB,
                                   double[] varianceA, double[] varianceB, Region[] regionA, Region[] regionB,
                                   double[] scoresA, double[] scoresB) {
        int n = meanA.length;
        if (meanB.length != n || varianceA.length != n || varianceB.length != n || regionA.length != n
                || regionB.length != n) {
            throw new IllegalArgumentException("the joined points differ in length");
        }
        long[][] regions = new long[Region.values().length][Region.values().length];
        long changes = 0;
        for (int i = 0; i < n; i++) {
            regions[regionA[i].ordinal()][regionB[i].ordinal()]++;
            if (regionA[i] != regionB[i]) {
                changes++;
            }
        }
        if (scoresA.length != scoresB.length) {
            throw new IllegalArgumentException("the joined response scores differ in length");
        }
        long both = 0;
        for (int i = 0; i < scoresA.length; i++) {
            if (!Double.isNaN(scoresA[i]) && !Double.isNaN(scoresB[i])) {
                both++;
            }
        }
        double[] ma = significant(meanA);
        double[] mb = significant(meanB);
        double[] va = significant(varianceA);
        double[] vb = significant(varianceB);
        return new MapComparison(a, b, pointsA, pointsB, n, Spearman.ofPresent(ma, mb),
                Kendall.ofPresent(ma, mb), Spearman.ofPresent(va, vb),
                Kendall.ofPresent(va, vb), changes, regions, both,
                Pearson.ofPresent(scoresA, scoresB), Spearman.ofPresent(scoresA, scoresB),
                Degeneracy.of(meanA, varianceA), Degeneracy.of(meanB, varianceB));
    }

    /**
     * What a reader must know before trusting the overlaps: for each degenerate side, that its
     * regions come from the id tie-break alone, so the agreement of the regions it affects is
     * an artefact of both maps sorting the same ids, not agreement of the data. Empty when
     * neither side is degenerate.
     */
    public java.util.List<String> warnings() {
        java.util.List<String> list = new java.util.ArrayList<>();
        for (int side = 0; side < 2; side++) {
            Degeneracy d = side == 0 ? degenerateA : degenerateB;
            if (!d.degenerate() || d.kind() == Degeneracy.Kind.NO_SCORES) {
                continue;
            }
            StringBuilder sb = new StringBuilder(side == 0 ? a : b).append(": ").append(d.message());
            for (Region r : Region.values()) {
                double o = overlap(r);
                if (d.affects(r) && !Double.isNaN(o)) {
                    sb.append(String.format(java.util.Locale.ROOT, "; the %s overlap (%.2f) comes from the id"
                            + " tie-break alone", r.cliName(), o));
                }
            }
            list.add(sb.toString());
        }
        return list;
    }

    /**
     * The values rounded to 12 significant digits. The same scores summed in another order
     * (responses listed differently in two files) can give two equal means that differ in the
     * last bit; for a rank measure that is an order where there is a tie. Twelve digits keep
     * every real difference of scores and drop that noise.
     */
    static double[] significant(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (v == 0 || !Double.isFinite(v)) {
                out[i] = v;
                continue;
            }
            int exponent = (int) Math.floor(Math.log10(Math.abs(v)));
            double scale = Math.pow(10, 11 - exponent);
            out[i] = Double.isFinite(v * scale) ? Math.rint(v * scale) / scale : v;
        }
        return out;
    }

    /** Joined instructions in a region on the first map and another on the second. */
    public long count(Region onA, Region onB) {
        return regions[onA.ordinal()][onB.ordinal()];
    }

    /**
     * The overlap of the two selections of one region: instructions in it on both maps over
     * instructions in it on either (Jaccard); NaN when neither map has any there. For
     * {@code high-avg}, how much the third worth training on depends on the scorer.
     */
    public double overlap(Region region) {
        long both = count(region, region);
        long onA = 0;
        long onB = 0;
        for (Region r : Region.values()) {
            onA += count(region, r);
            onB += count(r, region);
        }
        long either = onA + onB - both;
        return either == 0 ? Double.NaN : (double) both / either;
    }
}
