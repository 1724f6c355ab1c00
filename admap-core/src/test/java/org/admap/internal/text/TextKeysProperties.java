package org.admap.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.From;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class TextKeysProperties {

    /** The regular-expression definition normalise() had before its ASCII path. */
    private static String reference(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        s = s.replaceAll("[\\p{P}\\p{S}]+", " ");
        return s.strip().replaceAll("\\s+", " ");
    }

    @Property
    void theAsciiPathNormalisesAsTheRegularExpressionsDo(
            @ForAll @StringLength(max = 40) @CharRange(from = 0, to = 127) String text) {
        assertThat(TextKeys.normalise(text)).isEqualTo(reference(text));
    }

    @Property
    void anyTextNormalisesAsTheRegularExpressionsDo(
            @ForAll @StringLength(max = 20) @Chars({'a', 'B', ' ', '\t', '\u00e9', '\u2003', '\uff21', '.', '\u00a0',
                    '\u001c', '\n', '$'}) String text) {
        assertThat(TextKeys.normalise(text)).isEqualTo(reference(text));
    }

    @Property
    void printableAsciiBytesKeyAsTheirStrings(
            @ForAll @StringLength(max = 30) @CharRange(from = 0x20, to = 0x7e) String prompt,
            @ForAll @StringLength(max = 30) @Chars({'a', 'Q', '7', ' ', '.', '-', '_', '~', '"'}) String input,
            @ForAll boolean withInput, @ForAll @IntRange(max = 5) int offset) {
        // within a larger buffer, as the scan hands them over
        String pad = "x".repeat(offset);
        byte[] buf = (pad + prompt + "|" + input).getBytes(StandardCharsets.US_ASCII);
        int inputFrom = offset + prompt.length() + 1;
        String full = withInput ? prompt + "\n\n" + input : prompt;
        long hash = TextKeys.normalisedHash64Ascii(buf, offset, prompt.length(),
                withInput ? buf : null, inputFrom, input.length());
        assertThat(hash).isEqualTo(TextKeys.hash64(TextKeys.normalise(full)));
        assertThat(TextKeys.hash64(buf, offset, prompt.length(), withInput ? buf : null, inputFrom, input.length()))
                .isEqualTo(TextKeys.hash64(full));
    }

    @Property
    void textsEqualButForWhitespaceHaveTheSameFilter(
            @ForAll @StringLength(max = 30) @Chars({'a', 'b', 'Z', ' ', '\t', '\n', '\u2003', '\u00e9', '"', '\\',
                    '\u001f', '\u0008'}) String a,
            @ForAll @StringLength(max = 30) @Chars({'a', 'b', 'Z', ' ', '\t', '\n', '\u2003', '\u00e9', '"', '\\',
                    '\u001f', '\u0008'}) String b) {
        if (TextKeys.whitespace(a).equals(TextKeys.whitespace(b))) {
            assertThat(filter(a)).isEqualTo(filter(b));
        }
        assertThat(filter(a)).isEqualTo(filter(TextKeys.whitespace(a)));
        assertThat(filter(a + " \u2003 ")).isEqualTo(filter(a));
    }

    @Property
    void anEscapedCharacterHasTheFilterOfItself(@ForAll @CharRange(from = 0x21, to = 0x7e) char c) {
        String escaped = String.format(Locale.ROOT, "\"x\\u%04x\"", (int) c);
        byte[] bytes = escaped.getBytes(StandardCharsets.UTF_8);
        assertThat(TextKeys.responseFilter(bytes, 0, bytes.length)).isEqualTo(filter("x" + c));
    }

    @Property
    void differentWordsHaveDifferentFilters(@ForAll @StringLength(min = 1, max = 12) @CharRange(from = 'a', to = 'z')
                                            String word) {
        assertThat(filter(word + "x")).isNotEqualTo(filter(word));
        if (!word.equals(new StringBuilder(word).reverse().toString())) {
            assertThat(filter(new StringBuilder(word).reverse().toString())).isNotEqualTo(filter(word));
        }
    }

    /** responseFilter as it was first written (branches on each byte); the scan's recorded filters are these. */
    private static long referenceFilter(byte[] buf, int quote, int end) {
        long count = 0;
        long s1 = 0;
        long s2 = 0;
        for (int i = quote + 1; i < end; i++) {
            int b = buf[i];
            if (b == '"') {
                break;
            }
            if (b == '\\') {
                i++;
                int e = i < end ? buf[i] : '"';
                switch (e) {
                    case '"', '\\', '/' -> b = e;
                    case 'b' -> b = 8;
                    case 'u' -> {
                        b = i + 4 < end ? referenceHex(buf, i + 1) : -1;
                        i += 4;
                    }
                    default -> b = ' ';
                }
                if (b < 0 || b >= 0x80) {
                    continue;
                }
            }
            if (b > ' ' && b < 0x7f) {
                count++;
                s1 += b;
                long w = count * 0x9E3779B97F4A7C15L;
                s2 += b * (w ^ (w >>> 29));
            }
        }
        long h = count * 0x9E3779B97F4A7C15L ^ s1 * 0xC2B2AE3D27D4EB4FL ^ s2 * 0x165667B19E3779F9L;
        return h ^ (h >>> 31);
    }

    private static int referenceHex(byte[] buf, int i) {
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

    @Property
    void theFilterIsTheOneTheScanRecordedForAnyBytes(
            @ForAll @Size(max = 60) List<@From("filterBytes") Byte> bytes, @ForAll @IntRange(max = 70) int end) {
        byte[] b = new byte[bytes.size() + 1];
        b[0] = '"';
        for (int i = 0; i < bytes.size(); i++) {
            b[i + 1] = bytes.get(i);
        }
        int to = Math.min(end, b.length);
        assertThat(TextKeys.responseFilter(b, 0, to)).isEqualTo(referenceFilter(b, 0, to));
    }

    @Provide
    Arbitrary<Byte> filterBytes() {
        return Arbitraries.oneOf(Arbitraries.bytes(), Arbitraries.of((byte) '\\', (byte) '"', (byte) 'u',
                (byte) ' ', (byte) '!', (byte) '~', (byte) 0x7f, (byte) 'b', (byte) 'n', (byte) '/', (byte) '0',
                (byte) 'f', (byte) 'A', (byte) 0x80, (byte) 0xff, (byte) 0x20, (byte) 0x21));
    }

    private static long filter(String text) {
        byte[] literal = ("\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"")
                .getBytes(StandardCharsets.UTF_8);
        return TextKeys.responseFilter(literal, 0, literal.length);
    }
}
