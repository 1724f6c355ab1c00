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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.admap.Progress;
import org.admap.ingest.Layout;
import org.admap.internal.ingest.GzipInput;

/**
 * The scan of a CSV or TSV table ({@link ScoreScan}'s part for tables): a plain one cut into
 * ranges of whole records on every core, a gzip one cut into blocks of whole records as it
 * is decompressed; each range's records read as the JSON rows the full ingest makes of them
 * ({@link CsvRecords}) and, for a run, written in file order as JSON lines to the run's copy.
 */
final class TableScan {

    /** The bytes a gzip table's header is first looked for in. */
    private static final int HEAD = 4096;

    private TableScan() {
    }

    /**
     * A CSV or TSV file is cut into ranges of whole records ({@link CsvRanges}), each read
     * whole and its records read as JSON rows ({@link CsvRecords}). Its prompts are always
     * kept: they cannot be read back from the file as JSON literals.
     */
    static List<ScannedChunk> plain(Path f, int fileIndex, Layout layout, byte delimiter, ExecutorService pool,
                                    int threads, long minRange, PromptBudget budget, Progress bar, long done,
                                    Path copy) throws IOException, NotScannable {
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
            int ranges = (int) Math.max(1, Math.min(Math.max(threads * 8L, (bytes + ScoreScan.MAX_ARRAY_RANGE - 1)
                    / ScoreScan.MAX_ARRAY_RANGE), bytes / minRange));
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
                CsvPart part = ScoreScan.await(futures.get(i));
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
    static List<ScannedChunk> gzip(Path f, int fileIndex, Layout layout, byte delimiter, ExecutorService pool,
                                   int threads, long minRange, PromptBudget budget, Path copy)
            throws IOException, NotScannable {
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
                    chunks.add(tableCopy.append(ScoreScan.await(window.poll())));
                }
            }
            while (!window.isEmpty()) {
                chunks.add(tableCopy.append(ScoreScan.await(window.poll())));
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

}
