package org.admap.internal.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The cache (or none) gives {@link ShortestDecimal}'s text whatever was cached before, and whatever collides. */
class DoubleTextTest {

    @Property(tries = 2_000)
    void aTinyCacheFullOfCollisionsGivesTheTextOfEveryNumber(@ForAll("repeating") List<Double> xs) {
        for (DoubleText cache : new DoubleText[] {new DoubleText(2), new DoubleText(0)}) {
            byte[] buf = new byte[ShortestDecimal.MAX_LENGTH + 5];
            for (double x : xs) {
                int end = cache.write(x, buf, 5);
                assertThat(new String(buf, 5, end - 5, StandardCharsets.US_ASCII))
                        .isEqualTo(ShortestDecimal.toString(x));
            }
        }
    }

    /** Few distinct numbers, repeated, of every kind: texts of every length, up to the longest. */
    @Provide
    Arbitrary<List<Double>> repeating() {
        return Arbitraries.of(0.0, -0.0, 4.5, 4.625, 0.014999999999999982, -0.9996298352640157, 1.0E-5, Double.NaN,
                Double.NEGATIVE_INFINITY, -2.2250738585072014E-308, Double.MIN_VALUE, 1.7976931348623157E308)
                .list().ofMaxSize(50);
    }

    @Test
    void theSizeIsChecked() {
        assertThatThrownBy(() -> new DoubleText(-1)).hasMessageContaining("2^-1");
        assertThatThrownBy(() -> new DoubleText(21)).hasMessageContaining("2^21");
    }
}
