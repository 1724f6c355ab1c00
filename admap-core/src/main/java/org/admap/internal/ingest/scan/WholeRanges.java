package org.admap.internal.ingest.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a byte range of a file whole, for formats whose rows may span lines (JSON arrays,
 * CSV with quoted line breaks), so that a range cut at a row's start holds whole rows.
 */
final class WholeRanges {

    /**
     * One buffer per thread reused from range to range, as {@link LineBlocks} does: ranges are
     * megabytes, which G1 allocates as humongous objects.
     */
    private static final ThreadLocal<byte[]> BUFFERS = new ThreadLocal<>();

    /** Receives a range's bytes: {@code buf[0, length)}, which start at file offset {@code base}. */
    interface RangeConsumer {
        void accept(byte[] buf, int length, long base) throws NotScannable;
    }

    private WholeRanges() {
    }

    /** Reads {@code [from, to)} of the file whole and hands it to {@code consumer}. */
    static void read(FileChannel ch, long from, long to, RangeConsumer consumer) throws IOException, NotScannable {
        int length = Math.toIntExact(to - from);
        byte[] buf = BUFFERS.get();
        if (buf == null || buf.length < length) {
            buf = new byte[Math.max(length, buf == null ? 0 : buf.length + (buf.length >> 1))];
        }
        int n = readFully(ch, from, buf, length);
        if (n < length) {
            throw new NotScannable("the file shrank while it was read");
        }
        consumer.accept(buf, length, from);
        BUFFERS.set(buf);
    }

    /** Reads up to {@code length} bytes at {@code offset} into {@code buf}; returns how many (fewer at the end). */
    static int readFully(FileChannel ch, long offset, byte[] buf, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, length);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                break;
            }
        }
        return b.position();
    }
}
