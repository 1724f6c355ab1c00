package org.admap.internal.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The keys duplicate detection compares texts by, in one place, so that the scan (which
 * computes them from a file's bytes in the pass that reads its scores) and the detection
 * on whole texts give the same answers:
 * <ul>
 *   <li>{@link #whitespace}: a response's text with whitespace runs collapsed and the ends
 *       stripped (responses of one instruction that are equal so are duplicates);</li>
 *   <li>{@link #normalise}: an instruction's text in NFKC, lower case, punctuation and
 *       symbols as spaces, whitespace collapsed (instructions equal so repeat each other);</li>
 *   <li>{@link #hash64}: the first 8 bytes of SHA-256 of a key's UTF-8, what the detection
 *       keeps per instruction instead of its text;</li>
 *   <li>{@link #responseFilter}: a cheap 64-bit digest of a JSON string literal's text with
 *       every whitespace and non-ASCII character left out. Two responses equal up to
 *       whitespace always have the same filter, so only responses whose filters collide
 *       need their texts compared ({@link #whitespace}); a collision alone proves nothing.</li>
 * </ul>
 */
public final class TextKeys {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern PUNCTUATION = Pattern.compile("[\\p{P}\\p{S}]+");

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[1024]);

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** Per byte value (0-255): the byte itself when the filter counts it (printable ASCII, not a space), else 0. */
    private static final int[] KEPT = new int[256];
    /** Per byte value: {@link #GOLDEN} when the filter counts it, else 0 (it then takes no position). */
    private static final long[] STEP = new long[256];

    static {
        for (int b = '!'; b <= '~'; b++) {
            KEPT[b] = b;
            STEP[b] = GOLDEN;
        }
    }

    private TextKeys() {
    }

    /** A response's text with whitespace runs collapsed to one space and the ends stripped. */
    public static String whitespace(String text) {
        return WHITESPACE.matcher(text.strip()).replaceAll(" ");
    }

    /** An instruction's text normalised: NFKC, lower case, punctuation and symbols as spaces, whitespace collapsed. */
    public static String normalise(String text) {
        String ascii = normaliseAscii(text);
        if (ascii != null) {
            return ascii;
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        s = PUNCTUATION.matcher(s).replaceAll(" ");
        return WHITESPACE.matcher(s.strip()).replaceAll(" ");
    }

    /**
     * {@link #normalise} of a text of printable ASCII, tabs and line ends, without regular
     * expressions (NFKC leaves such a text as it is), or null for any other text.
     */
    static String normaliseAscii(String text) {
        int n = text.length();
        char[] out = new char[n];
        int size = 0;
        boolean pendingSpace = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x7f || c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x0B && c != '\f') {
                return null;
            }
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            } else if (c <= ' ' || !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                // whitespace, or an ASCII punctuation or symbol character (\p{P}, \p{S}): a space
                pendingSpace = size > 0;
                continue;
            }
            if (pendingSpace) {
                out[size++] = ' ';
                pendingSpace = false;
            }
            out[size++] = c;
        }
        return new String(out, 0, size);
    }

    /** The first 8 bytes of the SHA-256 of the text's UTF-8, as a big-endian long. */
    public static long hash64(String text) {
        return first8(SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * {@link #hash64} of the text whose UTF-8 bytes are {@code a[aFrom, aFrom + aLength)}, then,
     * when {@code b} is not null, two line feeds and {@code b[bFrom, bFrom + bLength)} (an
     * instruction and its input as one prompt), without making the text.
     */
    public static long hash64(byte[] a, int aFrom, int aLength, byte[] b, int bFrom, int bLength) {
        MessageDigest sha = SHA256.get();
        sha.update(a, aFrom, aLength);
        if (b != null) {
            sha.update((byte) '\n');
            sha.update((byte) '\n');
            sha.update(b, bFrom, bLength);
        }
        return first8(sha.digest());
    }

    /**
     * {@code hash64(normalise(text))} of the text whose bytes are {@code a[aFrom, aFrom + aLength)},
     * then, when {@code b} is not null, two line feeds and {@code b[bFrom, bFrom + bLength)} (an
     * instruction and its input as one prompt), for bytes that are all printable ASCII
     * ({@code 0x20}-{@code 0x7e}; the caller checks), without making a string: the scan keys
     * every prompt so, and decoding, normalising and encoding it again as strings took a tenth
     * of {@code map}'s CPU. The same value as the string path ({@code TextKeysProperties}).
     */
    public static long normalisedHash64Ascii(byte[] a, int aFrom, int aLength, byte[] b, int bFrom, int bLength) {
        int capacity = aLength + (b == null ? 0 : bLength + 1);
        byte[] out = SCRATCH.get();
        if (out.length < capacity) {
            out = new byte[Math.max(capacity, out.length * 2)];
            SCRATCH.set(out);
        }
        int size = normaliseAscii(a, aFrom, aLength, out, 0);
        if (b != null) {
            // the two line feeds between are whitespace: one space, if words come before and after
            int start = size + (size > 0 ? 1 : 0);
            int end = normaliseAscii(b, bFrom, bLength, out, start);
            if (end > start) {
                if (size > 0) {
                    out[size] = ' ';
                }
                size = end;
            }
        }
        MessageDigest sha = SHA256.get();
        sha.update(out, 0, size);
        return first8(sha.digest());
    }

    /** {@link #normaliseAscii(String)} of printable ASCII bytes, written from {@code out[at]}; the end written. */
    private static int normaliseAscii(byte[] text, int from, int length, byte[] out, int at) {
        int size = at;
        boolean pendingSpace = false;
        for (int i = from; i < from + length; i++) {
            int c = text[i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                pendingSpace = size > at;
                continue;
            }
            if (pendingSpace) {
                out[size++] = ' ';
                pendingSpace = false;
            }
            out[size++] = (byte) c;
        }
        return size;
    }

    /** The first eight bytes of a digest, big-endian. */
    private static long first8(byte[] d) {
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (d[i] & 0xff);
        }
        return h;
    }

    /**
     * The filter of the JSON string literal whose opening quote is at {@code buf[quote]}
     * (see the class comment): over its characters that are ASCII and not whitespace, an
     * escape counting as the character it stands for.
     *
     * <p>One byte at a time, each byte's part read from two tables ({@link #KEPT}: the byte
     * if it counts, else 0; {@link #STEP}: the position weight it adds): a kept byte adds
     * itself and itself times its position's weight, a left-out one adds zeros. That is the
     * branch-free formula it replaces (a printable test, masks and a sum per byte) in about
     * half the instructions: over the 0.9 million response literals (220 MB) of the first
     * 300 MB of the 1M x 4 generated file, warm, 0.27 s against 0.55 s, the same values. Every
     * scan computes it over all the responses' bytes (it was 40% of {@code map}'s CPU), and
     * {@code select} checks every text it reads against it. The value is exactly the
     * reference byte loop's (the scan recorded those), as {@code TextKeysProperties} checks.
     *
     * @param end a bound after the literal's closing quote
     */
    public static long responseFilter(byte[] buf, int quote, int end) {
        long s1 = 0;
        long s2 = 0;
        long w = 0; // the kept bytes' count times GOLDEN, by adding it once per kept byte
        for (int i = quote + 1; i < end; i++) {
            int x = buf[i] & 0xff;
            if (x == '"') {
                break;
            }
            if (x == '\\') {
                i++;
                int e = i < end ? buf[i] : '"';
                int b;
                switch (e) {
                    case '"', '\\', '/' -> b = e;
                    case 'b' -> b = 8;
                    case 'u' -> {
                        b = i + 4 < end ? hex(buf, i + 1) : -1;
                        i += 4;
                    }
                    default -> b = ' '; // \n \t \r \f: whitespace
                }
                if (b < 0 || b >= 0x80) {
                    continue;
                }
                x = b;
            }
            int kept = KEPT[x];
            w += STEP[x]; // a weight per position, not linear in it
            s1 += kept;
            s2 += kept * (w ^ (w >>> 29));
        }
        long h = w ^ s1 * 0xC2B2AE3D27D4EB4FL ^ s2 * 0x165667B19E3779F9L;
        return h ^ (h >>> 31);
    }

    private static int hex(byte[] buf, int i) {
        int v = 0;
        for (int k = i; k < i + 4; k++) {
            int d = Character.digit(buf[k], 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }
}
