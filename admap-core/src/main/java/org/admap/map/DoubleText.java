package org.admap.map;

/**
 * {@link Double#toString(double)} with a small cache: on JDK 17 the conversion costs
 * hundreds of nanoseconds, and the numbers of a map repeat a lot (ratings are discrete, so
 * means and variances take few distinct values). The text is always exactly
 * {@code Double.toString}'s. Not thread-safe: one per thread.
 */
final class DoubleText {

    private static final int SIZE = 1 << 14;

    private final long[] keys = new long[SIZE];
    private final String[] texts = new String[SIZE];

    String of(double x) {
        long bits = Double.doubleToRawLongBits(x);
        long h = bits * 0x9E3779B97F4A7C15L;
        int slot = (int) (h >>> 50);
        String cached = texts[slot];
        if (cached != null && keys[slot] == bits) {
            return cached;
        }
        String text = Double.toString(x);
        keys[slot] = bits;
        texts[slot] = text;
        return text;
    }
}
