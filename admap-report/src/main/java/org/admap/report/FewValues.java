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

    /**
     * How often each distinct value occurs ({@link Double#equals}: {@code -0.0} and {@code 0.0}
     * apart, as a {@code TreeMap<Double, ...>} keeps them), up to {@code max} distinct values;
     * one more and it stops counting ({@link #over}). No boxing: a report counts millions.
     */
    static final class Counts {
        private final int max;
        private final int mask;
        private final long[] keys;
        private final boolean[] used;
        private final long[] counts;
        private int distinct;
        private boolean over;

        Counts(int max) {
            this.max = max;
            int slots = Integer.highestOneBit(Math.max(2, 2 * max + 1)) << 1; // at most half full
            this.mask = slots - 1;
            this.keys = new long[slots];
            this.used = new boolean[slots];
            this.counts = new long[slots];
        }

        void add(double v) {
            if (over) {
                return;
            }
            long key = Double.doubleToLongBits(v);
            int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
            while (used[slot] && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            if (!used[slot]) {
                if (distinct == max) {
                    over = true;
                    return;
                }
                used[slot] = true;
                keys[slot] = key;
                distinct++;
            }
            counts[slot]++;
        }

        /** Whether more than {@code max} distinct values came. */
        boolean over() {
            return over;
        }

        /** The distinct values in {@link Double#compare} order. */
        double[] values() {
            double[] values = new double[distinct];
            int n = 0;
            for (int slot = 0; slot < used.length; slot++) {
                if (used[slot]) {
                    values[n++] = Double.longBitsToDouble(keys[slot]);
                }
            }
            Arrays.sort(values); // Double.compare's order, -0.0 before 0.0
            return values;
        }

        /** How often each of {@link #values} came, in its order. */
        long[] counts(double[] values) {
            long[] out = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                long key = Double.doubleToLongBits(values[i]);
                int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
                while (keys[slot] != key) {
                    slot = (slot + 1) & mask;
                }
                out[i] = counts[slot];
            }
            return out;
        }
    }
}
