package org.admap.select;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whether a text, as its one-byte-per-char ISO-8859-1 bytes, is printable ASCII with nothing
 * JSON escapes, so the export can copy those bytes as they are instead of having Jackson
 * escape it char by char. Eight bytes are tested at once (a response is a few hundred bytes,
 * an export writes hundreds of megabytes of them: the byte-at-a-time test was a sixth of
 * {@code select}'s time); a word that may hold a byte to look at is looked at byte by byte,
 * so the answer is exactly the byte-by-byte one.
 */
final class PlainAscii {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;

    private PlainAscii() {
    }

    /**
     * Whether {@code bytes}, {@code text}'s ISO-8859-1 encoding, need no escape: no control
     * character, quote, backslash or DEL, nothing above 0x7f, and no {@code '?'} standing for
     * a char the encoding could not hold.
     */
    static boolean test(byte[] bytes, String text) {
        int i = 0;
        for (; i + 8 <= bytes.length; i += 8) {
            long x = (long) LONGS.get(bytes, i);
            if (mayNeedLook(x)) {
                if (!bytewise(bytes, text, i, i + 8)) {
                    return false;
                }
            }
        }
        return bytewise(bytes, text, i, bytes.length);
    }

    /**
     * Whether the word may hold a byte below 0x20 or above 0x7e, a quote, a backslash or a
     * {@code '?'}: never false when it does (a true may be a false alarm, which the byte test settles).
     */
    static boolean mayNeedLook(long x) {
        long below = (x - 0x20 * ONES) & ~x; // a byte below 0x20 (or a borrow from one) sets its high bit
        return ((below | x | zero(x ^ '"' * ONES) | zero(x ^ '\\' * ONES) | zero(x ^ '?' * ONES)
                | zero(x ^ 0x7f * ONES)) & HIGH) != 0;
    }

    /** High bits set where a byte may be zero. */
    private static long zero(long v) {
        return (v - ONES) & ~v;
    }

    private static boolean bytewise(byte[] bytes, String text, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            // negative: a char from 0x80 to 0xff; '?' may stand for a char above 0xff
            if (b < 0x20 || b == '"' || b == '\\' || b == 0x7f || b == '?' && text.charAt(i) != '?') {
                return false;
            }
        }
        return true;
    }
}
