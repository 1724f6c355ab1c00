package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FewValuesTest {

    /** Ranks by sorting: each run of equal values at its average rank (what the report did before). */
    private static double[] sorted(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        double[] ranks = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int first = 0;
            while (s[first] < v[i]) {
                first++;
            }
            int end = first;
            while (end < s.length && s[end] == s[first]) {
                end++;
            }
            ranks[i] = first + 1 + (end - first - 1) / 2.0;
        }
        return ranks;
    }

    @Test
    void fewDistinctValuesRankAsSortingRanksThem() {
        Random random = new Random(3);
        double[] scale = {-0.0, 0.0, 1, 2.5, -3, 1e300, -1e-300, Double.MAX_VALUE, Double.NEGATIVE_INFINITY, 7};
        for (int round = 0; round < 50; round++) {
            double[] v = new double[1 + random.nextInt(400)];
            for (int i = 0; i < v.length; i++) {
                v[i] = round % 2 == 0 ? scale[random.nextInt(scale.length)] : random.nextInt(1 + round) / 10.0;
            }
            assertThat(FewValues.ranks(v)).as("round " + round).containsExactly(sorted(v));
        }
        assertThat(FewValues.ranks(new double[0])).isEmpty();
    }

    @Test
    void tooManyDistinctValuesAreLeftToTheSort() {
        double[] v = new double[FewValues.MAX_DISTINCT + 1];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.5;
        }
        assertThat(FewValues.ranks(v)).isNull();
        assertThat(FewValues.ranks(Arrays.copyOf(v, FewValues.MAX_DISTINCT))).containsExactly(
                sorted(Arrays.copyOf(v, FewValues.MAX_DISTINCT)));
    }
}
