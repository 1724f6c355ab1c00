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
    /** The bytes a gzip table's header is first looked for in. */
    private static final int HEAD = 4096;
    /** The most bytes of a JSON array scanned as one range: each range is read whole, a buffer per thread. */
    private static final long MAX_ARRAY_RANGE = 8L << 20;

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
                        perFile.add(scanCsvGzip(f, fileIndex, layout, delimiter, pool, threads, minRange, budget,
                                copy));
                        bar.advanceTo(done + Files.size(f));
                    } else {
                        perFile.add(scanCsv(f, fileIndex, layout, delimiter, pool, threads, minRange, budget, bar,
                                done, copy));
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
     * A CSV or TSV file is cut into ranges of whole records ({@link CsvRanges}), each read
     * whole and its records read as JSON rows ({@link CsvRecords}). Its prompts are always
     * kept: they cannot be read back from the file as JSON literals.
     */
    private static List<ScannedChunk> scanCsv(Path f, int fileIndex, Layout layout, byte delimiter,
                                              ExecutorService pool, int threads, long minRange, PromptBudget budget,
                                              Progress bar, long done, Path copy) throws IOException, NotScannable {
        ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "admap-table-copy");
            t.setDaemon(true);
            return t;
        });
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
             FileChannel out = copy == null ? null : FileChannel.open(copy, StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = ch.size();
            CsvRanges.Start start = CsvRanges.header(ch, delimiter);
            CsvRecords.Header header = CsvRecords.Header.of(start.names(), layout, delimiter);
            long bytes = size - start.records();
            int ranges = (int) Math.max(1, Math.min(Math.max(threads * 8L, (bytes + MAX_ARRAY_RANGE - 1)
                    / MAX_ARRAY_RANGE), bytes / minRange));
            long[] cuts = CsvRanges.cuts(ch, start.records(), size, ranges, pool);
            // with a copy, prompts can be read back from it: kept while the budget lasts, as for plain files
            boolean keepAll = out == null;
            TableCopy tableCopy = new TableCopy(writer, out);
            List<Future<CsvPart>> futures = new ArrayList<>();
            int submitted = 0;
            List<ScannedChunk> chunks = new ArrayList<>();
            for (int i = 0; i + 1 < cuts.length; i++) {
                // a few ranges ahead of the copy at most: each holds its records as JSON until written
                while (submitted + 1 < cuts.length && submitted < i + threads * 3) {
                    long from = cuts[submitted];
                    long to = cuts[submitted + 1];
                    futures.add(pool.submit(() -> {
                        ScannedChunk chunk = new ScannedChunk(fileIndex, from, to);
                        CsvRecords records = new CsvRecords(header,
                                new RowScanner(ScanJson.FACTORY, layout, budget, keepAll, true, true));
                        CsvRecords.JsonText json = out == null ? null
                                : new CsvRecords.JsonText((int) Math.min(Integer.MAX_VALUE - 16, (to - from) * 5 / 4));
                        WholeRanges.read(ch, from, to, (buf, length, base) ->
                                records.scan(buf, length, base, chunk, json));
                        chunk.trim();
                        return new CsvPart(chunk, json);
                    }));
                    submitted++;
                }
                CsvPart part = await(futures.get(i));
                futures.set(i, null);
                chunks.add(tableCopy.append(part));
                bar.advanceTo(done + cuts[i + 1]);
            }
            tableCopy.finish();
            return chunks;
        } finally {
            writer.shutdownNow();
        }
    }

    /**
     * A gzip CSV or TSV table cannot be cut into ranges: this thread decompresses it into
     * blocks of whole records, cut at a line feed after an even number of quotes (quotes
     * come in pairs around cells, see {@link CsvRecords}), and hands them to the pool, a few
     * blocks ahead at most; the blocks' records are copied as JSON lines, in order, as a plain
     * table's ranges are.
     */
    private static List<ScannedChunk> scanCsvGzip(Path f, int fileIndex, Layout layout, byte delimiter,
                                                  ExecutorService pool, int threads, long minRange,
                                                  PromptBudget budget, Path copy) throws IOException, NotScannable {
        int block = (int) Math.max(1, Math.min(minRange, 4L << 20));
        ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "admap-table-copy");
            t.setDaemon(true);
            return t;
        });
        List<ScannedChunk> chunks = new ArrayList<>();
        Deque<Future<CsvPart>> window = new ArrayDeque<>();
        try (InputStream in = GzipInput.open(new BufferedInputStream(Files.newInputStream(f), 1 << 16),
                f.toString());
             FileChannel out = copy == null ? null : FileChannel.open(copy, StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            TableCopy tableCopy = new TableCopy(writer, out);
            // the header from a first few kilobytes, or as much as the longest header admitted
            byte[] head = in.readNBytes(HEAD);
            boolean eof = head.length < HEAD;
            if (!eof && lastRecordEnd(head, head.length) == 0) {
                byte[] rest = in.readNBytes(CsvRanges.MAX_HEADER - HEAD);
                eof = rest.length < CsvRanges.MAX_HEADER - HEAD;
                head = Arrays.copyOf(head, HEAD + rest.length);
                System.arraycopy(rest, 0, head, HEAD, rest.length);
            }
            CsvRanges.Start start = CsvRanges.header(head, head.length, !eof, delimiter);
            CsvRecords.Header header = CsvRecords.Header.of(start.names(), layout, delimiter);
            // without a copy the records cannot be read back as JSON: their prompts are all kept
            boolean keepAll = out == null;
            int headerBytes = (int) start.records();
            byte[] buf = new byte[Math.max(block, head.length - headerBytes) + 1];
            int filled = head.length - headerBytes;
            System.arraycopy(head, headerBytes, buf, 0, filled);
            long base = headerBytes;
            while (true) {
                if (!eof) {
                    if (filled == buf.length) {
                        buf = Arrays.copyOf(buf, buf.length * 2); // a record longer than the block
                    }
                    filled += in.readNBytes(buf, filled, buf.length - filled);
                    eof = filled < buf.length;
                }
                int cut = eof ? filled : lastRecordEnd(buf, filled);
                if (cut <= 0 && !eof) {
                    continue;
                }
                byte[] records = buf;
                long from = base;
                int length = cut;
                window.add(pool.submit(() -> {
                    ScannedChunk chunk = new ScannedChunk(fileIndex, from, from + length);
                    CsvRecords reader = new CsvRecords(header,
                            new RowScanner(ScanJson.FACTORY, layout, budget, keepAll, true, true));
                    CsvRecords.JsonText json = out == null ? null
                            : new CsvRecords.JsonText((int) Math.min(Integer.MAX_VALUE - 16, length * 5L / 4));
                    reader.scan(records, length, from, chunk, json);
                    chunk.trim();
                    return new CsvPart(chunk, json);
                }));
                if (eof) {
                    break;
                }
                buf = new byte[Math.max(block + 1, filled - cut + 1)];
                System.arraycopy(records, cut, buf, 0, filled - cut);
                filled -= cut;
                base += cut;
                while (window.size() > threads * 2) {
                    chunks.add(tableCopy.append(await(window.poll())));
                }
            }
            while (!window.isEmpty()) {
                chunks.add(tableCopy.append(await(window.poll())));
            }
            tableCopy.finish();
            return chunks;
        } finally {
            window.forEach(w -> w.cancel(true));
            writer.shutdownNow();
        }
    }

    /**
     * The end of the last whole record in {@code buf[0, filled)}, which starts at a record:
     * after the last line feed that follows an even number of quotes; 0 when there is none.
     */
    private static int lastRecordEnd(byte[] buf, int filled) {
        int end = 0;
        boolean odd = false;
        for (int i = 0; i < filled; i++) {
            byte b = buf[i];
            if (b == '"') {
                odd = !odd;
            } else if (b == '\n' && !odd) {
                end = i + 1;
            }
        }
        return end;
    }

    /** A CSV range's chunk and, when the table is copied, its records as JSON lines. */
    private record CsvPart(ScannedChunk chunk, CsvRecords.JsonText json) {
    }

    /**
     * Writes a table's ranges' records as JSON lines to its copy, in file order, so that the
     * ranges after them go on being read; with no copy, hands the chunks back as they are.
     */
    private static final class TableCopy {
        private final OrderedWrites writes;
        private long copied;

        /** Writes to {@code out} on {@code writer}; with no {@code out}, nothing is copied. */
        TableCopy(ExecutorService writer, FileChannel out) {
            this.writes = out == null ? null : new OrderedWrites(writer, out, 2);
        }

        /** Queues the next range's records and returns its chunk, its offsets moved to where they land. */
        ScannedChunk append(CsvPart part) throws IOException {
            if (writes == null) {
                return part.chunk();
            }
            // the range's offsets are from its own start
            part.chunk().shift(copied, part.json().size);
            writes.write(part.json().buf, part.json().size);
            copied += part.json().size;
            return part.chunk();
        }

        /** Waits for every queued write. */
        void finish() throws IOException {
            if (writes != null) {
                writes.finish();
            }
        }
    }

    /**
     * Writes buffers to a file in the order given, on a thread of its own, at most
     * {@code pending} writes queued: the thread that produces them waits only when it is
     * that far ahead. A buffer must not change once given.
     */
    private static final class OrderedWrites {
        private final ExecutorService writer;
        private final FileChannel out;
        private final int pending;
        private final Deque<Future<?>> writes = new ArrayDeque<>();

        OrderedWrites(ExecutorService writer, FileChannel out, int pending) {
            this.writer = writer;
            this.out = out;
            this.pending = pending;
        }

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

        void finish() throws IOException {
            while (!writes.isEmpty()) {
                awaitWrite(writes.poll());
            }
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

    private static <T> T await(Future<T> f) throws IOException, NotScannable {
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
