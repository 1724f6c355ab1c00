package org.admap.internal.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FlagsCsvExcerptTest {

    private static final String ALPHABET = "ab \t\n\u000B\f\r\u00A0\u2003xy";

    @Test
    void oneLineCollapsesWhiteSpaceAsTheRegularExpressionDid() {
        Random random = new Random(7);
        for (int t = 0; t < 20_000; t++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String text = b.toString();
            assertThat(FlagsCsv.oneLine(text)).as("'%s'", text).isEqualTo(text.replaceAll("\\s+", " "));
        }
    }

    @Test
    void excerptCutsLongPromptsAfterCollapsing() {
        String prompt = "  a\t\tb" + "c".repeat(300) + "\n";
        assertThat(FlagsCsv.excerpt(prompt)).startsWith("a bccc").endsWith("...")
                .hasSize(FlagsCsv.PROMPT_EXCERPT + 3);
        assertThat(FlagsCsv.excerpt("one\r\n two ")).isEqualTo("one two");
    }
}
