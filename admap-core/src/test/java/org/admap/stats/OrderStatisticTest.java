package org.admap.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class OrderStatisticTest {

    /** Every rank of values drawn from a few, with signed zeros and NaN: what a sort puts there. */
    @Property(tries = 200)
    void everyRankIsTheSortedArraysValue(@ForAll @IntRange(min = 1, max = 400) int n, @ForAll long seed) {
        Random random = new Random(seed);
        double[] pool = {0.0, -0.0, Double.NaN, 1.5, -3, 0.25, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextInt(3) == 0 ? pool[random.nextInt(pool.length)] : random.nextInt(20) / 4.0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int rank = 0; rank < n; rank++) {
            double v = OrderStatistic.select(values.clone(), rank);
            assertThat(Double.compare(v, sorted[rank])).as("rank %d of %s", rank, Arrays.toString(values))
                    .isZero();
        }
    }

    @Test
    void sortedReversedAndConstantInputsAreSelectedToo() {
        int n = 100_000;
        double[] up = new double[n];
        double[] down = new double[n];
        for (int i = 0; i < n; i++) {
            up[i] = i;
            down[i] = n - i;
        }
        assertThat(OrderStatistic.select(up, 4_999)).isEqualTo(4_999.0);
        assertThat(OrderStatistic.select(down, 4_999)).isEqualTo(5_000.0);
        double[] same = new double[n];
        Arrays.fill(same, 2.5);
        assertThat(OrderStatistic.select(same, n / 2)).isEqualTo(2.5);
    }

    @Test
    void aRankOutsideTheArrayIsRefused() {
        assertThatThrownBy(() -> OrderStatistic.select(new double[3], 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rank 3 outside 0..2");
        assertThatThrownBy(() -> OrderStatistic.select(new double[0], 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
