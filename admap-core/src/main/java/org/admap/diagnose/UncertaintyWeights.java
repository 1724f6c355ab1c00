package org.admap.diagnose;

import org.admap.stats.Correlation;

/**
 * The confidence-weighted agreement of {@code diagnose --weigh-by-uncertainty}: each
 * response counts by the inverse of its score's noise variance, so that a score the judge
 * was unsure of (a large standard error from {@code --samples} or {@code --logprobs}, or a
 * list of grades) moves the agreement less than a score it repeated exactly.
 *
 * <p>The variance of response i is {@code se_i^2 + v0}, where {@code v0} is the source's
 * pooled noise variance (the mean {@code se^2} over every mapped response with a standard
 * error). The pool is added because a standard error from two or three samples is itself
 * noisy and often exactly 0 (three equal grades), which would give an infinite weight; a
 * response without a standard error gets {@code 2 v0}, the mean. The weight is
 * {@code w_i = 1 / (se_i^2 + v0)}. When the source has no standard error at all
 * ({@code v0} NaN or 0) every weight is 1 and the diagnosis is the plain one.
 *
 * <p>With the weights: cosine {@code sum w l s / sqrt(sum w l^2 sum w s^2)}; Pearson (and
 * pearson-minmax, which is Pearson after a rescaling it does not see) the same around the
 * weighted means; Kendall's tau-b and the rank agreement count each pair of
 * responses with weight {@code w_i w_j}. Equal weights give the plain measure (to rounding);
 * a response whose weight tends to 0 drops out. A preference pair's suspicion is its margin
 * in units of its noise, {@code -margin / sqrt(v_a + v_b)} (a z-score), instead of the
 * margin over the score range. The KL agreement has no weighted form here: it compares two
 * distributions, not two vectors of evidence, and is refused with the option.
 */
public final class UncertaintyWeights {

    private UncertaintyWeights() {
    }

    /** The weight of each response: {@code 1 / (se^2 + v0)}, or all 1 without a usable pool. */
    public static double[] of(double[] standardErrors, double pooledVariance) {
        double[] w = new double[standardErrors.length];
        for (int i = 0; i < w.length; i++) {
            if (!(pooledVariance > 0) || Double.isInfinite(pooledVariance)) {
                w[i] = 1;
            } else {
                double se = standardErrors[i];
                double v = Double.isNaN(se) ? 2 * pooledVariance : se * se + pooledVariance;
                w[i] = 1 / v;
            }
        }
        return w;
    }

    /**
     * The weighted agreement between labels and scores over positions where both are present
     * (and the weight is a positive number); NaN where the plain measure would be, or when the
     * weights leave fewer than two responses.
     */
    public static double agreement(Correlation measure, double[] labels, double[] scores, double[] weights) {
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (!Double.isNaN(labels[i]) && !Double.isNaN(scores[i]) && weights[i] > 0) {
                n++;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double[] a = new double[n];
        double[] b = new double[n];
        double[] w = new double[n];
        int j = 0;
        for (int i = 0; i < labels.length; i++) {
            if (!Double.isNaN(labels[i]) && !Double.isNaN(scores[i]) && weights[i] > 0) {
                a[j] = labels[i];
                b[j] = scores[i];
                w[j] = weights[i];
                j++;
            }
        }
        return switch (measure) {
            case COSINE -> cosine(a, b, w, 0, 0);
            case PEARSON -> constant(a) || constant(b) ? Double.NaN : cosine(a, b, w, mean(a, w), mean(b, w));
            case KENDALL -> kendall(a, b, w);
            case RANK -> rank(a, b, w);
            // min-max normalising changes no Pearson, weighted or not: this is the weighted Pearson
            case PEARSON_MINMAX -> constant(a) || constant(b) ? Double.NaN : cosine(a, b, w, mean(a, w), mean(b, w));
            case KL -> throw new IllegalArgumentException(DiagnoseOptions.NO_WEIGHTED_KL);
        };
    }

    private static double mean(double[] x, double[] w) {
        double s = 0;
        double sw = 0;
        for (int i = 0; i < x.length; i++) {
            s += w[i] * x[i];
            sw += w[i];
        }
        return s / sw;
    }

    private static boolean constant(double[] x) {
        for (double v : x) {
            if (v != x[0]) {
                return false;
            }
        }
        return true;
    }

    private static double cosine(double[] a, double[] b, double[] w, double ca, double cb) {
        double sa = 0;
        double sb = 0;
        for (int i = 0; i < a.length; i++) {
            sa = Math.max(sa, Math.abs(a[i] - ca));
            sb = Math.max(sb, Math.abs(b[i] - cb));
        }
        if (sa == 0 || sb == 0) {
            return Double.NaN;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            double x = (a[i] - ca) / sa;
            double y = (b[i] - cb) / sb;
            dot += w[i] * x * y;
            na += w[i] * x * x;
            nb += w[i] * y * y;
        }
        double d = Math.sqrt(na) * Math.sqrt(nb);
        return d == 0 ? Double.NaN : clamp(dot / d);
    }

    private static double kendall(double[] a, double[] b, double[] w) {
        double concordant = 0;
        double discordant = 0;
        double tiesA = 0;
        double tiesB = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                int oa = a[i] == a[j] ? 0 : a[i] < a[j] ? -1 : 1;
                int ob = b[i] == b[j] ? 0 : b[i] < b[j] ? -1 : 1;
                double pw = w[i] * w[j];
                if (oa == 0 && ob == 0) {
                    continue;
                }
                if (oa == 0) {
                    tiesA += pw;
                } else if (ob == 0) {
                    tiesB += pw;
                } else if (oa == ob) {
                    concordant += pw;
                } else {
                    discordant += pw;
                }
            }
        }
        double d = Math.sqrt((concordant + discordant + tiesA) * (concordant + discordant + tiesB));
        return d == 0 ? Double.NaN : clamp((concordant - discordant) / d);
    }

    private static double rank(double[] labels, double[] scores, double[] w) {
        double counted = 0;
        double net = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int j = i + 1; j < labels.length; j++) {
                int sl = labels[i] == labels[j] ? 0 : labels[i] < labels[j] ? -1 : 1;
                if (sl == 0) {
                    continue;
                }
                int ss = scores[i] == scores[j] ? 0 : scores[i] < scores[j] ? -1 : 1;
                counted += w[i] * w[j];
                net += w[i] * w[j] * sl * ss;
            }
        }
        return counted == 0 ? Double.NaN : net / counted;
    }

    private static double clamp(double v) {
        return Math.max(-1.0, Math.min(1.0, v));
    }
}
