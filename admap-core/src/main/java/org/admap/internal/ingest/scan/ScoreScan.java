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
 * The fast way from JSON-lines, JSON-array and CSV/TSV files in admap's multi-response layout, the pairwise layout's
 * plain spellings, UltraFeedback's raw rows or the long layout to the numbers the map needs: each file is cut
 * into byte ranges at line boundaries (an array at element starts, {@link ArrayRanges}; a table at record starts,
 * {@link CsvRanges}), the ranges are parsed on
 * several threads by {@link RowScanner} (ids,
 * prompt positions, scores, labels; texts are skipped undecoded), and the results are put
 * back in input order, so the outcome is the same whatever the number of threads.
 *
 * <p>It reads only what it reads exactly as the full ingest would; anything else throws
 * {@link NotScannable} before anything is written, and the caller takes the full ingest.
 */
public final class ScoreScan {

    private static final long MIN_RANGE = 4L << 20;
    /** The most bytes of a JSON array scanned as one range: each range is read whole, a buffer per thread. */
    static final long MAX_ARRAY_RANGE = 8L << 20;

    private ScoreScan() {
    }

    /**
     * Why these files and options cannot be scanned, or null when they can: JSON lines or a
     * JSON array (plain or gzip) in the multi-response, pairwise, ultrafeedback or long layout,
     * CSV or TSV (plain or gzip) in the multi-response, pairwise or long layout, or Parquet in the
     * multi-response layout, read with the default options.
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
            boolean csv = d.format() == FileFormat.CSV || d.format() == FileFormat.TSV;
            if (d.format() != FileFormat.JSONL && d.format() != FileFormat.JSON && !csv) {
                return f + " is neither JSON lines, a JSON array, CSV, TSV nor Parquet";
            }
            // the scan, and a store built later, read each file in the layout recognised with the defaults
            ScannedScores.FileLayout recognised = textLayout(f, IngestOptions.defaults());
            Layout layout = recognised.layout();
            if (!SCANNED.contains(layout) || csv && layout == Layout.ULTRAFEEDBACK) {
                return f + " is in the " + layout.cliName() + " layout, which the scan does not read (it reads "
                        + "the multi-response, pairwise, ultrafeedback and long layouts; in CSV and TSV not"
                        + " ultrafeedback)";
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

    /** The layout the full ingest reads a JSON-lines or JSON-array file in, and its description in the summary. */
    private static ScannedScores.FileLayout textLayout(Path f, IngestOptions options) throws IOException {
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
        return scan(files, threads, progress, MIN_RANGE, PromptBudget.ofHeap(), null);
    }

    /**
     * As {@link #scan(List, int, Progress.Factory)}, writing a copy of each gzip, CSV/TSV or
     * Parquet input {@code i} to {@code copies.apply(i)} (when not null) as it is read: a gzip
     * input's decompressed bytes, a table's records as the JSON lines the full ingest reads
     * them as, a Parquet file's rows as DuckDB renders the columns the layout reads. The
     * recorded offsets are then offsets in that copy, from which the texts can be read back
     * as JSON literals. A copy is written whole or the scan fails; the caller deletes it then.
     */
    public static ScannedScores scan(List<Path> files, int threads, Progress.Factory progress,
                                     java.util.function.IntFunction<Path> copies) throws IOException, NotScannable {
        return scan(files, threads, progress, MIN_RANGE, PromptBudget.ofHeap(), copies);
    }

    /** As {@link #scan(List, int, Progress.Factory, long, PromptBudget)} with the default prompt budget. */
    static ScannedScores scan(List<Path> files, int threads, Progress.Factory progress, long minRange)
            throws IOException, NotScannable {
        return scan(files, threads, progress, minRange, PromptBudget.ofHeap(), null);
    }

    /** As {@link #scan(List, int, Progress.Factory, long, PromptBudget, java.util.function.IntFunction)}, no copies. */
    static ScannedScores scan(List<Path> files, int threads, Progress.Factory progress, long minRange,
                              PromptBudget promptBudget) throws IOException, NotScannable {
        return scan(files, threads, progress, minRange, promptBudget, null);
    }

    /**
     * As {@link #scan(List, int, Progress.Factory, java.util.function.IntFunction)}, cutting
     * files into ranges of at least {@code minRange} bytes.
     */
    static ScannedScores scan(List<Path> files, int threads, Progress.Factory progress, long minRange,
                              PromptBudget promptBudget, java.util.function.IntFunction<Path> copies)
            throws IOException, NotScannable {
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
                        ? ScannedScores.FileLayout.PARQUET_MULTI : textLayout(f, IngestOptions.defaults());
                Layout layout = recognised.layout();
                if (!SCANNED.contains(layout)
                        || layout == Layout.LONG && !recognised.description().equals(PLAIN_LONG)) {
                    throw new NotScannable(f + " is read as " + recognised.description());
                }
                layouts.add(recognised);
                boolean csv = detected.format() == FileFormat.CSV || detected.format() == FileFormat.TSV;
                if (detected.format() == FileFormat.PARQUET) {
                    Path copy = copies == null ? null : copies.apply(fi);
                    if (copy == null) {
                        copy = Files.createTempFile("admap-scan-", ".jsonl");
                        temporary.add(copy);
                    }
                    f = ParquetProjection.project(f, copy);
                    readable.set(fi, f);
                } else if (detected.gzip() && !csv) {
                    Path copy = copies == null ? null : copies.apply(fi);
                    perFile.add(scanGzip(f, fileIndex, layout, detected.format() == FileFormat.JSON, pool, threads,
                            minRange, budget, copy));
                    if (copy != null) {
                        readable.set(fi, copy);
                    }
                    done += Files.size(f);
                    bar.advanceTo(done);
                    continue;
                }
                if (detected.format() == FileFormat.JSON) {
                    perFile.add(scanArray(f, fileIndex, layout, pool, threads, minRange, budget, bar, done));
                    done += Files.size(f);
                    continue;
                }
                if (csv) {
                    byte delimiter = (byte) (detected.format() == FileFormat.CSV ? ',' : '\t');
                    Path copy = copies == null ? null : copies.apply(fi);
                    if (detected.gzip()) {
                        perFile.add(TableScan.gzip(f, fileIndex, layout, delimiter, pool, threads, minRange, budget,
                                copy));
                        bar.advanceTo(done + Files.size(f));
                    } else {
                        perFile.add(TableScan.plain(f, fileIndex, layout, delimiter, pool, threads, minRange, budget,
                                bar, done, copy));
                    }
                    if (copy != null) {
                        readable.set(fi, copy);
                    }
                    done += Files.size(f);
                    continue;
                }
                // a Parquet file's projection is larger than the file: the bar counts the input's bytes
                double inputBytesPerByte = (double) Files.size(files.get(fi)) / Math.max(1, Files.size(f));
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
                        bar.advanceTo(done + Math.round(starts[i + 1] * inputBytesPerByte));
                    }
                    perFile.add(chunks);
                    done += Files.size(files.get(fi));
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
     * A JSON array is cut into ranges at element starts ({@link ArrayRanges}), each read whole
     * and scanned on the pool; the ranges' results are put back in file order.
     */
    private static List<ScannedChunk> scanArray(Path f, int fileIndex, Layout layout, ExecutorService pool,
                                                int threads, long minRange, PromptBudget budget, Progress bar,
                                                long done) throws IOException, NotScannable {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long size = ch.size();
            ArrayRanges.Cuts cuts = ArrayRanges.Cuts.of(ch);
            long ranges = cuts == null ? 1 : Math.max(1, Math.min(Math.max(threads * 8L,
                    (size + MAX_ARRAY_RANGE - 1) / MAX_ARRAY_RANGE), size / minRange));
            List<Long> starts = new ArrayList<>();
            starts.add(0L);
            for (long i = 1; i < ranges; i++) {
                long cut = cuts.atOrAfter(ch, Math.max(starts.get(starts.size() - 1) + 1, size * i / ranges), size);
                if (cut >= size) {
                    break;
                }
                starts.add(cut);
            }
            starts.add(size);
            List<Future<ScannedChunk>> futures = new ArrayList<>();
            for (int i = 0; i + 1 < starts.size(); i++) {
                long from = starts.get(i);
                long to = starts.get(i + 1);
                futures.add(pool.submit(() -> {
                    ScannedChunk chunk = new ScannedChunk(fileIndex, from, to);
                    chunk.wholeRange = true;
                    RowScanner scanner = new RowScanner(ScanJson.FACTORY, layout, budget, false, true, true);
                    WholeRanges.read(ch, from, to, (buf, length, base) ->
                            scanner.scanElements(buf, 0, length, base, from == 0, to == size, chunk));
                    chunk.trim();
                    return chunk;
                }));
            }
            List<ScannedChunk> chunks = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                chunks.add(await(futures.get(i)));
                bar.advanceTo(done + starts.get(i + 1));
            }
            return chunks;
        }
    }

    /**
     * A gzip file cannot be cut into ranges: this thread decompresses it into blocks of
     * whole lines and hands them to the pool, a few blocks ahead at most. As reading it back
     * would mean decompressing it again, the chunks keep their prompts.
     */
    private static List<ScannedChunk> scanGzip(Path f, int fileIndex, Layout layout, boolean array,
                                               ExecutorService pool, int threads, long minRange, PromptBudget budget,
                                               Path copy) throws IOException, NotScannable {
        if (copy == null) {
            return scanGzip(f, fileIndex, layout, array, pool, threads, minRange, budget, (CopySink) null);
        }
        // the copy is written on a thread of its own, so that decompressing (the slowest step) never waits for it
        ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "admap-gzip-copy");
            t.setDaemon(true);
            return t;
        });
        try (FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OrderedWrites writes = new OrderedWrites(writer, out, 4); // at most a few blocks held for the copy
            List<ScannedChunk> chunks = scanGzip(f, fileIndex, layout, array, pool, threads, minRange, budget,
                    writes::write);
            writes.finish();
            return chunks;
        } finally {
            writer.shutdownNow();
        }
    }

    /** Receives the decompressed blocks in order: {@code bytes[0, length)}, never changed afterwards. */
    private interface CopySink {
        void write(byte[] bytes, int length) throws IOException;
    }

    /** The scan of a gzip file, its decompressed bytes written to {@code copy} when not null. */
    private static List<ScannedChunk> scanGzip(Path f, int fileIndex, Layout layout, boolean array,
                                               ExecutorService pool, int threads, long minRange, PromptBudget budget,
                                               CopySink copy) throws IOException, NotScannable {
        int block = (int) Math.max(1, Math.min(minRange, 4L << 20));
        List<ScannedChunk> chunks = new ArrayList<>();
        Deque<Future<ScannedChunk>> window = new ArrayDeque<>();
        try (InputStream in = GzipInput.open(new BufferedInputStream(Files.newInputStream(f), 1 << 16),
                f.toString())) {
            byte[] buf = new byte[block + 1];
            ArrayRanges.Cuts cuts = null; // an array's, once its start is read
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
                if (array && cuts == null) {
                    cuts = ArrayRanges.Cuts.of(buf, filled);
                    if (cuts == null) {
                        cuts = NO_CUTS; // no name to cut at: the array is one block
                    }
                }
                int cut = eof ? filled : array ? cuts.last(buf, filled) : lastLineEnd(buf, filled);
                if (cut <= 0 && !eof) {
                    continue;
                }
                byte[] lines = buf;
                long from = base;
                int length = cut;
                boolean last = eof;
                if (copy != null) {
                    copy.write(lines, length); // in order: offsets in the copy are the scan's
                }
                window.add(pool.submit(() -> {
                    ScannedChunk chunk = new ScannedChunk(fileIndex, from, from + length);
                    RowScanner scanner = new RowScanner(ScanJson.FACTORY, layout, budget, true, true, array);
                    if (array) {
                        scanner.scanElements(lines, 0, length, from, from == 0, last, chunk);
                    } else {
                        scanner.scanBlock(lines, 0, length, from, chunk);
                    }
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

    /** Cuts that match nowhere (no name holds a raw line feed): an array read as one block. */
    private static final ArrayRanges.Cuts NO_CUTS = new ArrayRanges.Cuts(new byte[] {'"', '\n', '"'}, null);

    private static int lastLineEnd(byte[] buf, int filled) {
        for (int i = filled - 1; i >= 0; i--) {
            if (buf[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    static <T> T await(Future<T> f) throws IOException, NotScannable {
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
