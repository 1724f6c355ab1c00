package org.admap.diagnose;

import org.admap.model.ItemScores;
import org.admap.stats.Correlation;

/**
 * What one score source says about one instruction's labels: the numbers behind a
 * misannotation flag, over the responses that have both a label and a score.
 *
 * @param source        the score source
 * @param n             responses with both a label and a score from the source
 * @param correlation   the chosen agreement measure when n is 3 or more; NaN otherwise (over
 *                      two values every measure is degenerate: pairs use the margin)
 * @param rankAgreement the rank agreement ({@link Correlation#RANK}): for a pair +1, -1 or 0
 * @param margin        for a pair whose labels differ: the score of the labelled-better
 *                      response minus the other's (negative when the scores prefer the
 *                      rejected one); NaN otherwise
 * @param confidence    for a pair: the scorer's own confidence in its two scores (their
 *                      mean), where its stored answers give one; NaN otherwise
 * @param marginSd      with {@code --weigh-by-uncertainty}, for a pair: the noise standard
 *                      deviation of its margin, {@code sqrt(v_a + v_b)} ({@link UncertaintyWeights});
 *                      NaN otherwise, and then the suspicion is the plain one
 * @param agreeProbability with {@code --max-agree-probability}: the probability that the scores
 *                      order the responses as the labels do under the judge's noise
 *                      ({@link AgreementProbability}); NaN otherwise
 */
public record Evidence(String source, int n, double correlation, double rankAgreement, double margin,
                       double confidence, double marginSd, double agreeProbability) {

    /** Evidence without the probability rule. */
    public Evidence(String source, int n, double correlation, double rankAgreement, double margin,
                    double confidence, double marginSd) {
        this(source, n, correlation, rankAgreement, margin, confidence, marginSd, Double.NaN);
    }

    /** The evidence of one source's scores (with its confidences, or null) against the labels. */
    static Evidence of(String source, ItemScores s, double[] confidences, Correlation measure) {
        return of(source, s, confidences, measure, null);
    }

    /**
     * The evidence, weighing each response by {@code weights} ({@link UncertaintyWeights#of};
     * null: the plain, unweighted evidence).
     */
    static Evidence of(String source, ItemScores s, double[] confidences, Correlation measure, double[] weights) {
        return of(source, s, confidences, measure, weights, null);
    }

    /**
     * The evidence with, when {@code noiseVariances} is not null, its agreement probability
     * under that noise ({@link AgreementProbability}; an array of zeros: the point scores').
     */
    static Evidence of(String source, ItemScores s, double[] confidences, Correlation measure, double[] weights,
                       double[] noiseVariances) {
        int both = 0;
        int first = -1;
        int second = -1;
        for (int i = 0; i < s.scores().length; i++) {
            if (!Double.isNaN(s.scores()[i]) && !Double.isNaN(s.labels()[i])) {
                both++;
                if (first < 0) {
                    first = i;
                } else if (second < 0) {
                    second = i;
                }
            }
        }
        double correlation = both < 3 ? Double.NaN : weights == null ? measure.of(s.labels(), s.scores())
                : UncertaintyWeights.agreement(measure, s.labels(), s.scores(), weights);
        double rank = both < 2 ? Double.NaN : weights == null ? Correlation.RANK.of(s.labels(), s.scores())
                : UncertaintyWeights.agreement(Correlation.RANK, s.labels(), s.scores(), weights);
        double marginSd = Double.NaN;
        double margin = Double.NaN;
        double confidence = Double.NaN;
        if (both == 2 && s.labels()[first] != s.labels()[second]) {
            int better = s.labels()[first] > s.labels()[second] ? first : second;
            int worse = better == first ? second : first;
            margin = s.scores()[better] - s.scores()[worse];
            if (weights != null) {
                marginSd = Math.sqrt(1 / weights[better] + 1 / weights[worse]);
            }
            if (confidences != null) {
                confidence = (confidences[better] + confidences[worse]) / 2; // NaN unless both have one
            }
        }
        double p = noiseVariances == null || both < 2 ? Double.NaN
                : AgreementProbability.of(s.labels(), s.scores(), noiseVariances);
        return new Evidence(source, both, correlation, rank, margin, confidence, marginSd, p);
    }

    /** Whether the source can say anything about the labels (an agreement or a margin). */
    public boolean defined() {
        return n >= 3 ? !Double.isNaN(correlation) : n == 2 && !Double.isNaN(margin);
    }

    /** Whether the source contradicts the labels: agreement at or below the threshold, or a pair's margin below it. */
    public boolean againstLabels(DiagnoseOptions options) {
        if (options.byAgreeProbability()) {
            return !Double.isNaN(agreeProbability) && agreeProbability <= options.maxAgreeProbability();
        }
        if (n >= 3) {
            return !Double.isNaN(correlation) && correlation <= options.maxCorrelation();
        }
        return n == 2 && !Double.isNaN(margin) && margin < options.minMargin();
    }

    /**
     * How suspicious the labels look to this source, for ranking (higher = more): minus the
     * agreement, or for a pair minus its margin divided by {@code scale} (the source's score
     * range, so that it falls in [-1, 1] like an agreement). NaN without evidence. Weighted by
     * uncertainty, a pair's suspicion is minus its margin over its noise ({@link #marginSd});
     * with the probability rule every instruction's is minus its {@link #agreeProbability}.
     */
    public double suspicion(double scale) {
        if (!Double.isNaN(agreeProbability)) {
            return -agreeProbability;
        }
        if (n >= 3) {
            return -correlation;
        }
        if (n != 2 || Double.isNaN(margin)) {
            return Double.NaN;
        }
        if (marginSd > 0 && !Double.isInfinite(marginSd)) {
            return -margin / marginSd;
        }
        return scale > 0 ? -margin / scale : -rankAgreement;
    }
}
