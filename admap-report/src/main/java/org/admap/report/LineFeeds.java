package org.admap.report;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.admap.internal.columns.InputChangedException;

/**
 * The line feeds before each block of a run's inputs, counted on a thread of its own while
 * the report is being made, so that numbering the lines of its embedded instructions (as the
 * full ingest numbers them) later reads only the blocks they lie in instead of each file up
 * to its last one.
 */
final class LineFeeds {

    /** Bytes per block: a line's number costs at most one block's read. */
    static final int BLOCK = 1 << 16;

    private final List<String> paths;
    private final Future<long[][]> counted;

    /** Starts counting the files at {@code paths}. */
    LineFeeds(List<String> paths) {
        this.paths = List.copyOf(paths);
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "admap-line-feeds");
            t.setDaemon(true); // a report that embeds no instruction never waits for it
            return t;
        });
        this.counted = thread.submit(this::count);
        thread.shutdown();
    }

    /** For each file, the line feeds before the start of each block (one more entry: the whole file's). */
    private long[][] count() throws IOException {
        long[][] out = new long[paths.size()][];
        ByteBuffer buf = ByteBuffer.allocate(16 * BLOCK);
        byte[] b = buf.array();
        for (int f = 0; f < paths.size(); f++) {
            try (FileChannel ch = FileChannel.open(Path.of(paths.get(f)), StandardOpenOption.READ)) {
                long size = ch.size();
                long[] before = new long[(int) ((size + BLOCK - 1) / BLOCK) + 1];
                long feeds = 0;
                int block = 0;
                for (long pos = 0; pos < size; ) {
                    buf.clear();
                    int n = 0;
                    while (buf.hasRemaining() && pos + n < size) {
                        int r = ch.read(buf, pos + n);
                        if (r < 0) {
                            break;
                        }
                        n += r;
                    }
                    if (n == 0) {
                        break;
                    }
                    for (int at = 0; at < n; at += BLOCK) {
                        before[block++] = feeds;
                        feeds += ColumnReportSource.feeds(b, at, Math.min(n, at + BLOCK));
                    }
                    pos += n;
                }
                before[block] = feeds;
                out[f] = java.util.Arrays.copyOf(before, block + 1);
            }
        }
        return out;
    }

    /** The line feeds in input {@code file} before byte {@code offset}. */
    long before(int file, long offset) throws IOException {
        return before(new int[] {file}, new long[] {offset})[0];
    }

    /**
     * The line feeds in input {@code files[i]} before byte {@code offsets[i]}, for each i: each
     * file opened once and one block's buffer for all (a report numbers two thousand lines).
     */
    long[] before(int[] files, long[] offsets) throws IOException {
        long[][] index = index();
        long[] out = new long[offsets.length];
        ByteBuffer buf = ByteBuffer.allocate(BLOCK);
        FileChannel[] open = new FileChannel[paths.size()];
        try {
            for (int i = 0; i < offsets.length; i++) {
                int file = files[i];
                long[] before = index[file];
                int block = (int) (offsets[i] / BLOCK);
                if (block >= before.length - 1) {
                    throw shorter(file);
                }
                long start = (long) block * BLOCK;
                int length = (int) (offsets[i] - start);
                if (open[file] == null) {
                    open[file] = FileChannel.open(Path.of(paths.get(file)), StandardOpenOption.READ);
                }
                buf.clear().limit(length);
                while (buf.hasRemaining()) {
                    if (open[file].read(buf, start + buf.position()) < 0) {
                        throw shorter(file);
                    }
                }
                out[i] = before[block] + ColumnReportSource.feeds(buf.array(), 0, length);
            }
        } finally {
            for (FileChannel ch : open) {
                if (ch != null) {
                    ch.close();
                }
            }
        }
        return out;
    }

    private InputChangedException shorter(int file) {
        return new InputChangedException(paths.get(file) + " is shorter than when its map was built; map it"
                + " again with 'admap map'");
    }

    private long[][] index() throws IOException {
        try {
            return counted.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the input's lines were counted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
