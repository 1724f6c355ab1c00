package org.admap.map;

/**
 * Mean and population variance of the scores present in an array (NaN entries are
 * absent responses and skipped), computed in two passes as {@code numpy.mean} and
 * {@code numpy.var} are: the variance divides by n, not n - 1, and is never negative.
 */
final class Moments {

    private Moments() {
    }

    static int count(double[] xs) {
        int n = 0;
        for (double x : xs) {
            if (!Double.isNaN(x)) {
                n++;
            }
        }
        return n;
    }

    static double mean(double[] xs) {
        double sum = 0;
        int n = 0;
        for (double x : xs) {
            if (!Double.isNaN(x)) {
                sum += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    static double variance(double[] xs, double mean) {
        double sum = 0;
        int n = 0;
        for (double x : xs) {
            if (!Double.isNaN(x)) {
                double d = x - mean;
                sum += d * d;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
