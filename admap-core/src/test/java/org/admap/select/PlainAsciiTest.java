package org.admap.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PlainAsciiTest {

    /** The byte-at-a-time test the word test must agree with. */
    private static boolean expected(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    @Test
    void agreesWithTheCharTestOnTextsFullOfTheBytesToLookAt() {
        char[] alphabet = {'a', 'Z', ' ', '~', '!', '#', '[', ']', '?', '"', '\\', '\n', '\t', 0x1f, 0x7f, 0x80,
            0xe9, 0xff, 0x100, 0x3f3f, 'é', '\u2014', '\uD83D', '\uDE00', 0};
        SplittableRandom random = new SplittableRandom(7);
        int plain = 0;
        for (int n = 0; n < 200_000; n++) {
            int length = random.nextInt(40);
            StringBuilder s = new StringBuilder();
            // mostly plain letters, so that many texts are plain and the odd char lands in every position
            for (int i = 0; i < length; i++) {
                s.append(random.nextInt(12) == 0 ? alphabet[random.nextInt(alphabet.length)]
                        : (char) (0x20 + random.nextInt(0x5f)));
            }
            String text = s.toString();
            boolean want = expected(text);
            plain += want ? 1 : 0;
            assertThat(PlainAscii.test(text.getBytes(StandardCharsets.ISO_8859_1), text)).as("%s", text)
                    .isEqualTo(want);
        }
        assertThat(plain).isGreaterThan(10_000);
    }

    @Test
    void aWordWithoutAnyByteToLookAtNeedsNoLook() {
        assertThat(PlainAscii.mayNeedLook(0x6867666564636261L)).isFalse(); // "abcdefgh"
        assertThat(PlainAscii.mayNeedLook(0x2121212121212121L)).isFalse(); // "!!!!!!!!"
        assertThat(PlainAscii.mayNeedLook(0x7e7e7e7e7e7e7e7eL)).isFalse(); // "~~~~~~~~"
        assertThat(PlainAscii.mayNeedLook(0x2020202020202020L)).isFalse(); // spaces
    }
}
