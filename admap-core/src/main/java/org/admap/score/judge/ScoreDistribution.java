package org.admap.score.judge;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The judge's probability distribution over the rubric's scores at the score token, from
 * the log-probabilities of the tokens that are scores, renormalised over those tokens only
 * (the mass the judge put on tokens that are not scores, such as a quote or a space, says
 * nothing about which score it meant). Its mean is the probability-weighted score
 * (G-Eval's), its standard deviation the judge's own uncertainty about the score.
 *
 * @param probabilities score to probability, summing to 1, in score order
 */
public record ScoreDistribution(SortedMap<Integer, Double> probabilities) {

    public ScoreDistribution {
        if (probabilities.isEmpty()) {
            throw new IllegalArgumentException("a score distribution needs at least one score");
        }
        probabilities = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(probabilities));
    }

    /**
     * Renormalises log-probabilities by score: {@code exp(l - max)} summed per score, divided
     * by the total. Computed relative to the largest log-probability, so that very negative
     * ones (OpenAI writes -9999 for "very unlikely") neither underflow the total to 0 nor
     * matter.
     *
     * @param logprobs per score, the log-probabilities of every token that reads as that score
     * @throws IllegalArgumentException when there are none, or one is NaN or +infinity
     */
    public static ScoreDistribution fromLogprobs(Map<Integer, double[]> logprobs) {
        double max = Double.NEGATIVE_INFINITY;
        for (double[] ls : logprobs.values()) {
            for (double l : ls) {
                if (Double.isNaN(l) || l == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("not a log-probability: " + l);
                }
                max = Math.max(max, l);
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("no score token has a probability above 0");
        }
        SortedMap<Integer, Double> mass = new TreeMap<>();
        double total = 0;
        for (Map.Entry<Integer, double[]> e : logprobs.entrySet()) {
            double m = 0;
            for (double l : e.getValue()) {
                m += Math.exp(l - max);
            }
            if (m > 0) {
                mass.put(e.getKey(), m);
                total += m;
            }
        }
        for (Map.Entry<Integer, Double> e : mass.entrySet()) {
            e.setValue(e.getValue() / total);
        }
        return new ScoreDistribution(mass);
    }

    /** The expected score. */
    public double mean() {
        double m = 0;
        for (Map.Entry<Integer, Double> e : probabilities.entrySet()) {
            m += e.getKey() * e.getValue();
        }
        // Rounding may put a one-point distribution a hair outside its only score.
        return Math.min(probabilities.lastKey(), Math.max(probabilities.firstKey(), m));
    }

    /** The standard deviation of the score. */
    public double spread() {
        double mean = mean();
        double v = 0;
        for (Map.Entry<Integer, Double> e : probabilities.entrySet()) {
            double d = e.getKey() - mean;
            v += d * d * e.getValue();
        }
        return Math.sqrt(Math.max(0, v));
    }
}
