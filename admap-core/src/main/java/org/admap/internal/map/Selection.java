package org.admap.internal.map;

import java.util.Arrays;

/**
 * Selection in linear expected time, for ranking points without sorting them all: the k-th
 * smallest of an array of longs, and the k smallest of a set of ints under a total order.
 * Both are introselects: quickselect with a median-of-three pivot, which falls back to an
 * O(n log n) sort of what is left when the partitions keep coming out lopsided, so that no
 * input is quadratic. The result never depends on the pivots, only the work does.
 */
public final class Selection {

    /** Below this many elements a range is sorted rather than partitioned. */
    private static final int SMALL = 16;

    private Selection() {
    }

    /** A total order on ints (no two distinct ints compare equal). */
    @FunctionalInterface
    public interface IntOrder {
        int compare(int a, int b);
    }

    /**
     * A long that orders as {@link Double#compare} orders doubles: -0.0 before 0.0, every
     * NaN equal to every other and after positive infinity.
     */
    public static long sortable(double d) {
        long bits = Double.doubleToLongBits(d); // one NaN for all, as Double.compare has it
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    /**
     * The {@code k}-th smallest (from 0) of {@code a}, whose order it scrambles. Partitions
     * three ways, so that a range of equal values (ratings tie massively) ends the search
     * at once instead of being partitioned again and again.
     */
    public static long kth(long[] a, int k) {
        if (k < 0 || k >= a.length) {
            throw new IllegalArgumentException("k = " + k + " is outside 0.." + (a.length - 1));
        }
        int lo = 0;
        int hi = a.length - 1;
        int depth = depthLimit(a.length);
        while (true) {
            if (hi - lo < SMALL || depth-- == 0) {
                Arrays.sort(a, lo, hi + 1);
                return a[k];
            }
            long p = median(a[lo], a[(lo + hi) >>> 1], a[hi]);
            // [lo, lt) < p, [lt, i) == p, (gt, hi] > p
            int lt = lo;
            int i = lo;
            int gt = hi;
            while (i <= gt) {
                long x = a[i];
                if (x < p) {
                    a[i++] = a[lt];
                    a[lt++] = x;
                } else if (x > p) {
                    a[i] = a[gt];
                    a[gt--] = x;
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt - 1;
            } else if (k > gt) {
                lo = gt + 1;
            } else {
                return p;
            }
        }
    }

    /**
     * Moves the {@code k} smallest of {@code a} under {@code order} to {@code a[0, k)}, in no
     * particular order.
     */
    public static void smallest(int[] a, int k, IntOrder order) {
        if (k < 0 || k > a.length) {
            throw new IllegalArgumentException("k = " + k + " is outside 0.." + a.length);
        }
        int lo = 0;
        int hi = a.length - 1;
        int depth = depthLimit(a.length);
        // invariant: a[0, lo) are among the k smallest, a(hi, end) are not
        while (lo < hi && lo < k && k <= hi) {
            if (hi - lo < SMALL || depth-- == 0) {
                heapSort(a, lo, hi + 1, order);
                return;
            }
            int mid = (lo + hi) >>> 1;
            int p = medianOf(a[lo], a[mid], a[hi], order);
            // Hoare partition: the order is total, so the pivot is one element and both sides shrink
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (order.compare(a[i], p) < 0) {
                    i++;
                }
                while (order.compare(a[j], p) > 0) {
                    j--;
                }
                if (i <= j) {
                    int t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            // now a[lo, j] <= p <= a[i, hi], and anything between i and j equals p
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static int depthLimit(int n) {
        return 2 * (32 - Integer.numberOfLeadingZeros(n));
    }

    private static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    private static int medianOf(int a, int b, int c, IntOrder order) {
        if (order.compare(a, b) > 0) {
            int t = a;
            a = b;
            b = t;
        }
        // a <= b
        if (order.compare(b, c) <= 0) {
            return b;
        }
        return order.compare(a, c) >= 0 ? a : c;
    }

    /** Sorts {@code a[from, to)} under {@code order}. */
    private static void heapSort(int[] a, int from, int to, IntOrder order) {
        int n = to - from;
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(a, from, i, n, order);
        }
        for (int end = n - 1; end > 0; end--) {
            int t = a[from];
            a[from] = a[from + end];
            a[from + end] = t;
            siftDown(a, from, 0, end, order);
        }
    }

    private static void siftDown(int[] a, int base, int i, int n, IntOrder order) {
        int x = a[base + i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && order.compare(a[base + child + 1], a[base + child]) > 0) {
                child++;
            }
            if (order.compare(a[base + child], x) <= 0) {
                break;
            }
            a[base + i] = a[base + child];
            i = child;
        }
        a[base + i] = x;
    }
}
