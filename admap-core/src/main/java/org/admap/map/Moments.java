package org.admap.map;

/**
 * Mean and population variance of the scores present in an array (NaN entries are
 * absent responses and skipped), computed in two passes as {@code numpy.mean} and
 * {@code numpy.var} are: the variance divides by n, not n - 1, and is never negative.
 * Public so that a distributed map (the Spark module) computes each point with the very
 * same arithmetic as {@link MapBuilder}, bit for bit.
 */
public final class Moments {

    private Moments() {
    }

    /** The number of scores present (not NaN). */
    public static int count(double[] xs) {
        int n = 0;
        for (double x : xs) {
            if (!Double.isNaN(x)) {
                n++;
            }
        }
        return n;
    }

    /** The mean of the scores present, NaN when there is none. */
    public static double mean(double[] xs) {
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

    /** The population variance of the scores present around {@code mean}, NaN when there is none. */
    public static double variance(double[] xs, double mean) {
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
