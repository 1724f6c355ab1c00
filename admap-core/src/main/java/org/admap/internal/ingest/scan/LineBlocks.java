package org.admap.internal.ingest.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Reads a byte range of a JSON-lines file as blocks of whole lines, by positional reads on
 * a shared channel (so several threads read one file at once). A line belongs to the range
 * its first byte lies in; the block buffer grows for a line longer than it.
 */
final class LineBlocks {

    /** Receives each block: {@code buf[from, to)} holds whole lines starting at file offset {@code base}. */
    interface BlockConsumer {
        void accept(byte[] buf, int from, int to, long base) throws NotScannable;
    }

    private static final int BLOCK = 4 << 20;

    /**
     * One block buffer per thread, reused from range to range: a buffer this large is a
     * "humongous" allocation for G1, and allocating one per range made the collector work
     * far more than the scan. Consumers must not keep the buffer beyond their call.
     */
    private static final ThreadLocal<byte[]> BUFFERS = new ThreadLocal<>();

    private LineBlocks() {
    }

    /** The offset of the first line starting at or after {@code pos}. */
    static long lineStartAtOrAfter(FileChannel ch, long pos, long size) throws IOException {
        if (pos == 0) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        long p = pos - 1;
        while (p < size) {
            b.clear();
            int n = ch.read(b, p);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (b.get(i) == '\n') {
                    return p + i + 1;
                }
            }
            p += n;
        }
        return size;
    }

    /** Reads the lines that start in {@code [start, end)} (both already at line starts) in blocks. */
    static void read(FileChannel ch, long start, long end, long size, BlockConsumer consumer)
            throws IOException, NotScannable {
        read(ch, start, end, size, BLOCK, consumer);
    }

    /** As {@link #read(FileChannel, long, long, long, BlockConsumer)} with blocks of about {@code block} bytes. */
    static void read(FileChannel ch, long start, long end, long size, int block, BlockConsumer consumer)
            throws IOException, NotScannable {
        int size0 = (int) Math.min(block, Math.max(1, end - start)) + 1;
        byte[] buf = BUFFERS.get();
        if (buf == null || buf.length < size0) {
            buf = new byte[size0];
        }
        long pos = start; // file offset of buf[0]
        int filled = 0;
        while (pos < end) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the block
            }
            ByteBuffer target = ByteBuffer.wrap(buf, filled, buf.length - filled);
            int n = ch.read(target, pos + filled);
            boolean eof = n <= 0 || pos + filled + n >= size;
            if (n > 0) {
                filled += n;
            }
            int cut;
            if (eof) {
                cut = filled;
            } else {
                cut = -1;
                for (int i = filled - 1; i >= 0; i--) {
                    if (buf[i] == '\n') {
                        cut = i + 1;
                        break;
                    }
                }
                if (cut < 0) {
                    continue; // no whole line yet: read more
                }
            }
            // lines starting at or after 'end' belong to the next range
            int limit = cut;
            if (pos + cut > end) {
                limit = (int) (end - pos);
                // extend to the end of the line that starts before 'end'
                int i = limit;
                while (i < cut && (i == 0 || buf[i - 1] != '\n')) {
                    i++;
                }
                limit = i;
            }
            consumer.accept(buf, 0, limit, pos);
            if (eof || pos + limit >= end) {
                BUFFERS.set(buf);
                return;
            }
            System.arraycopy(buf, cut, buf, 0, filled - cut);
            pos += cut;
            filled -= cut;
        }
    }
}
