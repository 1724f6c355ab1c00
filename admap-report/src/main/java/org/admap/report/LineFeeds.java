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

    /**
     * Where the items lie in the files: for each item, a stretch of its line, which holds no
     * line feed, as no JSON line does.
     */
    interface Extents {
        int items();

        int file(int item);

        long start(int item);

        long end(int item);
    }

    private final List<String> paths;
    private final Extents extents;
    private final Future<long[][]> counted;

    /** Starts counting the files at {@code paths}. */
    LineFeeds(List<String> paths) {
        this(paths, null);
    }

    /**
     * Starts counting the files at {@code paths}, looking only between the stretches of
     * {@code extents} (null: everywhere), which hold none: a report's input is mostly texts.
     */
    LineFeeds(List<String> paths, Extents extents) {
        this.paths = List.copyOf(paths);
        this.extents = extents;
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
            Skip skip = extents == null ? null : Skip.of(extents, f);
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
                        feeds += skip == null ? ColumnReportSource.feeds(b, at, Math.min(n, at + BLOCK))
                                : skip.feeds(b, pos, at, Math.min(n, at + BLOCK));
                    }
                    pos += n;
                }
                before[block] = feeds;
                out[f] = java.util.Arrays.copyOf(before, block + 1);
            }
        }
        return out;
    }

    /**
     * The stretches of one file's items, walked along with the reading: the line feeds of a
     * block are counted only outside them. Each stretch holds no line feed, so skipping any
     * part of any of them leaves the count exact whatever their order; items in file order
     * (as a scan numbers them) are the ones that save work.
     */
    private static final class Skip {
        private final Extents extents;
        private final int file;
        private int item = -1;
        private long start;
        private long end;

        private Skip(Extents extents, int file) {
            this.extents = extents;
            this.file = file;
            next();
        }

        static Skip of(Extents extents, int file) {
            return new Skip(extents, file);
        }

        /** To the next item of the file with a stretch, or past the last (start and end at Long.MAX_VALUE). */
        private void next() {
            for (item++; item < extents.items(); item++) {
                if (extents.file(item) == file) {
                    long e = extents.end(item);
                    long s = extents.start(item);
                    if (e > s) {
                        start = s;
                        end = e;
                        return;
                    }
                }
            }
            start = Long.MAX_VALUE;
            end = Long.MAX_VALUE;
        }

        /** The line feeds in {@code b[from, to)} (the file from {@code pos} on) outside the stretches. */
        int feeds(byte[] b, long pos, int from, int to) {
            int n = 0;
            long p = pos + from;
            long stop = pos + to;
            while (p < stop) {
                while (end <= p) {
                    next();
                }
                if (start >= stop) {
                    n += ColumnReportSource.feeds(b, (int) (p - pos), to);
                    p = stop;
                } else if (start > p) {
                    n += ColumnReportSource.feeds(b, (int) (p - pos), (int) (start - pos));
                    p = start;
                } else {
                    p = Math.min(end, stop);
                }
            }
            return n;
        }
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
