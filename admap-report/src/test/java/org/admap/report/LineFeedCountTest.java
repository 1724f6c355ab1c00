package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The line feeds the report counts to number its instructions' lines, eight bytes at a time. */
class LineFeedCountTest {

    @Test
    void countsEveryLineFeedInAnyRangeWhateverTheBytesAroundIt() {
        Random random = new Random(11);
        // line feeds among bytes one bit away from them, high bytes and zeros, at every alignment
        byte[] alphabet = {'\n', (byte) ('\n' ^ 1), (byte) ('\n' ^ 0x80), (byte) 0x8A, 0, (byte) 0xFF, 'a', '\r',
            0x7F, 0x0B};
        byte[] b = new byte[300];
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < b.length; i++) {
                b[i] = round % 17 == 0 ? (byte) '\n' : alphabet[random.nextInt(alphabet.length)];
            }
            int from = random.nextInt(40);
            int to = from + random.nextInt(b.length - from + 1);
            int expected = 0;
            for (int i = from; i < to; i++) {
                expected += b[i] == '\n' ? 1 : 0;
            }
            assertThat(ColumnReportSource.feeds(b, from, to)).as("round " + round).isEqualTo(expected);
        }
    }
}
