package org.admap.stats;

import java.util.Arrays;

/** The pairs of two long vectors with both values present, packed. */
final class Pairs {

    private Pairs() {
    }

    /** The pairs with both values present; -0.0 becomes 0.0, so that it ties with 0.0. */
    static double[][] present(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("the vectors differ in length: " + x.length + " and " + y.length);
        }
        double[] a = new double[x.length];
        double[] b = new double[y.length];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                a[n] = x[i] + 0.0;
                b[n] = y[i] + 0.0;
                n++;
            }
        }
        return new double[][] {Arrays.copyOf(a, n), Arrays.copyOf(b, n)};
    }
}
