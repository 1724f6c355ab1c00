package org.admap.ingest.group;

/**
 * Turns the comparisons among an instruction's responses into one label per response, by
 * {@link PairLabels}: wins minus losses, or the log-strength of a Bradley-Terry model.
 */
final class ComparisonLabels {

    private static final int MAX_ITERATIONS = 10_000;
    private static final double TOLERANCE = 1e-12;

    private ComparisonLabels() {
    }

    /**
     * The labels of {@code n} responses from their comparisons.
     *
     * @param wins    {@code wins[i][j]}: comparisons i won against j, a tie counting half to each
     * @param counts  {@code counts[i][j]}: comparisons between i and j (symmetric)
     * @return one label per response; NaN for a response in no comparison
     */
    static double[] labels(PairLabels rule, double[][] wins, int[][] counts) {
        int n = wins.length;
        double[] labels = new double[n];
        boolean[] compared = new boolean[n];
        for (int i = 0; i < n; i++) {
            double w = 0;
            double l = 0;
            for (int j = 0; j < n; j++) {
                w += wins[i][j];
                l += wins[j][i];
                compared[i] |= counts[i][j] > 0;
            }
            labels[i] = compared[i] ? w - l : Double.NaN;
        }
        if (rule == PairLabels.WINS) {
            return labels;
        }
        return bradleyTerry(wins, counts, compared);
    }

    /**
     * Hunter's (2004) minorise-maximise iteration for Bradley-Terry strengths, each response
     * also having won one and lost one comparison against a fixed opponent of strength 1: the
     * prior keeps an unbeaten response finite and fixes the scale, so no normalisation is
     * needed and one pair gives its two responses labels of equal size and opposite sign.
     */
    private static double[] bradleyTerry(double[][] wins, int[][] counts, boolean[] compared) {
        int n = wins.length;
        double[] w = new double[n];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = 1;
            w[i] = 1; // the virtual win
            for (int j = 0; j < n; j++) {
                w[i] += wins[i][j];
            }
        }
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double change = 0;
            for (int i = 0; i < n; i++) {
                if (!compared[i]) {
                    continue;
                }
                double denominator = 2 / (p[i] + 1); // the virtual win and loss
                for (int j = 0; j < n; j++) {
                    if (counts[i][j] > 0) {
                        denominator += counts[i][j] / (p[i] + p[j]);
                    }
                }
                double next = w[i] / denominator;
                change = Math.max(change, Math.abs(Math.log(next / p[i])));
                p[i] = next;
            }
            if (change < TOLERANCE) {
                break;
            }
        }
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            // rounded to the iteration's precision, so that symmetric outcomes give exact opposites and zeros
            labels[i] = compared[i] ? Math.round(Math.log(p[i]) * 1e9) / 1e9 : Double.NaN;
        }
        return labels;
    }
}
