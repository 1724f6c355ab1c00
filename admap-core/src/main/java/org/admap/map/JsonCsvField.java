package org.admap.map;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Writes the text of a JSON string literal as a CSV field straight from the literal's
 * UTF-8 bytes, without a String: the bytes are exactly those of decoding the literal,
 * printing the text with commons-csv's {@code CSVFormat.RFC4180} as a record's second or
 * later field, and encoding that as UTF-8.
 *
 * <p>commons-csv's rule (1.14, {@code QuoteMode.MINIMAL}, for a field that is not the
 * record's first): an empty text is written as nothing; a text is quoted when its first
 * character is {@code #} or below (controls, space, {@code !}, {@code "}), when it holds a
 * CR, an LF, a quote or a comma, or when its last character is a space or below; quotes
 * inside are doubled. Non-ASCII characters are above all of those, so the decision can be
 * made on UTF-8 bytes.
 *
 * <p>The literal's simple escapes ({@code \" \\ \/ \b \f \n \r \t}) are decoded here; a
 * literal with a {@code \}{@code u} escape, an unknown escape, a raw control character or
 * bytes that are not well-formed UTF-8 is refused, for the caller to decode as it does
 * otherwise (decoders differ on those: replace, or fail).
 */
final class JsonCsvField {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long COMMAS = ONES * ',';
    private static final long SPACES = ONES * ' ';

    private JsonCsvField() {
    }

    /**
     * Appends the CSV field of the literal whose opening quote is at {@code src[quote]}, or
     * returns false, having appended nothing, when the literal is one to decode otherwise
     * (see the class comment) or is no complete literal before {@code end}.
     */
    static boolean append(byte[] src, int quote, int end, Utf8Bytes out) {
        if (quote < 0 || quote >= end || end > src.length || src[quote] != '"') {
            return false;
        }
        int start = out.size();
        int w = start + 1; // room for an opening quote, if the field needs one
        byte[] dst = out.room(w + 16);
        boolean quoted = false; // a CR, LF or quote was written
        long commas = 0;
        int i = quote + 1;
        while (true) {
            if (w + 8 > dst.length) {
                dst = out.room(w + 8);
            }
            if (i + 8 <= end) {
                // eight bytes at a time while none is a quote, backslash, control or non-ASCII
                long v = (long) LONGS.get(src, i);
                long special = zeros(v ^ QUOTES) | zeros(v ^ BACKSLASHES) | ((v - SPACES) & ~v & HIGHS) | (v & HIGHS);
                LONGS.set(dst, w, v);
                if (special == 0) {
                    commas |= zeros(v ^ COMMAS);
                    i += 8;
                    w += 8;
                    continue;
                }
                // the lowest flagged byte is exact (borrows only run upwards from a true match)
                int n = Long.numberOfTrailingZeros(special) >>> 3;
                commas |= zeros(v ^ COMMAS) & ((1L << (n << 3)) - 1);
                i += n;
                w += n;
                if (w + 8 > dst.length) {
                    dst = out.room(w + 8);
                }
            }
            // one character (or escape) at a time, with room for eight bytes
            if (i >= end) {
                return false;
            }
            int b = src[i] & 0xFF;
            if (b == '"') {
                break;
            }
            if (b == '\\') {
                if (i + 1 >= end) {
                    return false;
                }
                switch (src[i + 1]) {
                    case '"' -> {
                        dst[w++] = '"';
                        dst[w++] = '"';
                        quoted = true;
                    }
                    case '\\' -> dst[w++] = '\\';
                    case '/' -> dst[w++] = '/';
                    case 'b' -> dst[w++] = '\b';
                    case 'f' -> dst[w++] = '\f';
                    case 't' -> dst[w++] = '\t';
                    case 'n' -> {
                        dst[w++] = '\n';
                        quoted = true;
                    }
                    case 'r' -> {
                        dst[w++] = '\r';
                        quoted = true;
                    }
                    default -> {
                        return false; // \\u (surrogates, maybe unpaired) or an invalid escape
                    }
                }
                i += 2;
            } else if (b < 0x20) {
                return false;
            } else if (b < 0x80) {
                dst[w++] = (byte) b;
                quoted |= b == ',';
                i++;
            } else {
                int n = utf8Length(src, i, end);
                if (n == 0) {
                    return false;
                }
                for (int k = 0; k < n; k++) {
                    dst[w++] = src[i + k];
                }
                i += n;
            }
        }
        int length = w - start - 1;
        // non-ASCII first or last bytes (lead, continuation) are above '#' and ' ', as their characters are
        quoted |= commas != 0
                || length > 0 && ((dst[start + 1] & 0xFF) <= '#' || (dst[w - 1] & 0xFF) <= ' ');
        if (quoted) {
            dst[start] = '"';
            dst[w++] = '"'; // room: eight bytes were ensured before the closing quote was read
        } else {
            System.arraycopy(dst, start + 1, dst, start, length);
            w--;
        }
        out.size(w);
        return true;
    }

    /** High bit set in each zero byte of {@code v}: exact up to the lowest zero byte, maybe not above it. */
    private static long zeros(long v) {
        return (v - ONES) & ~v & HIGHS;
    }

    /**
     * The length of the well-formed UTF-8 sequence of a non-ASCII character at
     * {@code src[i]} (Unicode's table 3-7: no overlong forms, surrogates or code points
     * above U+10FFFF), or 0 when it is not one.
     */
    static int utf8Length(byte[] src, int i, int end) {
        int b0 = src[i] & 0xFF;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 3;
            if (b0 == 0xE0) {
                lo = 0xA0;
            } else if (b0 == 0xED) {
                hi = 0x9F;
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 4;
            if (b0 == 0xF0) {
                lo = 0x90;
            } else if (b0 == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return 0;
        }
        if (i + n > end) {
            return 0;
        }
        int b1 = src[i + 1] & 0xFF;
        if (b1 < lo || b1 > hi) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            int b = src[i + k] & 0xFF;
            if (b < 0x80 || b > 0xBF) {
                return 0;
            }
        }
        return n;
    }
}
