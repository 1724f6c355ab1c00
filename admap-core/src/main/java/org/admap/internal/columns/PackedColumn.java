package org.admap.internal.columns;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A column of version 3 of {@link RunColumns}: its values in blocks of {@link #BLOCK}, each
 * block packed on its own in the fewest bytes its values need, and read in place in O(1) per
 * value (two reads of the block's directory entry, one or two of its data).
 *
 * <p>A block is packed by frame of reference: a base, and each value as its unsigned offset
 * from it in {@code width} bytes, 0 to 8 (0: every value is the base; 8: raw). The values are
 * either the column's own (the base is the block's least value, signed), so that offsets,
 * lengths, keys and codes, which grow slowly or repeat, take 0 to 3 bytes; or, in a column
 * with a dictionary, their indexes in it. A column of doubles has a dictionary when its
 * distinct values (bit patterns: doubles come back bit for bit, NaN and -0.0 included) are
 * few enough to pay for it: scores and labels then take a byte, a map's means and variances
 * two; a column of all-distinct doubles stays raw.
 *
 * <p>Layout, little-endian: the data, that is the dictionary's values (8 bytes each) then the
 * blocks one after the other, then 8 spare zero bytes (so that reading a value as 8 bytes and
 * masking it never runs past the data), padded to a multiple of 8; then the directory: the
 * int64 size of the dictionary (0: none) and an int64 0, then 16 bytes a block: a long
 * {@code a} whose bit 63 says the values are dictionary indexes, bits 56-59 the width and
 * bits 0-55 the offset of the block in the data, and the long base.
 */
final class PackedColumn extends Column {

    /** Values per block: small enough for a local range, large enough that the directory is 1/64 of raw. */
    static final int BLOCK = 1024;
    private static final int BLOCK_SHIFT = 10;
    private static final long DICTIONARY = 1L << 63;
    private static final int SPARE = 8;
    /** The most distinct values a dictionary holds: its indexes then take at most 3 bytes. */
    static final int MAX_DICTIONARY = 1 << 17;
    private static final long[] MASKS = new long[9];

    static {
        for (int w = 1; w < 8; w++) {
            MASKS[w] = (1L << (8 * w)) - 1;
        }
        MASKS[8] = -1L;
    }

    private final ByteBuffer data;
    /**
     * The directory on the heap, three longs a block: {@code a}, the base, and the mask of a
     * value's {@code width} bytes; reading it there rather than from the mapped file halves a
     * value's cost.
     */
    private final long[] blocks;
    /** The dictionary on the heap (at most {@link #MAX_DICTIONARY} values); empty where none. */
    private final long[] dictionary;

    /**
     * A column of {@code count} values over its data and directory, checked that every block's
     * values lie in the data.
     *
     * @throws IOException naming {@code what} when the directory does not fit the data
     */
    PackedColumn(ByteBuffer data, ByteBuffer directory, long count, String what) throws IOException {
        this.data = data.order(ByteOrder.LITTLE_ENDIAN);
        directory.order(ByteOrder.LITTLE_ENDIAN);
        int blockCount = Math.toIntExact(blocks(count));
        if (directory.capacity() != directoryBytes(count)) {
            throw new IOException(what + ": a directory of " + directory.capacity() + " bytes for " + count
                    + " values");
        }
        int size = data.capacity();
        long words = directory.getLong(0);
        if (words < 0 || words > MAX_DICTIONARY || 8 * words + SPARE > size) {
            throw new IOException(what + ": a dictionary of " + words + " values in " + size + " bytes of data");
        }
        dictionary = new long[(int) words];
        for (int i = 0; i < dictionary.length; i++) {
            dictionary[i] = data.getLong(8 * i);
        }
        blocks = new long[3 * blockCount];
        for (int blk = 0; blk < blockCount; blk++) {
            long a = directory.getLong(16 + 16 * blk);
            long b = directory.getLong(16 + 16 * blk + 8);
            int width = (int) (a >>> 56) & 0x0f;
            long offset = a & ((1L << 56) - 1);
            long values = Math.min(BLOCK, count - (long) blk * BLOCK);
            boolean bad = width > 8 || offset + (values - 1) * width + SPARE > size
                    || (a < 0 && (b < 0 || b >= words || width > 3));
            if (bad) {
                throw new IOException(what + ": block " + blk + " lies outside its " + size + " bytes of data");
            }
            blocks[3 * blk] = a;
            blocks[3 * blk + 1] = b;
            blocks[3 * blk + 2] = MASKS[width];
        }
    }

    static long blocks(long count) {
        return (count + BLOCK - 1) >>> BLOCK_SHIFT;
    }

    /** The directory's size for {@code count} values: its head and an entry a block. */
    static long directoryBytes(long count) {
        return 16 + 16 * blocks(count);
    }

    @Override
    long get(int index) {
        int e = (index >>> BLOCK_SHIFT) * 3;
        long a = blocks[e];
        int width = (int) (a >>> 56) & 0x0f;
        // offsets are below 2^31 (checked when written), so the low int of a is the offset
        long v = blocks[e + 1] + (data.getLong((int) a + (index & (BLOCK - 1)) * width) & blocks[e + 2]);
        return a < 0 ? dictionary[(int) v] : v;
    }

    /** A column's values, which its writer reads twice where it may make a dictionary. */
    interface Values {
        void forEach(Writer sink) throws IOException;
    }

    /**
     * Writes a column of {@code values} into {@code out}, with a dictionary where
     * {@code dictionary} asks for one and it makes the column smaller.
     */
    static RunColumns.Section write(RunColumns.Out out, boolean dictionary, Values values) throws IOException {
        Dictionary d = null;
        if (dictionary) {
            Dictionary.Builder b = new Dictionary.Builder();
            values.forEach(new Writer(b));
            d = b.build();
        }
        Writer w = new Writer(out, d);
        values.forEach(w);
        return w.finish();
    }

    /**
     * The distinct values of a column (in order of first sight) and, block by block, each
     * value's index in them, kept from the first pass so that the second does not look every
     * value up again (4 bytes a value while the column is written); null from {@link
     * Builder#build} where there are too many or they would not pay for themselves.
     */
    private static final class Dictionary {
        private final long[] values;
        private final int size;
        /** Per block of {@link #BLOCK} values, their indexes; a block's array is dropped once written. */
        private final int[][] blockIndexes;

        private Dictionary(long[] values, int size, int[][] blockIndexes) {
            this.values = values;
            this.size = size;
            this.blockIndexes = blockIndexes;
        }

        /** A slot for {@code v}: every bit of it mixed in (doubles of one decade differ in their high bits only). */
        private static int slot(long v, int mask) {
            long h = (v ^ (v >>> 33)) * 0xff51afd7ed558ccdL;
            return (int) (h ^ (h >>> 33)) & mask;
        }

        /** The indexes of the values of block {@code b}, once: the writer reads each block once. */
        int[] takeBlock(long b) {
            int[] indexes = blockIndexes[(int) b];
            blockIndexes[(int) b] = null;
            return indexes;
        }

        /** The first pass: the distinct values, and the bytes the column takes with and without them. */
        static final class Builder {
            private long[] values = new long[256];
            private long[] slots = new long[512];
            private int[] slotIndex = new int[512];
            private int size;
            private boolean tooMany;
            private long minValue;
            private long maxValue;
            private int minIndex;
            private int maxIndex;
            private int n;
            private long plainBytes;
            private long indexedBytes;
            /** Each value's index, a block an array (null once there are too many values). */
            private int[][] blockIndexes = new int[16][];
            private int blockCount;

            {
                java.util.Arrays.fill(slotIndex, -1);
            }

            void add(long v) {
                if (n == 0) {
                    minValue = v;
                    maxValue = v;
                } else if (v < minValue) {
                    minValue = v;
                } else if (v > maxValue) {
                    maxValue = v;
                }
                if (!tooMany) {
                    int i = insert(v);
                    record(i);
                    if (n == 0) {
                        minIndex = i;
                        maxIndex = i;
                    } else {
                        minIndex = Math.min(minIndex, i);
                        maxIndex = Math.max(maxIndex, i);
                    }
                }
                if (++n == BLOCK) {
                    endBlock();
                }
            }

            private void record(int i) {
                if (tooMany) {
                    blockIndexes = null;
                    return;
                }
                if (n == 0) {
                    if (blockCount == blockIndexes.length) {
                        blockIndexes = java.util.Arrays.copyOf(blockIndexes, 2 * blockCount);
                    }
                    blockIndexes[blockCount] = new int[BLOCK];
                }
                blockIndexes[blockCount][n] = i;
            }

            private void endBlock() {
                if (n == 0) {
                    return;
                }
                blockCount++;
                int plain = width(maxValue - minValue);
                plainBytes += (long) n * plain;
                indexedBytes += (long) n * Math.min(plain, width(maxIndex - minIndex));
                n = 0;
            }

            private int insert(long v) {
                int mask = slots.length - 1;
                int s = slot(v, mask);
                while (slotIndex[s] >= 0) {
                    if (slots[s] == v) {
                        return slotIndex[s];
                    }
                    s = (s + 1) & mask;
                }
                if (size == MAX_DICTIONARY) {
                    tooMany = true;
                    return 0;
                }
                slots[s] = v;
                slotIndex[s] = size;
                if (size == values.length) {
                    values = java.util.Arrays.copyOf(values, 2 * size);
                }
                values[size++] = v;
                if (2 * size > slots.length) {
                    grow();
                }
                return size - 1;
            }

            private void grow() {
                long[] oldSlots = slots;
                int[] oldIndex = slotIndex;
                slots = new long[2 * oldSlots.length];
                slotIndex = new int[2 * oldSlots.length];
                java.util.Arrays.fill(slotIndex, -1);
                int mask = slots.length - 1;
                for (int i = 0; i < oldSlots.length; i++) {
                    if (oldIndex[i] >= 0) {
                        int s = slot(oldSlots[i], mask);
                        while (slotIndex[s] >= 0) {
                            s = (s + 1) & mask;
                        }
                        slots[s] = oldSlots[i];
                        slotIndex[s] = oldIndex[i];
                    }
                }
            }

            Dictionary build() {
                endBlock();
                if (tooMany || 8L * size + indexedBytes >= plainBytes) {
                    return null;
                }
                return new Dictionary(values, size, blockIndexes);
            }
        }
    }

    /**
     * Packs a column's values, given one at a time, into a {@link RunColumns.Out} as they come:
     * the data block by block, the directory (held until then, 1/64 of the raw size) at
     * {@link #finish}.
     */
    static final class Writer {
        private final RunColumns.Out out;
        private final Dictionary dictionary;
        private final Dictionary.Builder builder;
        private final long start;
        private final long[] block = new long[BLOCK];
        private final long[] indexes = new long[BLOCK];
        /** A block's packed bytes: at most raw, and 8 spare. */
        private final ByteBuffer scratch = ByteBuffer.allocate(8 * BLOCK + 8).order(ByteOrder.LITTLE_ENDIAN);
        private long[] entries = new long[64];
        private int entryCount;
        private int n;
        private long count;

        /** A writer without a dictionary. */
        Writer(RunColumns.Out out) throws IOException {
            this(out, null);
        }

        private Writer(RunColumns.Out out, Dictionary dictionary) throws IOException {
            this.out = out;
            this.dictionary = dictionary;
            this.builder = null;
            this.start = out.position();
            if (dictionary != null) {
                for (int i = 0; i < dictionary.size; i++) {
                    out.int64(dictionary.values[i]);
                }
            }
        }

        /** The first pass's sink, into a dictionary's builder. */
        private Writer(Dictionary.Builder builder) {
            this.out = null;
            this.dictionary = null;
            this.builder = builder;
            this.start = 0;
        }

        void add(long v) throws IOException {
            if (builder != null) {
                builder.add(v);
                return;
            }
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
            long[] v = block;
            long min = minimum(v);
            int width = width(maximum(v) - min);
            long flag = 0;
            if (dictionary != null && width > 1) {
                // the values come in the same order as in the first pass: this block's indexes
                int[] known = dictionary.takeBlock(count >>> BLOCK_SHIFT);
                for (int i = 0; i < n; i++) {
                    indexes[i] = known[i];
                }
                long indexMin = minimum(indexes);
                int indexWidth = width(maximum(indexes) - indexMin);
                if (indexWidth < width) {
                    v = indexes;
                    min = indexMin;
                    width = indexWidth;
                    flag = DICTIONARY;
                }
            }
            long offset = out.position() - start;
            int p = 0;
            for (int i = 0; i < n; i++, p += width) {
                scratch.putLong(p, v[i] - min);
            }
            entry(flag | ((long) width << 56) | offset, min);
            out.bytes(scratch.array(), 0, p);
            count += n;
            n = 0;
            if (out.position() - start > Integer.MAX_VALUE - 64) {
                throw new IOException("a column of more than 2 GB packed: too many rows for one run's columns");
            }
        }

        private long minimum(long[] v) {
            long m = v[0];
            for (int i = 1; i < n; i++) {
                m = Math.min(m, v[i]);
            }
            return m;
        }

        private long maximum(long[] v) {
            long m = v[0];
            for (int i = 1; i < n; i++) {
                m = Math.max(m, v[i]);
            }
            return m;
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
            out.int64(dictionary == null ? 0 : dictionary.size);
            out.int64(0);
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
