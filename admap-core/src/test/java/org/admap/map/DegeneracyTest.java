package org.admap.map;

import static org.assertj.core.api.Assertions.assertThat;

import org.admap.model.Region;
import org.junit.jupiter.api.Test;

class DegeneracyTest {

    @Test
    void pairLabelsAloneGiveEveryInstructionTheSameMeanAndVarianceSoEveryRegionIsTheTieBreak() {
        Degeneracy d = Degeneracy.of(new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25});
        assertThat(d.kind()).isEqualTo(Degeneracy.Kind.CONSTANT);
        assertThat(d.affected()).containsExactlyInAnyOrder(Region.values());
        assertThat(d.message()).contains("same mean and variance (0.5 and 0.25 over 3 instructions)")
                .contains("id tie-break");
    }

    @Test
    void equalMeansWithDifferentVariancesLeaveHighVarToTheData() {
        Degeneracy d = Degeneracy.of(new double[] {2, 2, 2}, new double[] {0, 1, 4});
        assertThat(d.kind()).isEqualTo(Degeneracy.Kind.EQUAL_MEANS);
        assertThat(d.affects(Region.HIGH_AVG)).isTrue();
        assertThat(d.affects(Region.LOW_AVG)).isTrue();
        assertThat(d.affects(Region.HIGH_VAR)).isFalse();
    }

    @Test
    void meansThatDifferOnlyInTheLastBitAreEqualButRealDifferencesAreNot() {
        double a = (0.1 + 0.2) + 0.3;
        double b = 0.1 + (0.2 + 0.3);
        assertThat(a).isNotEqualTo(b);
        assertThat(Degeneracy.of(new double[] {a, b}, new double[] {0, 0}).kind()).isEqualTo(Degeneracy.Kind.CONSTANT);
        assertThat(Degeneracy.of(new double[] {0.6, 0.6000001}, new double[] {0, 0}).degenerate()).isFalse();
    }

    @Test
    void noPointsIsNoMapAndOnePointIsNotDegenerate() {
        assertThat(Degeneracy.of(new double[0], new double[0]).kind()).isEqualTo(Degeneracy.Kind.NO_SCORES);
        assertThat(Degeneracy.of(new double[] {Double.NaN}, new double[] {Double.NaN}).kind())
                .isEqualTo(Degeneracy.Kind.NO_SCORES);
        assertThat(Degeneracy.of(new double[] {3}, new double[] {1}).degenerate()).isFalse();
        assertThat(Degeneracy.of(new double[] {1, 2}, new double[] {1, 1}).message()).isEmpty();
    }

    @Test
    void pointsAfterTwoDifferentMeansAreStillCountedAndThoseWithoutScoresAreNot() {
        // the test stops rounding once two means differ; the points it reports are all of them
        double nan = Double.NaN;
        Degeneracy d = Degeneracy.of(new double[] {nan, 1, 2, 3, nan, 2, 5}, new double[] {0, 1, 1, nan, 1, 1, 0});
        assertThat(d.kind()).isEqualTo(Degeneracy.Kind.NONE);
        assertThat(d.points()).isEqualTo(4);
        assertThat(Degeneracy.of(new double[] {2, 2, 2, 7}, new double[] {1, 1, 1, 1}).degenerate()).isFalse();
    }
}
