package org.admap.stats;

/**
 * Mean and population variance of the scores present in an array (NaN entries are
 * absent responses and skipped), computed in two passes as {@code numpy.mean} and
 * {@code numpy.var} are: the variance divides by n, not n - 1, and is never negative.
 * Public so that a distributed map (the Spark module) computes each point with the very
 * same arithmetic as {@link org.admap.map.MapBuilder}, bit for bit.
 *
 * <p>Each measure also reads a range {@code [from, to)} of a larger array, so that the
 * scores of one instruction can be read in place from the columns of a scan; the whole-array
 * forms are that range over the whole array, so both give the same bits.
 */
public final class Moments {

    private Moments() {
    }

    /** The number of scores present (not NaN). */
    public static int count(double[] xs) {
        return count(xs, 0, xs.length);
    }

    /** The number of scores present (not NaN) in {@code xs[from, to)}. */
    public static int count(double[] xs, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(xs[i])) {
                n++;
            }
        }
        return n;
    }

    /** The mean of the scores present, NaN when there is none. */
    public static double mean(double[] xs) {
        return mean(xs, 0, xs.length);
    }

    /** The mean of the scores present in {@code xs[from, to)}, NaN when there is none. */
    public static double mean(double[] xs, int from, int to) {
        double sum = 0;
        int n = 0;
        for (int i = from; i < to; i++) {
            double x = xs[i];
            if (!Double.isNaN(x)) {
                sum += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The population variance of the scores present around {@code mean}, NaN when there is none. */
    public static double variance(double[] xs, double mean) {
        return variance(xs, 0, xs.length, mean);
    }

    /**
     * The population variance of the scores present in {@code xs[from, to)} around
     * {@code mean}, NaN when there is none.
     */
    public static double variance(double[] xs, int from, int to, double mean) {
        double sum = 0;
        int n = 0;
        for (int i = from; i < to; i++) {
            double x = xs[i];
            if (!Double.isNaN(x)) {
                double d = x - mean;
                sum += d * d;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
