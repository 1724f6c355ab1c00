package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Score transforms compute what the expression says, for every double. */
class ScoreTransformProperties {

    private static final ScoreTransform X = ScoreTransform.parse("x");
    private static final ScoreTransform TWICE_MINUS_ONCE = ScoreTransform.parse("x * 2 - x");

    /** Every finite double, subnormals and both zeros included, drawn from its bit pattern. */
    @Provide
    Arbitrary<Double> finite() {
        return Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
    }

    /** Finite doubles small enough to double without overflow. */
    @Provide
    Arbitrary<Double> doublable() {
        return finite().filter(d -> Math.abs(d) <= Double.MAX_VALUE / 2);
    }

    @Property
    void xIsTheIdentity(@ForAll double x) {
        assertThat(Double.valueOf(X.apply(x))).isEqualTo(Double.valueOf(x));
    }

    @Property
    void twiceXMinusXIsX(@ForAll("doublable") double x) {
        assertThat(TWICE_MINUS_ONCE.apply(x)).isCloseTo(x, within(0.0));
    }

    @Property
    void numbersWrittenByJavaParseBackExactly(@ForAll("finite") double c, @ForAll double x) {
        // Double.toString writes both plain (12.5) and scientific (1.0E-5) forms.
        assertThat(Double.valueOf(ScoreTransform.parse(Double.toString(c)).apply(x))).isEqualTo(Double.valueOf(c));
    }

    @Property
    void shiftAndScaleComputesAsJavaDoes(@ForAll("finite") double a, @ForAll("finite") double b,
                                        @ForAll("finite") double x) {
        ScoreTransform t = ScoreTransform.parse("(x - " + a + ") / " + b);

        // Boxed: Double.equals holds for NaN (0 / 0) and tells -0.0 from 0.0.
        assertThat(Double.valueOf(t.apply(x))).isEqualTo(Double.valueOf((x - a) / b));
    }

    @Property
    void multiplicationBindsTighterThanAddition(@ForAll("finite") double a, @ForAll("finite") double b,
                                               @ForAll("finite") double x) {
        ScoreTransform t = ScoreTransform.parse(a + " + x * " + b + " - x / 3");

        assertThat(Double.valueOf(t.apply(x))).isEqualTo(Double.valueOf(a + x * b - x / 3));
    }
}
