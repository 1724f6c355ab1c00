package org.admap.ingest.scan;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.admap.Progress;
import org.admap.ingest.DatasetReader;
import org.admap.ingest.FileFormat;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.Layout;

/**
 * The fast way from JSON-lines files in admap's multi-response layout to the numbers the
 * map needs: each file is cut into byte ranges at line boundaries, the ranges are parsed on
 * several threads by {@link RowScanner} (ids, prompt positions, scores, labels; texts are
 * skipped undecoded), and the results are put back in input order, so the outcome is the
 * same whatever the number of threads.
 *
 * <p>It reads only what it reads exactly as the full ingest would; anything else throws
 * {@link NotScannable} before anything is written, and the caller takes the full ingest.
 */
public final class ScoreScan {

    private static final long MIN_RANGE = 4L << 20;

    private ScoreScan() {
    }

    /**
     * Why these files and options cannot be scanned, or null when they can: plain (not gzip)
     * JSON lines in the multi-response layout, read with the default options.
     */
    public static String unsupportedReason(List<Path> files, IngestOptions options) throws IOException {
        if (options.layout() != Layout.AUTO && options.layout() != Layout.MULTI) {
            return "layout " + options.layout();
        }
        if (!options.equals(IngestOptions.defaults().withLayout(options.layout()))) {
            return "ingest options other than the defaults";
        }
        for (Path f : files) {
            FileFormat.Detected d = FileFormat.detect(f);
            if (d.format() != FileFormat.JSONL || d.gzip()) {
                return f + " is not plain JSON lines";
            }
            try (DatasetReader reader = DatasetReader.open(f, options)) {
                if (reader.layout() != Layout.MULTI) {
                    return f + " is not in the multi-response layout";
                }
            }
        }
        return null;
    }

    /**
     * Scans the files on {@code threads} threads.
     *
     * @throws NotScannable when a row is not of the plain multi-response shape
     */
    public static ScannedScores scan(List<Path> files, int threads, Progress.Factory progress)
            throws IOException, NotScannable {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        List<List<ScannedChunk>> perFile = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "admap-scan");
            t.setDaemon(true);
            return t;
        });
        try (Progress bar = progress.start(files.size() == 1 ? "scanning " + files.get(0).getFileName()
                : "scanning " + files.size() + " files", total, "B")) {
            long done = 0;
            for (int fi = 0; fi < files.size(); fi++) {
                Path f = files.get(fi);
                int fileIndex = fi;
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    long size = ch.size();
                    int ranges = (int) Math.max(1, Math.min(threads * 8L, size / MIN_RANGE));
                    long[] starts = new long[ranges + 1];
                    for (int i = 0; i <= ranges; i++) {
                        starts[i] = i == ranges ? size : LineBlocks.lineStartAtOrAfter(ch, size * i / ranges, size);
                    }
                    List<Future<ScannedChunk>> futures = new ArrayList<>();
                    for (int i = 0; i < ranges; i++) {
                        long from = starts[i];
                        long to = starts[i + 1];
                        futures.add(pool.submit(() -> {
                            ScannedChunk chunk = new ScannedChunk(fileIndex, from, to);
                            RowScanner scanner = new RowScanner(ScanJson.FACTORY);
                            if (from < to) {
                                LineBlocks.read(ch, from, to, size,
                                        (buf, a, b, base) -> scanner.scanBlock(buf, a, b, base, chunk));
                            }
                            return chunk;
                        }));
                    }
                    List<ScannedChunk> chunks = new ArrayList<>();
                    for (int i = 0; i < ranges; i++) {
                        chunks.add(await(futures.get(i)));
                        bar.advanceTo(done + starts[i + 1]);
                    }
                    perFile.add(chunks);
                    done += size;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new ScannedScores(files, perFile, renameRepeatedIds(perFile));
    }

    private static ScannedChunk await(Future<ScannedChunk> f) throws IOException, NotScannable {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while scanning");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof NotScannable n) {
                throw n;
            }
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(c);
        }
    }

    /**
     * Gives a repeated id the suffix {@code #2}, {@code #3}, ... in input order, exactly as
     * the run store's item writer does, and returns how many were renamed.
     */
    private static long renameRepeatedIds(List<List<ScannedChunk>> perFile) {
        int total = 0;
        for (List<ScannedChunk> chunks : perFile) {
            for (ScannedChunk c : chunks) {
                total += c.items;
            }
        }
        Set<String> seen = new HashSet<>(Math.max(16, (int) (total / 0.7f)));
        long renamed = 0;
        for (List<ScannedChunk> chunks : perFile) {
            for (ScannedChunk c : chunks) {
                for (int i = 0; i < c.items; i++) {
                    String id = c.ids[i];
                    if (!seen.add(id)) {
                        int copy = 2;
                        while (seen.contains(id + "#" + copy)) {
                            copy++;
                        }
                        id = id + "#" + copy;
                        seen.add(id);
                        c.ids[i] = id;
                        renamed++;
                    }
                }
            }
        }
        return renamed;
    }
}
