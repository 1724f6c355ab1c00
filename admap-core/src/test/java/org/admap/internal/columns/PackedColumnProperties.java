package org.admap.internal.columns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A packed column gives back every value it was given, bit for bit, whatever their spread, and
 * packs repeating and slowly growing values in few bytes.
 */
class PackedColumnProperties {

    /** The bytes a column of {@code values} packs to, and the column read from them. */
    private record Packed(byte[] bytes, PackedColumn column) {
    }

    private static Packed pack(long[] values, boolean dictionaries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunColumns.Out out = new RunColumns.Out(bytes);
        RunColumns.Section s = PackedColumn.write(out, dictionaries, w -> w.longs(values, values.length));
        out.flush();
        byte[] b = bytes.toByteArray();
        assertThat(s.count()).isEqualTo(values.length);
        assertThat(s.start()).isZero();
        ByteBuffer all = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer data = all.slice(0, (int) s.length());
        ByteBuffer directory = all.slice((int) s.length(), b.length - (int) s.length());
        return new Packed(b, new PackedColumn(data, directory, values.length, "test"));
    }

    @Property(tries = 300)
    void everyValueComesBack(@ForAll("columns") long[] values, @ForAll boolean dictionaries) throws IOException {
        PackedColumn c = pack(values, dictionaries).column();
        for (int i = 0; i < values.length; i++) {
            assertThat(c.get(i)).as("value %d", i).isEqualTo(values[i]);
        }
    }

    /** Columns of every spread: raw 64-bit, near a base, few distinct, runs, the extremes; across block ends. */
    @Provide
    Arbitrary<long[]> columns() {
        Arbitrary<Integer> sizes = Arbitraries.oneOf(Arbitraries.integers().between(0, 5),
                Arbitraries.of(1023, 1024, 1025, 2048, 3001));
        Arbitrary<Long> seeds = Arbitraries.longs();
        Arbitrary<Integer> kinds = Arbitraries.integers().between(0, 5);
        return net.jqwik.api.Combinators.combine(sizes, seeds, kinds).as((n, seed, kind) -> {
            Random r = new Random(seed);
            long base = r.nextLong();
            long[] distinct = {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, r.nextLong(), r.nextLong(),
                    Double.doubleToRawLongBits(Double.NaN), Double.doubleToRawLongBits(-0.0)};
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = switch (kind) {
                    case 0 -> r.nextLong();
                    case 1 -> base + r.nextInt(1 << (8 * (1 + r.nextInt(3))));
                    case 2 -> distinct[r.nextInt(distinct.length)];
                    case 3 -> i / 300 % 2 == 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
                    case 4 -> Double.doubleToRawLongBits(r.nextInt(300) / 10.0);
                    default -> base;
                };
            }
            return v;
        });
    }

    @Example
    void slowlyGrowingOffsetsTakeTheBytesOfABlocksSpread() throws IOException {
        long[] v = new long[10 * PackedColumn.BLOCK];
        for (int i = 0; i < v.length; i++) {
            v[i] = 5_000_000_000L + 300L * i; // a block spans 307,200: 3 bytes
        }
        Packed p = pack(v, false);
        assertThat(p.bytes().length).isLessThan(3 * v.length + 16 * 10 + 64);
        assertThat(p.bytes().length).isGreaterThanOrEqualTo(3 * v.length);
    }

    @Example
    void aConstantColumnTakesItsDirectoryAlone() throws IOException {
        long[] v = new long[10 * PackedColumn.BLOCK];
        java.util.Arrays.fill(v, -1);
        assertThat(pack(v, false).bytes()).hasSize(8 + 16 + 16 * 10);
    }

    @Example
    void scoresOfFewDistinctValuesTakeAByteEachAndAllDistinctDoublesStayRaw() throws IOException {
        Random r = new Random(7);
        long[] few = new long[4 * PackedColumn.BLOCK];
        long[] distinct = new long[4 * PackedColumn.BLOCK];
        for (int i = 0; i < few.length; i++) {
            few[i] = Double.doubleToRawLongBits(r.nextInt(100) / 10.0 - 3);
            distinct[i] = Double.doubleToRawLongBits(r.nextGaussian());
        }
        assertThat(pack(few, true).bytes().length).isLessThan(few.length + 8 * 100 + 16 + 4 * 16 + 64);
        assertThat(pack(few, false).bytes().length).as("without a dictionary").isGreaterThan(6 * few.length);
        assertThat(pack(distinct, true).bytes().length).isEqualTo(8 * distinct.length + 8 + 16 + 4 * 16);
    }

    @Example
    void doublesRepeatingAcrossBlocksShareOneDictionary() throws IOException {
        // a map's variances: most of a block distinct, but drawn from a few thousand values
        Random r = new Random(3);
        long[] v = new long[40 * PackedColumn.BLOCK];
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.doubleToRawLongBits(r.nextInt(5000) / 997.0);
        }
        assertThat(pack(v, true).bytes().length).isLessThan(2 * v.length + 8 * 5000 + 16 + 40 * 16 + 64);
    }

    @Example
    void aDirectoryPointingOutsideTheDataIsRefused() throws IOException {
        long[] v = new long[2000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        byte[] b = pack(v, false).bytes();
        ByteBuffer all = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int dataLength = b.length - 48;
        all.putLong(dataLength + 32, (2L << 56) | (dataLength + 100)); // block 1's offset past the data
        assertThatThrownBy(() -> new PackedColumn(all.slice(0, dataLength), all.slice(dataLength, 48), v.length,
                "columns.bin section 3")).isInstanceOf(IOException.class)
                .hasMessageContaining("columns.bin section 3").hasMessageContaining("block 1");
    }
}
