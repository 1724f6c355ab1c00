package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The progress line: fits the width, keeps its parts apart, and never promises 0:00 left at 6%. */
class TerminalProgressTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void theLineIsNarrowerThanTheTerminalAtEveryWidth() {
        for (int width = 2; width <= 220; width++) {
            String line = TerminalProgress.line(width, "reading ultrafeedback-binarized-preferences-cleaned.jsonl",
                    300_000_000L, 18_000_000L, "B", 6 * SECOND, "90,112 items");
            assertThat(line.length()).as("width " + width + ": " + line).isLessThan(width);
        }
    }

    @Test
    void itsPartsAreSeparated() {
        String bytes = TerminalProgress.line(200, "reading x.jsonl", 300_000_000L, 150_000_000L, "B", 10 * SECOND,
                "90,112 items");
        assertThat(bytes).contains("MB/s  ").contains("  90,112 items").doesNotContainPattern("MB/s\\S");
        String cost = TerminalProgress.line(200, "scoring (judge)", 1000, 400, "responses", 10 * SECOND, "$0.0000");
        assertThat(cost).contains("responses/s  ").contains("  $0.0000").doesNotContain("responses/s$");
    }

    @Test
    void theTimeLeftIsAnEstimateOrAbsentNeverZeroEarly() {
        String early = TerminalProgress.line(200, "reading x.jsonl", 100, 6, "items", 6 * SECOND, null);
        assertThat(early).contains(" 6%").contains("0:06 left 1:34").doesNotContain("0:00:00");
        String start = TerminalProgress.line(200, "reading x.jsonl", 100, 0, "items", 2 * SECOND, null);
        assertThat(start).doesNotContain("left");
    }

    @Test
    void aPhaseShowsItsNameAndTime() {
        assertThat(TerminalProgress.line(80, "diagnose: flagging", -1, 0, "", 15 * SECOND, null))
                .isEqualTo("diagnose: flagging  0:15");
    }

    @Test
    void atTheNarrowestTheStatusGoesFirstAndTheTaskIsCutLast() {
        String line = TerminalProgress.line(80, "reading ultrafeedback-binarized-preferences-cleaned.jsonl",
                300_000_000L, 18_000_000L, "B", 6 * SECOND, "90,112 items");
        assertThat(line).startsWith("reading ultrafeedback").contains("6%").doesNotContain("90,112 items");
    }
}
