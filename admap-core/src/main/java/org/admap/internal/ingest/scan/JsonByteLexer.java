package org.admap.internal.ingest.scan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.admap.model.Response;

/**
 * The tokens of one JSON line, read from its UTF-8 bytes without decoding them: strings
 * (skipped eight bytes at a time, SWAR, looking only at quotes, backslashes, control
 * characters and non-ASCII bytes), member names, literals, numbers (a plain decimal is
 * converted without text), spaces and whole values of fields nobody reads.
 *
 * <p>It knows JSON's grammar and nothing of the rows' layout, which is {@link PlainRowScanner}'s.
 * Every method takes the index of a token's first byte and returns the index just after it;
 * what is not in the accepted subset throws {@link NotPlain}. Indices never pass the end of
 * the line set by {@link #line}; {@link #at} reads 0 there, a byte no token starts with.
 *
 * <p>A final class with small methods the JIT inlines into the grammar: no allocation, no
 * virtual call per byte. Not thread-safe: one per scanner.
 */
final class JsonByteLexer {

    /** The deepest nesting {@link #value} skips; deeper is left to the general parser. */
    static final int MAX_DEPTH = 64;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;

    /** Exact powers of ten: m / 10^k is correctly rounded while both are exact doubles. */
    private static final double[] POWERS = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /** Whether line ends are spaces between tokens (rows of a JSON array), or end the row (JSON lines). */
    private final boolean lineEndsAreSpace;
    private byte[] buf;
    private int end;
    private double number;
    private int nameStart;
    private int nameEnd;

    /** A lexer of JSON lines: a line end inside a row is left to the general parser. */
    JsonByteLexer() {
        this(false);
    }

    /** @param lineEndsAreSpace whether line feeds and carriage returns are spaces between tokens (JSON arrays) */
    JsonByteLexer(boolean lineEndsAreSpace) {
        this.lineEndsAreSpace = lineEndsAreSpace;
    }

    /** Reads the bytes {@code buf[.., end)} from now on; {@code end} is the end of the lines. */
    void line(byte[] buf, int end) {
        this.buf = buf;
        this.end = end;
    }

    /** The value of the number last read by {@link #number(int)}: {@link Response#ABSENT} for null. */
    double number() {
        return number;
    }

    /**
     * A score or label: null (absent) or a number. A plain decimal of at most 15 digits
     * without exponent is m / 10^k, correctly rounded because m and 10^k are exact doubles;
     * any other number of JSON's grammar goes through {@link Double#parseDouble}, also
     * correctly rounded: both give the double Jackson's parser gives. Its value is then {@link #number()}.
     */
    int number(int i) throws NotPlain {
        if (at(i) == 'n') {
            number = Response.ABSENT;
            return nullLiteral(i);
        }
        boolean negative = at(i) == '-';
        int j = negative ? i + 1 : i;
        long m = 0;
        int digits = 0;
        byte b = at(j);
        if (b == '0') {
            j++;
        } else if (b >= '1' && b <= '9') {
            while (j < end && (b = buf[j]) >= '0' && b <= '9') {
                m = m * 10 + (b - '0');
                digits++;
                j++;
            }
        } else {
            throw NotPlain.INSTANCE;
        }
        boolean integer = digits > 0 || at(j) != '.';
        int fraction = 0;
        if (j < end && buf[j] == '.') {
            integer = false;
            j++;
            while (j < end && (b = buf[j]) >= '0' && b <= '9') {
                m = m * 10 + (b - '0');
                fraction++;
                j++;
            }
            if (fraction == 0) {
                throw NotPlain.INSTANCE;
            }
            // leading zeros of "0.0…" do not count towards the 15 digits
            digits = digits == 0 ? fraction : digits + fraction;
        }
        if (digits <= 15 && delimiter(j)) {
            if (negative && m == 0 && fraction == 0) {
                throw NotPlain.INSTANCE; // "-0", an integer token: left to Jackson
            }
            double v = fraction == 0 ? (double) m : m / POWERS[fraction];
            number = negative ? -v : v;
            return j;
        }
        // long digits or an exponent
        int k = anyNumber(i);
        boolean exponent = false;
        for (int x = j; x < k; x++) {
            exponent |= buf[x] == 'e' || buf[x] == 'E';
        }
        if (integer && !exponent && (digits > 18 || (negative && m == 0))) {
            throw NotPlain.INSTANCE; // a big integer, or "-0": left to Jackson
        }
        double v = Double.parseDouble(new String(buf, i, k - i, StandardCharsets.ISO_8859_1));
        if (Double.isInfinite(v) || Math.abs(v) > 1e150) {
            throw NotPlain.INSTANCE; // refused by Jackson's path with its message (a square that overflows too)
        }
        number = v;
        return k;
    }

    /** The byte at {@code i}, or 0 (never valid where a token is expected) past the end of the lines. */
    byte at(int i) {
        return i < end ? buf[i] : 0;
    }

    /** Whether a number may end at {@code j}: JSON needs a delimiter after it. */
    boolean delimiter(int j) {
        if (j >= end) {
            return true;
        }
        byte b = buf[j];
        return b == ',' || b == '}' || b == ']' || b == ' ' || b == '\t' || b == '\n'
                || b == '\r' && lineEndsAreSpace;
    }

    /** Skips any value of a field the layout does not use; returns the index after it. */
    int value(int i, int depth) throws NotPlain {
        if (depth > MAX_DEPTH) {
            throw NotPlain.INSTANCE;
        }
        byte b = at(i);
        switch (b) {
            case '"':
                return string(i);
            case '{': {
                i = space(i + 1);
                if (at(i) == '}') {
                    return i + 1;
                }
                while (true) {
                    if (at(i) != '"') {
                        throw NotPlain.INSTANCE;
                    }
                    i = space(string(i));
                    if (at(i) != ':') {
                        throw NotPlain.INSTANCE;
                    }
                    i = space(value(space(i + 1), depth + 1));
                    if (at(i) == ',') {
                        i = space(i + 1);
                    } else if (at(i) == '}') {
                        return i + 1;
                    } else {
                        throw NotPlain.INSTANCE;
                    }
                }
            }
            case '[': {
                i = space(i + 1);
                if (at(i) == ']') {
                    return i + 1;
                }
                while (true) {
                    i = space(value(i, depth + 1));
                    if (at(i) == ',') {
                        i = space(i + 1);
                    } else if (at(i) == ']') {
                        return i + 1;
                    } else {
                        throw NotPlain.INSTANCE;
                    }
                }
            }
            case 'n':
                return nullLiteral(i);
            case 't':
                return literal(i, "true");
            case 'f':
                return literal(i, "false");
            default:
                return anyNumber(i);
        }
    }

    /** Skips a number of JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
    private int anyNumber(int i) throws NotPlain {
        int j = i;
        if (at(j) == '-') {
            j++;
        }
        if (at(j) == '0') {
            j++;
        } else if (at(j) >= '1' && at(j) <= '9') {
            j = digits(j);
        } else {
            throw NotPlain.INSTANCE;
        }
        if (j < end && buf[j] == '.') {
            int k = digits(j + 1);
            if (k == j + 1) {
                throw NotPlain.INSTANCE;
            }
            j = k;
        }
        if (j < end && (buf[j] == 'e' || buf[j] == 'E')) {
            j++;
            if (at(j) == '+' || at(j) == '-') {
                j++;
            }
            int k = digits(j);
            if (k == j) {
                throw NotPlain.INSTANCE;
            }
            j = k;
        }
        if (!delimiter(j)) {
            throw NotPlain.INSTANCE;
        }
        return j;
    }

    private int digits(int j) {
        while (j < end && buf[j] >= '0' && buf[j] <= '9') {
            j++;
        }
        return j;
    }

    int nullLiteral(int i) throws NotPlain {
        return literal(i, "null");
    }

    private int literal(int i, String word) throws NotPlain {
        int n = word.length();
        if (i + n > end) {
            throw NotPlain.INSTANCE;
        }
        for (int k = 0; k < n; k++) {
            if (buf[i + k] != word.charAt(k)) {
                throw NotPlain.INSTANCE;
            }
        }
        if (!delimiter(i + n)) {
            throw NotPlain.INSTANCE;
        }
        return i + n;
    }

    /**
     * Skips the string whose opening quote is at {@code buf[quote]} and returns the index
     * after its closing quote. Valid escapes and well-formed UTF-8 pass; a control
     * character, a bad escape or a broken UTF-8 sequence leaves the line to Jackson, which
     * refuses what it refuses. Eight bytes are tested at a time for a quote, a backslash, a
     * control character or a non-ASCII byte, the only bytes that need a look.
     */
    int string(int quote) throws NotPlain {
        int i = quote + 1;
        int limit = end - 8;
        while (true) {
            while (i <= limit) {
                long w = (long) LONGS.get(buf, i);
                long special = ((w ^ QUOTES) - ONES) & ~(w ^ QUOTES)
                        | ((w ^ BACKSLASHES) - ONES) & ~(w ^ BACKSLASHES)
                        | (w - SPACES) & ~w
                        | w;
                if ((special & HIGHS) != 0) {
                    // the lowest flag is a true one: a borrow only ever flags bytes above a match
                    i += Long.numberOfTrailingZeros(special & HIGHS) >>> 3;
                    break;
                }
                i += 8;
            }
            if (i >= end) {
                throw NotPlain.INSTANCE; // unterminated within the line
            }
            int b = buf[i] & 0xff;
            if (b == '"') {
                return i + 1;
            }
            if (b == '\\') {
                i = escape(i);
            } else if (b < 0x20) {
                throw NotPlain.INSTANCE;
            } else if (b < 0x80) {
                i++;
            } else {
                i = utf8(i, b);
            }
        }
    }

    private int escape(int i) throws NotPlain {
        if (i + 1 >= end) {
            throw NotPlain.INSTANCE;
        }
        switch (buf[i + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
                return i + 2;
            case 'u':
                if (i + 6 > end) {
                    throw NotPlain.INSTANCE;
                }
                for (int k = i + 2; k < i + 6; k++) {
                    byte h = buf[k];
                    if (!(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F')) {
                        throw NotPlain.INSTANCE;
                    }
                }
                return i + 6;
            default:
                throw NotPlain.INSTANCE;
        }
    }

    /** A well-formed UTF-8 sequence (no overlong form, no surrogate, at most U+10FFFF) starting with {@code b}. */
    private int utf8(int i, int b) throws NotPlain {
        int n;
        int min;
        int lead;
        if (b >= 0xC2 && b <= 0xDF) {
            n = 1;
            min = 0x80;
            lead = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            n = 2;
            min = 0x800;
            lead = b & 0x0F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            n = 3;
            min = 0x10000;
            lead = b & 0x07;
        } else {
            throw NotPlain.INSTANCE;
        }
        if (i + n >= end) {
            throw NotPlain.INSTANCE;
        }
        int cp = lead;
        for (int k = 1; k <= n; k++) {
            int c = buf[i + k] & 0xff;
            if ((c & 0xC0) != 0x80) {
                throw NotPlain.INSTANCE;
            }
            cp = (cp << 6) | (c & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw NotPlain.INSTANCE;
        }
        return i + n + 1;
    }

    /**
     * Reads a member's name and its colon at {@code i} (the name is then {@code
     * buf[nameStart, nameEnd)}) and returns the index of its value.
     */
    int name(int i) throws NotPlain {
        if (at(i) != '"') {
            throw NotPlain.INSTANCE;
        }
        nameStart = i + 1;
        nameEnd = plainName(nameStart);
        i = space(nameEnd + 1);
        if (at(i) != ':') {
            throw NotPlain.INSTANCE;
        }
        return space(i + 1);
    }

    /**
     * After a member's value: the index of the next member's name, or, when the object
     * closes, the bitwise complement (a negative number) of the index after its brace.
     */
    int nextMember(int i) throws NotPlain {
        i = space(i);
        if (at(i) == ',') {
            return space(i + 1);
        }
        if (at(i) == '}') {
            return ~(i + 1);
        }
        throw NotPlain.INSTANCE;
    }

    /** The end of a field name that has no escape (the index of its closing quote). */
    private int plainName(int i) throws NotPlain {
        for (; i < end; i++) {
            byte b = buf[i];
            if (b == '"') {
                return i;
            }
            if (b == '\\' || b < 0x20) { // negative: non-ASCII, fine as a name we do not know
                if (b < 0) {
                    continue;
                }
                throw NotPlain.INSTANCE;
            }
        }
        throw NotPlain.INSTANCE;
    }

    /** Whether the member name last read ({@link #name(int)}) is {@code name}. */
    boolean nameIs(byte[] name) {
        int n = name.length;
        if (nameEnd - nameStart != n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (buf[nameStart + k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Skips spaces and tabs inside a row, and line ends where they are spaces (JSON arrays);
     * in JSON lines a carriage return or newline inside a row is left to Jackson.
     */
    int space(int i) {
        while (i < end) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && !(lineEndsAreSpace && (b == '\n' || b == '\r'))) {
                break;
            }
            i++;
        }
        return i;
    }

    /** Skips what may stand around a row: spaces, tabs and carriage returns. */
    int blank(int i) {
        while (i < end) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                break;
            }
            i++;
        }
        return i;
    }
}
