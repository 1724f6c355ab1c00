package org.admap.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The paper's comb variability: population variance of the pairwise cosines of the responses' vectors. */
class CombVariabilityTest {

    @Test
    void isThePopulationVarianceOverEveryPairWorkedByHand() {
        // cos(a,b) = 0, cos(a,c) = cos(b,c) = 1/sqrt 2; mean sqrt2/3; np.var = 1/9 (the sample variance would be 1/6).
        List<float[]> v = List.of(new float[] {1, 0}, new float[] {0, 1}, new float[] {1, 1});
        assertThat(CombVariability.of(v)).isCloseTo(1.0 / 9, within(1e-12));
    }

    @Test
    void twoResponsesHaveOnePairAndNoVarianceOneHasNone() {
        assertThat(CombVariability.of(List.of(new float[] {1, 0}, new float[] {1, 2}))).isZero();
        assertThat(CombVariability.of(List.of(new float[] {1, 0}))).isNaN();
    }

    @Test
    void fourResponsesUseAllSixPairs() {
        // a=(1,0), b=(-1,0), c=(0,1), d=(0,-1): cosines ab=-1, cd=-1, the other four 0; mean -1/3, var 2/9.
        List<float[]> v = List.of(new float[] {1, 0}, new float[] {-1, 0}, new float[] {0, 1}, new float[] {0, -1});
        assertThat(CombVariability.of(v)).isCloseTo(2.0 / 9, within(1e-12));
    }

    @Property(tries = 200)
    void doesNotDependOnTheVectorsLengthsAndLiesInZeroToOne(
            @ForAll @Size(min = 6, max = 18) List<@FloatRange(min = 0.1f, max = 5f) Float> xs,
            @ForAll @FloatRange(min = 0.5f, max = 4f) float scale) {
        int n = xs.size() / 3;
        List<float[]> v = new ArrayList<>();
        List<float[]> scaled = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] a = {xs.get(3 * i), xs.get(3 * i + 1) - 2.5f, xs.get(3 * i + 2) - 1f};
            v.add(a);
            scaled.add(new float[] {a[0] * scale, a[1] * scale, a[2] * scale});
        }
        double c = CombVariability.of(v);
        assertThat(c).isBetween(0.0, 1.0);
        assertThat(CombVariability.of(scaled)).isCloseTo(c, within(1e-6));
    }
}
