package org.admap.internal.map;

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
 *
 * <p>A byte at a time through a table: eight at a time (SWAR through a VarHandle) is
 * faster once compiled, but map.csv is written once per command, and the JIT's extra
 * work for it cost more than it saved (about 0.1 s of CPU for a million rows).
 */
public final class JsonCsvField {

    /** The bytes copied as they are: printable ASCII but the quote, the backslash and the comma. */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int b = ' '; b < 0x80; b++) {
            PLAIN[b] = b != '"' && b != '\\' && b != ',';
        }
    }

    private JsonCsvField() {
    }

    /**
     * Appends the CSV field of the literal whose opening quote is at {@code src[quote]}, or
     * returns false, having appended nothing, when the literal is one to decode otherwise
     * (see the class comment) or is no complete literal before {@code end}.
     */
    public static boolean append(byte[] src, int quote, int end, Utf8Bytes out) {
        if (quote < 0 || quote >= end || end > src.length || src[quote] != '"') {
            return false;
        }
        int start = out.size();
        int w = start + 1; // room for an opening quote, if the field needs one
        byte[] dst = out.room(w + 16);
        boolean quoted = false; // a CR, LF or quote was written
        int i = quote + 1;
        while (true) {
            if (w + 16 > dst.length) {
                dst = out.room(w + 64);
            }
            // a run of plain bytes, as far as the room allows (keeping eight bytes for what ends it)
            int stop = Math.min(end, i + dst.length - w - 8);
            int b = 0;
            while (i < stop && PLAIN[b = src[i] & 0xFF]) {
                dst[w++] = (byte) b;
                i++;
            }
            if (i >= end) {
                return false;
            }
            if (i == stop) {
                continue; // out of room
            }
            if (b == ',') {
                dst[w++] = (byte) b;
                quoted = true;
                i++;
            } else if (b == '"') {
                break;
            } else if (b == '\\') {
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
            } else if (b < 0x80) {
                return false; // a raw control character
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
        quoted |= length > 0 && ((dst[start + 1] & 0xFF) <= '#' || (dst[w - 1] & 0xFF) <= ' ');
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
