package org.admap.internal.ingest.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The lexer's tokens: where each ends, what it refuses, and the numbers it converts. */
class JsonByteLexerTest {

    private final JsonByteLexer lex = new JsonByteLexer();

    @Test
    void aStringEndsJustAfterItsClosingQuoteWhereverThatFallsInAnEightByteWord() throws Exception {
        for (int n = 0; n < 40; n++) {
            String text = "\"" + "a".repeat(n) + "\",";
            byte[] b = bytes(text);
            lex.line(b, b.length);
            assertThat(lex.string(0)).as(text).isEqualTo(n + 2);
        }
    }

    @Test
    void escapesAndWellFormedUtf8PassInsideAString() throws Exception {
        String text = "\"x \\\"q\\\" \\\\ \\u00e9 \u00e9\u4e16\ud83d\ude00 " + "y".repeat(9) + "\"]";
        byte[] b = bytes(text);
        lex.line(b, b.length);
        assertThat(lex.string(0)).isEqualTo(b.length - 1);
    }

    @Test
    void whatAStringMayNotHoldIsRefused() {
        for (String text : new String[] {"\"tab\there\"", "\"bad \\x escape\"", "\"short \\u12\"", "\"unterminated"}) {
            byte[] b = bytes(text);
            lex.line(b, b.length);
            assertThatThrownBy(() -> lex.string(0)).as(text).isSameAs(NotPlain.INSTANCE);
        }
        byte[] latin1 = "\"caf\u00e9\"".getBytes(StandardCharsets.ISO_8859_1); // not UTF-8
        lex.line(latin1, latin1.length);
        assertThatThrownBy(() -> lex.string(0)).isSameAs(NotPlain.INSTANCE);
    }

    @Test
    void numbersAreTheDoublesParseDoubleGives() throws Exception {
        for (String text : new String[] {"0", "4.6", "-0.25", "0.30000000000000004", "123456789012345",
            "0.000000000000000123", "1e3", "-2.5E-3", "12345678901234567.5", "7"}) {
            byte[] b = bytes(text + ",");
            lex.line(b, b.length);
            assertThat(lex.number(0)).as(text).isEqualTo(text.length());
            assertThat(lex.number()).as(text).isEqualTo(Double.parseDouble(text));
        }
        byte[] b = bytes("null}");
        lex.line(b, b.length);
        assertThat(lex.number(0)).isEqualTo(4);
        assertThat(lex.number()).isNaN();
    }

    @Test
    void numbersOutsideTheSubsetAreRefused() {
        for (String text : new String[] {"-0", "01", "1.", "1e", "1x", "123456789012345678901", "1e400", "+1"}) {
            byte[] b = bytes(text);
            lex.line(b, b.length);
            assertThatThrownBy(() -> lex.number(0)).as(text).isSameAs(NotPlain.INSTANCE);
        }
    }

    @Test
    void anUnreadValueIsSkippedWholeUpToTheDepthLimit() throws Exception {
        String value = "{\"a\": [1, 2e5, true, null, \"s\"], \"b\": {}, \"c\": []}";
        byte[] b = bytes(value + "}");
        lex.line(b, b.length);
        assertThat(lex.value(0, 1)).isEqualTo(value.length());

        String deep = "[".repeat(JsonByteLexer.MAX_DEPTH + 1) + "]".repeat(JsonByteLexer.MAX_DEPTH + 1);
        byte[] d = bytes(deep);
        lex.line(d, d.length);
        assertThatThrownBy(() -> lex.value(0, 1)).isSameAs(NotPlain.INSTANCE);
        String fits = "[".repeat(JsonByteLexer.MAX_DEPTH) + "]".repeat(JsonByteLexer.MAX_DEPTH);
        byte[] f = bytes(fits);
        lex.line(f, f.length);
        assertThat(lex.value(0, 1)).isEqualTo(fits.length());
    }

    @Test
    void aMemberNameIsReadWithItsColonAndComparedByBytes() throws Exception {
        byte[] b = bytes("\"score\" :\t4");
        lex.line(b, b.length);
        assertThat(lex.name(0)).isEqualTo(b.length - 1);
        assertThat(lex.nameIs(bytes("score"))).isTrue();
        assertThat(lex.nameIs(bytes("scores"))).isFalse();
        byte[] escaped = bytes("\"sc\\u006fre\":4");
        lex.line(escaped, escaped.length);
        assertThatThrownBy(() -> lex.name(0)).isSameAs(NotPlain.INSTANCE);
    }

    @Test
    void nothingIsReadPastTheEndOfTheLines() throws Exception {
        byte[] b = bytes("\"abc\"   trailing");
        lex.line(b, 3); // the line ends inside the string
        assertThatThrownBy(() -> lex.string(0)).isSameAs(NotPlain.INSTANCE);
        assertThat(lex.at(3)).isZero();
        lex.line(b, 8);
        assertThat(lex.space(5)).isEqualTo(8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
