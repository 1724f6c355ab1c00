package org.admap.internal.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Selection without sorting: the k-th of longs, the k smallest ints under an order, doubles as longs. */
class SelectionTest {

    @Property(tries = 300)
    void theKthIsWhatASortPutsAtK(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll @IntRange(min = 1,
            max = 50) int distinct,
                                 @ForAll long seed) {
        Random r = new Random(seed);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = r.nextBoolean() ? r.nextInt(distinct) : r.nextLong(); // runs of ties and the whole range
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int k = r.nextInt(n);

        assertThat(Selection.kth(values.clone(), k)).isEqualTo(sorted[k]);
    }

    @Test
    void sortedAndReversedInputsAreNoWorse() {
        // the median-of-three pivots keep these linear; the depth limit bounds any other case
        long[] up = IntStream.range(0, 200_000).asLongStream().toArray();
        long[] down = IntStream.range(0, 200_000).mapToLong(i -> -i).toArray();

        assertThat(Selection.kth(up.clone(), 123_456)).isEqualTo(123_456);
        assertThat(Selection.kth(down.clone(), 0)).isEqualTo(-199_999);
    }

    @Property(tries = 300)
    void theKSmallestAreMovedToTheFront(@ForAll @IntRange(min = 0, max = 3000) int n, @ForAll long seed) {
        Random r = new Random(seed);
        int[] keys = r.ints(n, 0, Math.max(1, n / 3)).toArray(); // ties broken by index below
        Selection.IntOrder order = (a, b) -> keys[a] != keys[b] ? Integer.compare(keys[a], keys[b])
                : Integer.compare(a, b);
        int[] items = IntStream.range(0, n).toArray();
        int k = r.nextInt(n + 1);

        Selection.smallest(items, k, order);

        Integer[] expected = IntStream.range(0, n).boxed().sorted(order::compare).toArray(Integer[]::new);
        assertThat(Arrays.stream(items, 0, k).sorted().toArray())
                .containsExactly(Arrays.stream(expected, 0, k).mapToInt(Integer::intValue).sorted().toArray());
    }

    @Test
    void sortableLongsOrderAsDoubleCompare() {
        double[] values = {Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1.5, -Double.MIN_VALUE, -0.0, 0.0,
            Double.MIN_VALUE, 1e-300, 1, 2.5, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NaN,
            Double.longBitsToDouble(0x7ff0000000000001L), Double.longBitsToDouble(0xfff8000000000001L)};
        for (double a : values) {
            for (double b : values) {
                assertThat(Long.signum(Long.compare(Selection.sortable(a), Selection.sortable(b))))
                        .as("%s vs %s", a, b).isEqualTo(Integer.signum(Double.compare(a, b)));
            }
        }
    }
}
