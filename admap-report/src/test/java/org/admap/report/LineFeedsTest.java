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

    /**
     * Lines of random lengths (some longer than a block, some blank) in two files, the items'
     * stretches inside them (never over a line feed, some empty, some out of order): the
     * counts looking only outside the stretches are those of looking everywhere.
     */
    @Test
    void countingOnlyBetweenTheItemsStretchesGivesTheSameLines() throws Exception {
        Random random = new Random(9);
        List<long[]> stretches = new java.util.ArrayList<>(); // file, start, end
        byte[][] files = new byte[2][];
        for (int f = 0; f < 2; f++) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            while (out.size() < 6 * LineFeeds.BLOCK) {
                int length = random.nextInt(5) == 0 ? 0 : random.nextInt(40) == 0 ? random.nextInt(3 * LineFeeds.BLOCK)
                        : random.nextInt(300);
                long at = out.size();
                for (int i = 0; i < length; i++) {
                    out.write('a' + random.nextInt(26));
                }
                if (length > 0 && random.nextInt(3) > 0) {
                    int s = random.nextInt(length);
                    stretches.add(new long[] {f, at + s, at + s + random.nextInt(length - s + 1)});
                }
                out.write('\n');
            }
            files[f] = out.toByteArray();
        }
        Path fa = Files.write(dir.resolve("a.jsonl"), files[0]);
        Path fb = Files.write(dir.resolve("b.jsonl"), files[1]);
        // in file order but for a tenth of them moved elsewhere: skipping is exact in any order
        for (int i = 0; i < stretches.size() / 10; i++) {
            java.util.Collections.swap(stretches, random.nextInt(stretches.size()), random.nextInt(stretches.size()));
        }
        LineFeeds.Extents extents = new LineFeeds.Extents() {
            public int items() {
                return stretches.size();
            }

            public int file(int item) {
                return (int) stretches.get(item)[0];
            }

            public long start(int item) {
                return stretches.get(item)[1];
            }

            public long end(int item) {
                return stretches.get(item)[2];
            }
        };
        LineFeeds skipping = new LineFeeds(List.of(fa.toString(), fb.toString()), extents);
        for (int f = 0; f < 2; f++) {
            for (int k = 0; k < 300; k++) {
                long offset = k < 10 ? (long) k * LineFeeds.BLOCK : random.nextInt(files[f].length);
                if (offset < files[f].length) {
                    assertThat(skipping.before(f, offset)).as("file %d offset %d", f, offset)
                            .isEqualTo(naive(files[f], offset));
                }
            }
        }
        assertThat(stretches).hasSizeGreaterThan(100);
    }

    private static long naive(byte[] b, long offset) {
        long n = 0;
        for (int i = 0; i < offset; i++) {
            n += b[i] == '\n' ? 1 : 0;
        }
        return n;
    }
}
