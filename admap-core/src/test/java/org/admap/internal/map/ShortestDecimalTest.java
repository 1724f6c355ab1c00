package org.admap.internal.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ShortestDecimal} writes the text of jackson-core's Schubfach
 * ({@code NumberOutput.toString(x, true)}, JDK 19's {@code Double.toString}) for every
 * double, and that text reads back as the same double.
 */
class ShortestDecimalTest {

    @Property(tries = 20_000)
    void anyDoubleIsWrittenAsSchubfachWritesIt(@ForAll double x) {
        assertSameAsSchubfach(x);
    }

    @Property(tries = 20_000)
    void anyBitPatternIsWrittenAsSchubfachWritesIt(@ForAll long bits) {
        assertSameAsSchubfach(Double.longBitsToDouble(bits));
    }

    @Property(tries = 5_000)
    void halvesAndQuartersOfRatings(@ForAll @IntRange(min = -4000, max = 4000) int k) {
        assertSameAsSchubfach(k / 2.0);
        assertSameAsSchubfach(k / 4.0);
        assertSameAsSchubfach(k / 10.0);
        assertSameAsSchubfach(k / 100.0);
    }

    /** Means, variances and deviations of ratings as the map computes them: few digits, or noise in the last ones. */
    @Property(tries = 5_000)
    void momentsOfRatings(@ForAll("ratings") List<Double> ratings) {
        double sum = 0;
        for (double r : ratings) {
            sum += r;
        }
        double mean = sum / ratings.size();
        double squares = 0;
        for (double r : ratings) {
            squares += (r - mean) * (r - mean);
        }
        double variance = squares / ratings.size();
        assertSameAsSchubfach(mean);
        assertSameAsSchubfach(variance);
        assertSameAsSchubfach(Math.sqrt(variance));
        assertSameAsSchubfach(-mean);
    }

    @Provide
    Arbitrary<List<Double>> ratings() {
        Arbitrary<Double> integers = Arbitraries.integers().between(0, 10).map(Integer::doubleValue);
        Arbitrary<Double> tenths = Arbitraries.integers().between(0, 100).map(i -> i / 10.0);
        Arbitrary<Double> hundredths = Arbitraries.integers().between(0, 1000).map(i -> i / 100.0);
        return Arbitraries.oneOf(integers, tenths, hundredths).list().ofMinSize(1).ofMaxSize(9);
    }

    /** Values of up to seven digits before and six after the point: the fast path's domain and its edges. */
    @Property(tries = 20_000)
    void fewFractionDigits(@ForAll("fewDigits") double x) {
        assertSameAsSchubfach(x);
        assertSameAsSchubfach(Math.nextUp(x));
        assertSameAsSchubfach(Math.nextDown(x));
    }

    @Provide
    Arbitrary<Double> fewDigits() {
        return Combinators.combine(Arbitraries.longs().between(0, 10_000_000_000_000L),
                Arbitraries.integers().between(0, 9)).as((m, k) -> m / Math.pow(10, k));
    }

    @Test
    void millionsOfRandomDoublesOfEveryMagnitude() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 2_000_000; i++) {
            double x = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(random.nextLong());
                case 1 -> random.nextDouble();
                case 2 -> Math.rint(random.nextDouble() * 1e7) / Math.pow(10, random.nextInt(9));
                default -> random.nextLong() / Math.pow(10, random.nextInt(40));
            };
            assertSameAsSchubfach(x);
        }
    }

    @Test
    void powersOfTwoAndTenAndTheirNeighbours() {
        for (int e = -1074; e <= 1023; e++) {
            long bits = Double.doubleToRawLongBits(Math.scalb(1.0, e));
            for (long d = -2; d <= 2; d++) {
                assertSameAsSchubfach(Double.longBitsToDouble(bits + d));
            }
        }
        for (int e = -324; e <= 308; e++) {
            long bits = Double.doubleToRawLongBits(Double.parseDouble("1e" + e));
            for (long d = -2; d <= 2; d++) {
                assertSameAsSchubfach(Double.longBitsToDouble(bits + d));
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "0.0; 0.0", "-0.0; -0.0", "NaN; NaN", "Infinity; Infinity", "-Infinity; -Infinity",
        "4.5; 4.5", "-4.5; -4.5", "1; 1.0", "100; 100.0", "9999999; 9999999.0", "1e7; 1.0E7",
        "0.001; 0.001", "0.00099; 9.9E-4", "1.725; 1.725", "0.536875; 0.536875", "123.456; 123.456",
        "0.014999999999999982; 0.014999999999999982", "0.9996298352640157; 0.9996298352640157",
        "4.9E-324; 4.9E-324", "1.7976931348623157E308; 1.7976931348623157E308",
        "2.2250738585072014E-308; 2.2250738585072014E-308", "-2.2250738585072014E-308; -2.2250738585072014E-308",
        "1.0E-5; 1.0E-5", "123456789012; 1.23456789012E11", "0.002; 0.002", "1.0E22; 1.0E22",
        // where JDK 17's Double.toString differs: 1.9999999999999998E23, 9.999999999999999E22,
        // 2.82879384806159008E17 (longer than needed), 1.9400994884341944E25 (not the closest),
        // 1.0E-323 (the spec's two-digit rule)
        "2e23; 2.0E23", "1e23; 1.0E23", "2.82879384806159E17; 2.82879384806159E17",
        "1.9400994884341945E25; 1.9400994884341945E25", "9.9E-324; 9.9E-324"})
    void examples(String value, String text) {
        double x = Double.parseDouble(value);
        assertThat(ShortestDecimal.toString(x)).isEqualTo(text);
        assertSameAsSchubfach(x);
    }

    @Test
    void theFastPathTakesFewDigitValuesOnly() {
        assertThat(ShortestDecimal.fewDigits(4.5)).isEqualTo(4_500_000);
        assertThat(ShortestDecimal.fewDigits(-0.001)).isEqualTo(1_000);
        assertThat(ShortestDecimal.fewDigits(9999999.999999)).isEqualTo(9_999_999_999_999L);
        assertThat(ShortestDecimal.fewDigits(0.014999999999999982)).isEqualTo(-1);
        assertThat(ShortestDecimal.fewDigits(0.0001)).isEqualTo(-1);
        assertThat(ShortestDecimal.fewDigits(1e7)).isEqualTo(-1);
        assertThat(ShortestDecimal.fewDigits(0.1234567)).isEqualTo(-1);
        assertThat(ShortestDecimal.fewDigits(Double.NaN)).isEqualTo(-1);
    }

    @Test
    void theLengthsOfTheLogarithmsAreExactOverTheirRange() {
        for (int q = -1100; q <= 1100; q++) {
            java.math.BigDecimal pow2 = new java.math.BigDecimal(java.math.BigInteger.ONE.shiftLeft(Math.abs(q)));
            if (q < 0) {
                pow2 = java.math.BigDecimal.ONE.divide(pow2);
            }
            assertThat(ShortestDecimal.flog10pow2(q)).as("q %d", q).isEqualTo(floorLog10(pow2));
            assertThat(ShortestDecimal.flog10threeQuartersPow2(q)).as("q %d", q)
                    .isEqualTo(floorLog10(pow2.multiply(new java.math.BigDecimal("0.75"))));
        }
        for (int e = -400; e <= 400; e++) {
            java.math.BigDecimal pow10 = java.math.BigDecimal.ONE.scaleByPowerOfTen(e);
            int r = ShortestDecimal.flog2pow10(e);
            // 2^r <= 10^e < 2^(r+1)
            assertThat(pow2(r).compareTo(pow10)).as("e %d", e).isLessThanOrEqualTo(0);
            assertThat(pow2(r + 1).compareTo(pow10)).as("e %d", e).isGreaterThan(0);
        }
    }

    private static int floorLog10(java.math.BigDecimal x) {
        // precision - scale - 1 is the exponent of the leading digit
        return x.precision() - x.scale() - 1;
    }

    private static java.math.BigDecimal pow2(int r) {
        java.math.BigDecimal p = new java.math.BigDecimal(java.math.BigInteger.ONE.shiftLeft(Math.abs(r)));
        return r >= 0 ? p : java.math.BigDecimal.ONE.divide(p);
    }

    private static void assertSameAsSchubfach(double x) {
        String text = ShortestDecimal.toString(x);
        assertThat(text).as("bits %x", Double.doubleToRawLongBits(x)).isEqualTo(NumberOutput.toString(x, true));
        double back = Double.parseDouble(text);
        assertThat(Double.doubleToLongBits(back)).as(text).isEqualTo(Double.doubleToLongBits(x));
        byte[] padded = new byte[ShortestDecimal.MAX_LENGTH + 3];
        assertThat(ShortestDecimal.write(x, padded, 3) - 3).isEqualTo(text.length());
    }
}
