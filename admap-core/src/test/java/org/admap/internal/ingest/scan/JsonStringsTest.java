package org.admap.internal.ingest.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonStringsTest {

    private static int close(String json, int quote) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return JsonStrings.plainAsciiClose(b, quote, b.length);
    }

    @Test
    void aLiteralOfPrintableAsciiEndsAtItsClosingQuote() {
        assertThat(close("x:\"Hello, world ~!\",", 2)).isEqualTo(18);
        assertThat(close("\"\"", 0)).isEqualTo(1);
    }

    @Test
    void anyOtherLiteralIsLeftToTheDecoder() {
        assertThat(close("\"a\\nb\"", 0)).as("an escape").isEqualTo(-1);
        assertThat(close("\"caf\u00e9\"", 0)).as("not ASCII").isEqualTo(-1);
        assertThat(close("\"a\tb\"", 0)).as("a control character").isEqualTo(-1);
        assertThat(close("\"a\u007fb\"", 0)).as("DEL").isEqualTo(-1);
        assertThat(close("\"abc", 0)).as("unterminated").isEqualTo(-1);
        assertThat(close("abc\"", 0)).as("no literal there").isEqualTo(-1);
        assertThat(close("\"abc\"", -1)).as("no literal there").isEqualTo(-1);
    }
}
