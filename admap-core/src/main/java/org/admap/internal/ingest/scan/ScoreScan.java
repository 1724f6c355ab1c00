package org.admap.internal.ingest.scan;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.admap.ingest.group.GroupingReport;
import org.admap.internal.ingest.GzipInput;
import org.admap.model.RepeatedIds;

/**
 * The fast way from JSON-lines files in admap's multi-response layout, the pairwise layout's
 * plain spellings or UltraFeedback's raw rows to the numbers the map needs: each file is cut into byte ranges at
 * line boundaries, the ranges are parsed on several threads by {@link RowScanner} (ids,
 * prompt positions, scores, labels; texts are skipped undecoded), and the results are put
 * back in input order, so the outcome is the same whatever the number of threads.
 *
 * <p>It reads only what it reads exactly as the full ingest would; anything else throws
 * {@link NotScannable} before anything is written, and the caller takes the full ingest.
 */
public final class ScoreScan {

    private static final long MIN_RANGE = 4L << 20;

    private ScoreScan() {
    }

    /**
     * Why these files and options cannot be scanned, or null when they can: JSON lines
     * (plain or gzip) in the multi-response, pairwise or ultrafeedback layout, or Parquet in
     * the multi-response layout, read with the default options.
     */
    public static String unsupportedReason(List<Path> files, IngestOptions options) throws IOException {
        if (options.layout() != Layout.AUTO && !SCANNED.contains(options.layout())) {
            return "layout " + options.layout();
        }
        if (!options.grouping().scoreFields().isEmpty()) {
            return "named score sources (--score-field NAME=FIELD) are read by the full ingest";
        }
        if (options.grouping().byPrompt()) {
            return "grouping by prompt is done by the full ingest";
        }
        if (!options.equals(IngestOptions.defaults().withLayout(options.layout()))) {
            return "ingest options other than the defaults";
        }
        int longs = 0;
        for (Path f : files) {
            FileFormat.Detected d = FileFormat.detect(f);
            if (d.format() == FileFormat.PARQUET) {
                if (options.layout() != Layout.AUTO && options.layout() != Layout.MULTI
                        || !ParquetProjection.isMultiLayout(f)) {
                    return f + " is not in the multi-response layout";
                }
                continue;
            }
            if (d.format() != FileFormat.JSONL) {
                return f + " is neither JSON lines nor Parquet";
            }
            // the scan, and a store built later, read each file in the layout recognised with the defaults
            ScannedScores.FileLayout recognised = jsonLinesLayout(f, IngestOptions.defaults());
            Layout layout = recognised.layout();
            if (!SCANNED.contains(layout)) {
                return f + " is in the " + layout.cliName() + " layout, which the scan does not read (it reads "
                        + "the multi-response, pairwise, ultrafeedback and long layouts)";
            }
            if (options.layout() != Layout.AUTO && options.layout() != layout) {
                return f + " is recognised as " + layout.cliName() + ", not as the layout named";
            }
            if (layout == Layout.LONG) {
                if (!recognised.description().equals(PLAIN_LONG)) {
                    return f + " is read as " + recognised.description();
                }
                longs++;
            }
        }
        if (longs > 0 && longs < files.size()) {
            // the full ingest writes grouped instructions after all others: the scan keeps input order
            return "long-layout files mixed with files of other layouts";
        }
        return null;
    }

    /** The layouts of JSON lines the scan reads. */
    private static final Set<Layout> SCANNED = EnumSet.of(Layout.MULTI, Layout.PAIRWISE, Layout.ULTRAFEEDBACK,
            Layout.LONG);

    /** The long layout with the default fields; a preset (AlpacaEval's, recognised by its fields) is read in full. */
    private static final String PLAIN_LONG = "long (prompt 'prompt', response 'response')";

    /** The layout the full ingest reads a JSON-lines file in, and its description in the summary. */
    private static ScannedScores.FileLayout jsonLinesLayout(Path f, IngestOptions options) throws IOException {
        try (DatasetReader reader = DatasetReader.open(f, options)) {
            return new ScannedScores.FileLayout(reader.layout(), reader.layoutDescription());
        }
    }

    /**
     * Scans the files on {@code threads} threads, each in the layout the full ingest reads
     * it in with the default options.
     *
     * @throws NotScannable when a file's layout is another, or a row is not of the plain shape
     */
    public static ScannedScores scan(List<Path> files, int threads, Progress.Factory progress)
            throws IOException, NotScannable {
        return scan(files, threads, progress, MIN_RANGE, PromptBudget.ofHeap());
    }

    /** As {@link #scan(List, int, Progress.Factory, long, PromptBudget)} with the default prompt budget. */
    static ScannedScores scan(List<Path> files, int threads, Progress.Factory progress, long minRange)
            throws IOException, NotScannable {
        return scan(files, threads, progress, minRange, PromptBudget.ofHeap());
    }

    /** As {@link #scan(List, int, Progress.Factory)}, cutting files into ranges of at least {@code minRange} bytes. */
    static ScannedScores scan(List<Path> files, int threads, Progress.Factory progress, long minRange,
                              PromptBudget promptBudget) throws IOException, NotScannable {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        List<List<ScannedChunk>> perFile = new ArrayList<>();
        List<ScannedScores.FileLayout> layouts = new ArrayList<>();
        PromptBudget budget = promptBudget;
        List<Path> readable = new ArrayList<>(files);
        List<Path> temporary = new ArrayList<>();
        boolean scanned = false;
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
                FileFormat.Detected detected = FileFormat.detect(f);
                ScannedScores.FileLayout recognised = detected.format() == FileFormat.PARQUET
                        ? ScannedScores.FileLayout.PARQUET_MULTI : jsonLinesLayout(f, IngestOptions.defaults());
                Layout layout = recognised.layout();
                if (!SCANNED.contains(layout)
                        || layout == Layout.LONG && !recognised.description().equals(PLAIN_LONG)) {
                    throw new NotScannable(f + " is read as " + recognised.description());
                }
                layouts.add(recognised);
                if (detected.format() == FileFormat.PARQUET) {
                    f = ParquetProjection.project(f);
                    temporary.add(f);
                    readable.set(fi, f);
                } else if (detected.gzip()) {
                    perFile.add(scanGzip(f, fileIndex, layout, pool, threads, minRange, budget));
                    done += Files.size(f);
                    bar.advanceTo(done);
                    continue;
                }
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    long size = ch.size();
                    int ranges = (int) Math.max(1, Math.min(threads * 8L, size / minRange));
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
                            RowScanner scanner = new RowScanner(ScanJson.FACTORY, layout, budget, false);
                            if (from < to) {
                                LineBlocks.read(ch, from, to, size,
                                        (buf, a, b, base) -> scanner.scanBlock(buf, a, b, base, chunk));
                            }
                            chunk.trim();
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
            scanned = true;
        } finally {
            pool.shutdownNow();
            if (!scanned) {
                for (Path t : temporary) {
                    Files.deleteIfExists(t);
                }
            }
        }
        long[] rows = null;
        GroupingReport grouping = null;
        if (layouts.stream().anyMatch(l -> l.layout() == Layout.LONG)) {
            if (!layouts.stream().allMatch(l -> l.layout() == Layout.LONG)) {
                throw new NotScannable("long-layout files mixed with files of other layouts");
            }
            LongRowGroups.Grouped grouped = LongRowGroups.group(perFile);
            perFile = grouped.perFile();
            rows = grouped.rowsPerFile();
            grouping = grouped.report();
        }
        return new ScannedScores(readable, layouts, temporary, perFile, rows, grouping, renameRepeatedIds(perFile));
    }

    /**
     * A gzip file cannot be cut into ranges: this thread decompresses it into blocks of
     * whole lines and hands them to the pool, a few blocks ahead at most. As reading it back
     * would mean decompressing it again, the chunks keep their prompts.
     */
    private static List<ScannedChunk> scanGzip(Path f, int fileIndex, Layout layout, ExecutorService pool,
                                               int threads,
                                               long minRange, PromptBudget budget)
            throws IOException, NotScannable {
        int block = (int) Math.max(1, Math.min(minRange, 4L << 20));
        List<ScannedChunk> chunks = new ArrayList<>();
        Deque<Future<ScannedChunk>> window = new ArrayDeque<>();
        try (InputStream in = GzipInput.open(new BufferedInputStream(Files.newInputStream(f), 1 << 16),
                f.toString())) {
            byte[] buf = new byte[block + 1];
            int filled = 0;
            long base = 0;
            boolean eof = false;
            while (!eof) {
                if (filled == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the block
                }
                int n = in.readNBytes(buf, filled, buf.length - filled);
                filled += n;
                eof = filled < buf.length;
                int cut = eof ? filled : lastLineEnd(buf, filled);
                if (cut <= 0 && !eof) {
                    continue;
                }
                byte[] lines = buf;
                long from = base;
                int length = cut;
                window.add(pool.submit(() -> {
                    ScannedChunk chunk = new ScannedChunk(fileIndex, from, from + length);
                    new RowScanner(ScanJson.FACTORY, layout, budget, true).scanBlock(lines, 0, length, from, chunk);
                    chunk.trim();
                    return chunk;
                }));
                buf = new byte[Math.max(block + 1, filled - cut + 1)];
                System.arraycopy(lines, cut, buf, 0, filled - cut);
                filled -= cut;
                base += cut;
                while (window.size() > threads * 2) {
                    chunks.add(await(window.poll()));
                }
            }
            while (!window.isEmpty()) {
                chunks.add(await(window.poll()));
            }
        } finally {
            window.forEach(w -> w.cancel(true));
        }
        return chunks;
    }

    private static int lastLineEnd(byte[] buf, int filled) {
        for (int i = filled - 1; i >= 0; i--) {
            if (buf[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
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
            if (c instanceof Error err) {
                throw err; // out of memory above all: the caller says what to do
            }
            throw new IllegalStateException(c);
        }
    }

    /**
     * Gives a repeated id the suffix {@code #2}, {@code #3}, ... in input order, exactly as
     * the run store's item writer does, and returns how many were renamed.
     */
    private static long renameRepeatedIds(List<List<ScannedChunk>> perFile) {
        List<ScannedChunk> all = new ArrayList<>();
        perFile.forEach(all::addAll);
        ScannedIds seen = new ScannedIds(all);
        Map<String, Integer> nextCopy = new HashMap<>();
        long renamed = 0;
        int item = 0;
        for (ScannedChunk c : all) {
            for (int i = 0; i < c.items; i++, item++) {
                if (!seen.add(item)) {
                    c.ids[i] = RepeatedIds.rename(c.ids[i], seen::contains, nextCopy);
                    seen.add(item);
                    renamed++;
                }
            }
        }
        return renamed;
    }
}
