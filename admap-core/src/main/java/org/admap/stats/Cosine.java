package org.admap.stats;

/**
 * The cosine of two vectors: the paper's label/score agreement (raw, uncentred vectors)
 * and the similarity of two sentence embeddings. Both forms are in [-1, 1] (rounding can
 * push a perfect agreement a hair past 1; it is clamped) and NaN for a zero vector.
 */
public final class Cosine {

    private Cosine() {
    }

    /** The cosine of {@code a[off, off + n)} and {@code b[off, off + n)}; no entry may be NaN. */
    public static double of(double[] a, double[] b, int off, int n) {
        return centred(a, b, off, n, 0, 0);
    }

    /**
     * The cosine of two embeddings, accumulated in double; NaN when one is all zeros or
     * their lengths differ.
     */
    public static double of(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.NaN;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return Double.NaN;
        }
        return clamp(dot / (Math.sqrt(na) * Math.sqrt(nb)));
    }

    /**
     * The cosine of {@code a[off, off + n) - ca} and {@code b[off, off + n) - cb} (the
     * shifts centre the vectors for Pearson without a copy; {@code x - 0.0} is {@code x}).
     */
    static double centred(double[] a, double[] b, int off, int n, double ca, double cb) {
        // Each vector is divided by its largest magnitude first (as scipy.stats.pearsonr
        // does), so that no square overflows or underflows: the cosine does not depend on
        // scale, and is undefined only for a zero vector.
        double sa = 0;
        double sb = 0;
        for (int i = off; i < off + n; i++) {
            sa = maxOfMagnitudes(sa, Math.abs(a[i] - ca));
            sb = maxOfMagnitudes(sb, Math.abs(b[i] - cb));
        }
        if (sa == 0 || sb == 0) {
            return Double.NaN;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = off; i < off + n; i++) {
            double x = (a[i] - ca) / sa;
            double y = (b[i] - cb) / sb;
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return clamp(dot / (Math.sqrt(na) * Math.sqrt(nb)));
    }

    /**
     * {@code Math.max(m, u)} for magnitudes (never -0.0, so there is no signed zero to
     * order) as plain comparisons, several times faster; a NaN wins as in {@code Math.max},
     * the first of two.
     */
    private static double maxOfMagnitudes(double m, double u) {
        return u > m || (u != u && m == m) ? u : m;
    }

    /** Rounding can push a perfect agreement a hair past 1. */
    static double clamp(double v) {
        // Math's, not a comparison: the JIT compiles them without a branch, and a branch
        // almost never taken is compiled as a trap that costs a recompilation when it is.
        return Math.max(-1.0, Math.min(1.0, v));
    }
}
