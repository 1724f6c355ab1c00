package org.admap.internal.ingest.scan;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Writes buffers to a file in the order given, on a thread of its own, at most
 * {@code pending} writes queued: the thread that produces them waits only when it is
 * that far ahead. A buffer must not change once given.
 */
final class OrderedWrites {

    private final ExecutorService writer;
    private final FileChannel out;
    private final int pending;
    private final Deque<Future<?>> writes = new ArrayDeque<>();

    /** Writes to {@code out} on {@code writer}, at most {@code pending} writes queued. */
    OrderedWrites(ExecutorService writer, FileChannel out, int pending) {
        this.writer = writer;
        this.out = out;
        this.pending = pending;
    }

    /** Queues {@code bytes[0, length)}; waits while {@code pending} writes are queued before it. */
    void write(byte[] bytes, int length) throws IOException {
        writes.add(writer.submit(() -> {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes, 0, length);
            while (b.hasRemaining()) {
                out.write(b);
            }
            return null;
        }));
        while (writes.size() > pending) {
            awaitWrite(writes.poll());
        }
    }

    /** Waits for every queued write; the first that failed is thrown. */
    void finish() throws IOException {
        while (!writes.isEmpty()) {
            awaitWrite(writes.poll());
        }
    }

    private static void awaitWrite(Future<?> write) throws IOException {
        try {
            write.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing a decompressed copy");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
