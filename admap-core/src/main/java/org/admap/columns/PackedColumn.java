package org.admap.columns;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A column of version 3 of {@link RunColumns}: its values in blocks of {@link #BLOCK}, each
 * block packed on its own in the fewest bytes its values need, and read in place in O(1) per
 * value (two reads of the block's directory entry, one or two of its data).
 *
 * <p>A block is packed one of two ways, whichever is smaller:
 * <ul>
 *   <li><b>frame of reference</b>: the block's least value (signed) as its base, and each value
 *       as its unsigned offset from it in {@code width} bytes, 0 to 8 (0: every value is the
 *       base; 8: the block is raw). Offsets, lengths, keys and indexes, which grow slowly or
 *       repeat, take 0 to 3 bytes.</li>
 *   <li><b>dictionary</b>: the block's distinct values (bit patterns, so doubles come back bit
 *       for bit, NaN and -0.0 included) as 8 bytes each, in order of first sight, and each
 *       value as its index there in 0 to 2 bytes. Scores and labels, which take few distinct
 *       values, take one byte; a block of all-distinct doubles stays raw (8 bytes).</li>
 * </ul>
 *
 * <p>Layout, little-endian: the data, the blocks one after the other, then 8 spare zero bytes
 * (so that reading a value as 8 bytes and masking it never runs past the data), padded to a
 * multiple of 8; then the directory, 16 bytes a block: a long {@code a} whose bit 63 says
 * dictionary, bits 56-59 the width and bits 0-55 the offset in the data of the block's packed
 * values, and a long {@code b}: the base, or for a dictionary block the offset of its
 * dictionary in the data.
 */
final class PackedColumn extends Column {

    /** Values per block: small enough for a local range, large enough that the directory is 1/64 of raw. */
    static final int BLOCK = 1024;
    private static final int BLOCK_SHIFT = 10;
    private static final long DICTIONARY = 1L << 63;
    private static final int SPARE = 8;
    private static final long[] MASKS = new long[9];

    static {
        for (int w = 1; w < 8; w++) {
            MASKS[w] = (1L << (8 * w)) - 1;
        }
        MASKS[8] = -1L;
    }

    private final ByteBuffer data;
    private final ByteBuffer directory;

    /**
     * A column of {@code count} values over its data and directory, checked that every block's
     * values lie in the data.
     *
     * @throws IOException naming {@code what} when the directory does not fit the data
     */
    PackedColumn(ByteBuffer data, ByteBuffer directory, long count, String what) throws IOException {
        this.data = data.order(ByteOrder.LITTLE_ENDIAN);
        this.directory = directory.order(ByteOrder.LITTLE_ENDIAN);
        long blocks = blocks(count);
        if (directory.capacity() != 16 * blocks) {
            throw new IOException(what + ": a directory of " + directory.capacity() + " bytes for " + count
                    + " values");
        }
        int size = data.capacity();
        for (int blk = 0; blk < blocks; blk++) {
            long a = directory.getLong(16 * blk);
            long b = directory.getLong(16 * blk + 8);
            int width = (int) (a >>> 56) & 0x0f;
            long offset = a & ((1L << 56) - 1);
            long values = Math.min(BLOCK, count - (long) blk * BLOCK);
            boolean bad = width > 8 || offset + (values - 1) * width + SPARE > size
                    || (a < 0 && (width > 2 || b < 0 || b + 8 > size));
            if (bad) {
                throw new IOException(what + ": block " + blk + " lies outside its " + size + " bytes of data");
            }
        }
    }

    static long blocks(long count) {
        return (count + BLOCK - 1) >>> BLOCK_SHIFT;
    }

    @Override
    long get(int index) {
        int e = (index >>> BLOCK_SHIFT) << 4;
        long a = directory.getLong(e);
        long b = directory.getLong(e + 8);
        int width = (int) (a >>> 56) & 0x0f;
        // offsets are below 2^31 (checked when written), so the low int of a is the offset
        long v = data.getLong((int) a + (index & (BLOCK - 1)) * width) & MASKS[width];
        return a < 0 ? data.getLong((int) b + 8 * (int) v) : b + v;
    }

    /**
     * Packs a column's values, given one at a time, into a {@link RunColumns.Out} as they come:
     * the data block by block, the directory (held until then, 1/64 of the raw size) at
     * {@link #finish}.
     */
    static final class Writer {
        private final RunColumns.Out out;
        private final boolean dictionaries;
        private final long start;
        private final long[] block = new long[BLOCK];
        private final long[] slots = new long[2 * BLOCK];
        private final int[] slotIndex = new int[2 * BLOCK];
        private final long[] distinct = new long[BLOCK];
        private final int[] indexes = new int[BLOCK];
        /** A block's packed bytes: at most raw, or a dictionary of every value and their indexes, and 8 spare. */
        private final ByteBuffer scratch = ByteBuffer.allocate(8 * BLOCK + 8 * BLOCK + 8)
                .order(ByteOrder.LITTLE_ENDIAN);
        private long[] entries = new long[64];
        private int entryCount;
        private int n;
        private long count;

        /**
         * @param dictionaries whether to try a dictionary on each block (for doubles and
         *                     repeating codes; offsets and hashes gain nothing from one)
         */
        Writer(RunColumns.Out out, boolean dictionaries) {
            this.out = out;
            this.dictionaries = dictionaries;
            this.start = out.position();
        }

        void add(long v) throws IOException {
            block[n++] = v;
            if (n == BLOCK) {
                flush();
            }
        }

        void doubles(double[] a, int count) throws IOException {
            for (int i = 0; i < count; i++) {
                add(Double.doubleToRawLongBits(a[i]));
            }
        }

        void longs(long[] a, int count) throws IOException {
            for (int i = 0; i < count; i++) {
                add(a[i]);
            }
        }

        void ints(int[] a, int count) throws IOException {
            for (int i = 0; i < count; i++) {
                add(a[i]);
            }
        }

        private void flush() throws IOException {
            if (n == 0) {
                return;
            }
            long min = block[0];
            long max = block[0];
            for (int i = 1; i < n; i++) {
                long v = block[i];
                if (v < min) {
                    min = v;
                } else if (v > max) {
                    max = v;
                }
            }
            int width = width(max - min);
            long offset = out.position() - start;
            int k = dictionaries && width > 1 ? distinct() : -1;
            int indexWidth = k <= 1 ? 0 : k <= 256 ? 1 : 2;
            scratch.clear();
            if (k > 0 && 8L * k + (long) indexWidth * n < (long) width * n) {
                for (int j = 0; j < k; j++) {
                    scratch.putLong(8 * j, distinct[j]);
                }
                int p = 8 * k;
                for (int i = 0; i < n; i++, p += indexWidth) {
                    scratch.putLong(p, indexes[i]);
                }
                entry(DICTIONARY | ((long) indexWidth << 56) | (offset + 8L * k), offset);
                out.bytes(scratch.array(), 0, p);
            } else {
                int p = 0;
                for (int i = 0; i < n; i++, p += width) {
                    scratch.putLong(p, block[i] - min);
                }
                entry(((long) width << 56) | offset, min);
                out.bytes(scratch.array(), 0, p);
            }
            count += n;
            n = 0;
            if (out.position() - start > Integer.MAX_VALUE - 64) {
                throw new IOException("a column of more than 2 GB packed: too many rows for one run's columns");
            }
        }

        /** The block's distinct values into {@link #distinct}, each value's index into {@link #indexes}; how many. */
        private int distinct() {
            java.util.Arrays.fill(slotIndex, -1);
            int mask = slots.length - 1;
            int k = 0;
            for (int i = 0; i < n; i++) {
                long v = block[i];
                int s = (int) ((v * 0x9E3779B97F4A7C15L) >>> 53) & mask;
                while (slotIndex[s] >= 0 && slots[s] != v) {
                    s = (s + 1) & mask;
                }
                if (slotIndex[s] < 0) {
                    slots[s] = v;
                    slotIndex[s] = k;
                    distinct[k++] = v;
                }
                indexes[i] = slotIndex[s];
            }
            return k;
        }

        private void entry(long a, long b) {
            if (entryCount + 2 > entries.length) {
                entries = java.util.Arrays.copyOf(entries, 2 * entries.length);
            }
            entries[entryCount++] = a;
            entries[entryCount++] = b;
        }

        /**
         * Writes the last block, the spare bytes and the directory.
         *
         * @return the column's place: where it starts, its data's length and its count of values
         */
        RunColumns.Section finish() throws IOException {
            flush();
            for (int i = 0; i < SPARE; i++) {
                out.int8(0);
            }
            out.pad();
            long dataLength = out.position() - start;
            for (int i = 0; i < entryCount; i++) {
                out.int64(entries[i]);
            }
            return new RunColumns.Section(start, dataLength, count);
        }
    }

    /** The bytes an unsigned offset of up to {@code range} needs. */
    private static int width(long range) {
        return (64 - Long.numberOfLeadingZeros(range) + 7) >>> 3;
    }
}
