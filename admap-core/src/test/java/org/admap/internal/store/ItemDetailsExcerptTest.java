package org.admap.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The excerpt without a regex is the excerpt the regex gave: whitespace runs collapsed, cut, "..." added. */
class ItemDetailsExcerptTest {

    private static String byRegex(String text, int maxChars) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        if (oneLine.length() <= maxChars) {
            return oneLine;
        }
        int end = maxChars;
        if (Character.isHighSurrogate(oneLine.charAt(end - 1))) {
            end--;
        }
        return oneLine.substring(0, end) + "...";
    }

    @Test
    void isTheRegexsExcerptOnTextsOfEveryKindOfSpace() {
        String[] pieces = {"a", "word", " ", "  ", "\t", "\n", "\r\n", "\u000B", "\f", "\u2003", "\u00a0", "\u001c",
                "\ud83d\ude00", "\u00e9", "x y"};
        SplittableRandom random = new SplittableRandom(7);
        for (int t = 0; t < 20_000; t++) {
            StringBuilder b = new StringBuilder();
            for (int i = random.nextInt(30); i > 0; i--) {
                b.append(pieces[random.nextInt(pieces.length)]);
            }
            int max = 1 + random.nextInt(20);
            assertThat(ItemDetails.excerpt(b.toString(), max)).as("'%s' at %d", b, max)
                    .isEqualTo(byRegex(b.toString(), max));
        }
        assertThat(ItemDetails.excerpt("  a \n\n b  ", 10)).isEqualTo("a b");
        assertThat(ItemDetails.excerpt("abcdef", 3)).isEqualTo("abc...");
    }
}
