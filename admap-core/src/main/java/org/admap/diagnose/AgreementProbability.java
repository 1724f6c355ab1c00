package org.admap.diagnose;

/**
 * The probability rule of {@code diagnose --max-agree-probability}: how likely it is that an
 * instruction's scores order its responses as its labels do, once the judge's noise is taken
 * into account, rather than whether the point scores happen to.
 *
 * <p>Each score is read as its true value plus Gaussian noise of variance {@code v_i}
 * ({@code se_i^2 + v0}, the variance {@link UncertaintyWeights} weighs by). For two responses
 * a and b whose labels say a is better, the probability that the scores agree is
 * {@code P(s_a > s_b) = Phi((s_a - s_b) / sqrt(v_a + v_b))}. An instruction's agreement
 * probability is the mean of that over every pair of its responses whose labels differ: for a
 * preference pair it is the one probability, for more responses the expected share of the
 * label-ordered pairs that the scores order the same way (an expected rank agreement, mapped
 * to [0, 1]). With no noise (variance 0) it is 1, 1/2 or 0 per pair as the point scores say.
 * Under symmetric noise the margin rule ({@code margin < 0}) is exactly {@code P < 1/2}; the
 * probability rule differs in that a pair whose margin is small against its noise counts as
 * nearly a coin toss, and an instruction with three or more responses is judged by its pairs'
 * probabilities rather than by a correlation of its point scores.
 */
public final class AgreementProbability {

    private AgreementProbability() {
    }

    /**
     * The mean, over the pairs of positions whose labels differ (both labels and both scores
     * present), of the probability that the scores order them as the labels do.
     *
     * @param variances each score's noise variance; null or 0: the point scores alone
     * @return NaN when no pair of responses has different labels
     */
    public static double of(double[] labels, double[] scores, double[] variances) {
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < labels.length; i++) {
            if (Double.isNaN(labels[i]) || Double.isNaN(scores[i])) {
                continue;
            }
            for (int j = i + 1; j < labels.length; j++) {
                if (Double.isNaN(labels[j]) || Double.isNaN(scores[j]) || labels[i] == labels[j]) {
                    continue;
                }
                int better = labels[i] > labels[j] ? i : j;
                int worse = better == i ? j : i;
                double v = variances == null ? 0 : variances[better] + variances[worse];
                sum += prefers(scores[better] - scores[worse], v);
                pairs++;
            }
        }
        return pairs == 0 ? Double.NaN : sum / pairs;
    }

    /** {@code P(d + noise > 0)} for a noise of variance {@code variance} (0: the sign of d). */
    static double prefers(double difference, double variance) {
        if (!(variance > 0) || Double.isInfinite(variance)) {
            return difference > 0 ? 1 : difference < 0 ? 0 : 0.5;
        }
        return normalCdf(difference / Math.sqrt(variance));
    }

    /** The standard normal distribution function, from {@link #erfc}. */
    static double normalCdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /** The complementary error function, relative error below 1.2e-7 (Numerical Recipes' erfcc). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
