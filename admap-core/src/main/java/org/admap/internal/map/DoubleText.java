package org.admap.internal.map;

/**
 * {@link ShortestDecimal}'s text of doubles, with a cache: the numbers of a map repeat a lot
 * (ratings are discrete, so means, variances and standard deviations take few distinct
 * values), and a hit is a copy of a few bytes where a miss costs some 40 ns.
 * Direct-mapped, the text of a slot in one 32-byte run; no allocation after construction.
 * Not thread-safe: one per thread (and column, so that a column of distinct numbers does
 * not evict another's repeats).
 */
public final class DoubleText {

    /** A slot: the text's length (0 when empty), then the text, {@link ShortestDecimal#MAX_LENGTH} at most. */
    private static final int SLOT = 32;

    private final int shift;
    private final long[] keys;
    private final byte[] slots;

    /** A cache of 2<sup>{@code bits}</sup> numbers' texts, or none for 0 bits (for numbers that rarely repeat). */
    public DoubleText(int bits) {
        if (bits < 0 || bits > 20) {
            throw new IllegalArgumentException("a cache of 2^" + bits + " numbers: 2^0 (none) to 2^20 expected");
        }
        shift = 64 - bits;
        keys = bits == 0 ? null : new long[1 << bits];
        slots = bits == 0 ? null : new byte[SLOT << bits];
    }

    /**
     * Writes the text of {@code x} at {@code dst[at]} (room for {@link ShortestDecimal#MAX_LENGTH}
     * bytes needed); returns the end.
     */
    public int write(double x, byte[] dst, int at) {
        if (keys == null) {
            return ShortestDecimal.write(x, dst, at);
        }
        long bits = Double.doubleToRawLongBits(x);
        int slot = (int) ((bits * 0x9E3779B97F4A7C15L) >>> shift);
        int base = slot * SLOT;
        int n = slots[base];
        if (n != 0 && keys[slot] == bits) {
            System.arraycopy(slots, base + 1, dst, at, n);
            return at + n;
        }
        int end = ShortestDecimal.write(x, dst, at);
        n = end - at;
        keys[slot] = bits;
        slots[base] = (byte) n;
        System.arraycopy(dst, at, slots, base + 1, n);
        return end;
    }
}
