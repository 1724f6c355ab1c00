package org.admap.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.CharRange;
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

    private static long filter(String text) {
        byte[] literal = ("\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"")
                .getBytes(StandardCharsets.UTF_8);
        return TextKeys.responseFilter(literal, 0, literal.length);
    }
}
