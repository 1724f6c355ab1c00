package org.admap.report;

import java.util.Arrays;

/**
 * Average ranks of values that take few distinct values (scores and labels on a scale), by
 * counting instead of sorting: each distinct value's rank follows from how many are below it.
 * The ranks are those of sorting and averaging each run of equal values ({@code ==}, so
 * {@code -0.0} and {@code 0.0} are one value).
 */
final class FewValues {

    /** The most distinct values counted; more, and the caller sorts. */
    static final int MAX_DISTINCT = 4096;
    private static final int SLOTS = 2 * MAX_DISTINCT; // a power of two, at most half full

    private FewValues() {
    }

    /**
     * Each value's rank (1-based), ties at their average rank, or null when {@code v} holds
     * more than {@link #MAX_DISTINCT} distinct values. {@code v} holds no NaN.
     */
    static double[] ranks(double[] v) {
        long[] keys = new long[SLOTS];
        boolean[] used = new boolean[SLOTS];
        int[] counts = new int[SLOTS];
        int distinct = 0;
        for (double x : v) {
            int slot = slot(keys, used, bits(x));
            if (!used[slot]) {
                if (distinct == MAX_DISTINCT) {
                    return null;
                }
                used[slot] = true;
                keys[slot] = bits(x);
                distinct++;
            }
            counts[slot]++;
        }
        double[] values = new double[distinct];
        int n = 0;
        for (int slot = 0; slot < SLOTS; slot++) {
            if (used[slot]) {
                values[n++] = Double.longBitsToDouble(keys[slot]);
            }
        }
        Arrays.sort(values);
        double[] average = new double[SLOTS];
        long below = 0;
        for (double x : values) {
            int slot = slot(keys, used, bits(x));
            int count = counts[slot];
            average[slot] = below + 1 + (count - 1) / 2.0; // as sorting: first + 1 + (end - first - 1) / 2
            below += count;
        }
        double[] ranks = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            ranks[i] = average[slot(keys, used, bits(v[i]))];
        }
        return ranks;
    }

    /** The bits of {@code x}, with {@code -0.0} as {@code 0.0}: equal values share a key. */
    private static long bits(double x) {
        return Double.doubleToLongBits(x + 0.0);
    }

    /** The slot holding {@code key}, or the empty slot where it goes. */
    private static int slot(long[] keys, boolean[] used, long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        int slot = (int) (h >>> 51) & (SLOTS - 1);
        while (used[slot] && keys[slot] != key) {
            slot = (slot + 1) & (SLOTS - 1);
        }
        return slot;
    }
}
