package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.admap.internal.columns.InputChangedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineFeedsTest {

    @TempDir
    Path dir;

    @Test
    void theLineFeedsBeforeAnyOffsetAreThoseOfCountingFromTheStart() throws Exception {
        Random random = new Random(5);
        byte[] a = new byte[20 * LineFeeds.BLOCK + 123]; // more than one read of the counting thread
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextInt(40) == 0 ? (byte) '\n' : (byte) ('a' + random.nextInt(26));
        }
        byte[] b = "one\ntwo\n\nfour".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Path fa = Files.write(dir.resolve("a.jsonl"), a);
        Path fb = Files.write(dir.resolve("b.jsonl"), b);
        LineFeeds feeds = new LineFeeds(List.of(fa.toString(), fb.toString()));
        long[] offsets = {0, 1, LineFeeds.BLOCK - 1, LineFeeds.BLOCK, LineFeeds.BLOCK + 1, 16L * LineFeeds.BLOCK,
            16L * LineFeeds.BLOCK + 7, a.length - 1, 20L * LineFeeds.BLOCK};
        for (long offset : offsets) {
            assertThat(feeds.before(0, offset)).as("offset " + offset).isEqualTo(naive(a, offset));
        }
        for (int k = 0; k < 200; k++) {
            long offset = random.nextInt(a.length);
            assertThat(feeds.before(0, offset)).as("offset " + offset).isEqualTo(naive(a, offset));
        }
        assertThat(feeds.before(1, 9)).isEqualTo(3);
        assertThatThrownBy(() -> feeds.before(1, LineFeeds.BLOCK + 3)).isInstanceOf(InputChangedException.class)
                .hasMessageContaining(fb.toString()).hasMessageContaining("shorter");
    }

    private static long naive(byte[] b, long offset) {
        long n = 0;
        for (int i = 0; i < offset; i++) {
            n += b[i] == '\n' ? 1 : 0;
        }
        return n;
    }
}
