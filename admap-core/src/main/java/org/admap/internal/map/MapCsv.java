package org.admap.internal.map;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.admap.internal.csv.CsvCells;
import org.admap.internal.ingest.scan.JsonStrings;
import org.admap.internal.store.AtomicFile;
import org.admap.internal.store.RunStore;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.apache.commons.csv.CSVFormat;

/**
 * Writes {@code map.csv}: one row per mapped instruction, in input order, with the columns
 * {@code id,prompt,n,mean,variance,std,region} and {@code correlation} when the map has
 * one. Numbers are written in full precision, as the shortest decimal that reads back as
 * the same double ({@link ShortestDecimal}: {@code Double.toString}'s text as specified
 * since JDK 19), so the file reproduces the map exactly, and its bytes do not depend on the
 * JDK that wrote it (JDK 17's {@code Double.toString} is sometimes a digit longer). RFC
 * 4180 quoting, as commons-csv does it, keeps multi-line prompts intact.
 */
public final class MapCsv {

    private MapCsv() {
    }

    /** Writes the map of a run, its prompts read from the store. */
    public static void write(RunStore store, List<MapPoint> points, boolean withCorrelation, Path file)
            throws IOException {
        write(store, points, withCorrelation, false, file);
    }

    /**
     * Writes the map of a run, its prompts read from the store, with the column
     * {@code region_p} last when {@code withRegionP} (a map whose scores carry uncertainty;
     * without it the file is the same bytes as before the column existed).
     */
    public static void write(RunStore store, List<MapPoint> points, boolean withCorrelation, boolean withRegionP,
                             Path file) throws IOException {
        write(store, points, withCorrelation, withRegionP, CsvCells.NEUTRALISED, file);
    }

    /**
     * {@link #write(RunStore, List, boolean, boolean, Path)}, its id and prompt cells written
     * as {@code cells} says (neutralised against spreadsheet formulas, or raw).
     */
    public static void write(RunStore store, List<MapPoint> points, boolean withCorrelation, boolean withRegionP,
                             CsvCells cells, Path file) throws IOException {
        write((int) store.itemCount(), new PromptChunks() {
            @Override
            public int count() {
                return 1;
            }

            @Override
            public void forEach(int chunk, Prompts.Row row) throws IOException {
                forEachPrompt(store, row);
            }
        }, 1, points, withCorrelation, withRegionP, cells, file);
    }

    private static void forEachPrompt(RunStore store, Prompts.Row row) throws IOException {
        {
            try {
                store.forEachPrompt((key, id, prompt) -> {
                    try {
                        row.accept(key, id, prompt);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    /** Every item's key, id and full prompt, in key order (input order). */
    @FunctionalInterface
    public interface Prompts {
        void forEach(Row row) throws IOException;

        /** One item. */
        @FunctionalInterface
        interface Row {
            void accept(int key, String id, String prompt) throws IOException;

            /**
             * One item whose full prompt is the text of the JSON string literal at
             * {@code json[quote]} (ending before {@code end}), which the writer transcodes to
             * its CSV field without decoding it where it can; by default decoded as the scan
             * decodes it ({@link JsonStrings#at}).
             */
            default void acceptLiteral(int key, String id, byte[] json, int quote, int end) throws IOException {
                accept(key, id, JsonStrings.at(json, quote, end));
            }
        }
    }

    /**
     * Writes the map with the prompts from any source, so that a map computed without a
     * run store (the score scan) gives the same bytes as one computed from it.
     *
     * @param items the number of items (keys run from 0 to items - 1)
     */
    public static void write(int items, Prompts prompts, List<MapPoint> points, boolean withCorrelation, Path file)
            throws IOException {
        write(items, prompts, points, withCorrelation, false, file);
    }

    /** {@link #write(int, Prompts, List, boolean, Path)}, with the column {@code region_p} when asked. */
    public static void write(int items, Prompts prompts, List<MapPoint> points, boolean withCorrelation,
                             boolean withRegionP, Path file) throws IOException {
        write(items, new PromptChunks() {
            @Override
            public int count() {
                return 1;
            }

            @Override
            public void forEach(int chunk, Prompts.Row row) throws IOException {
                prompts.forEach(row);
            }
        }, 1, points, withCorrelation, withRegionP, file);
    }

    /** Items' prompts in chunks that can be read at once on several threads, chunk after chunk in key order. */
    public interface PromptChunks {
        int count();

        void forEach(int chunk, Prompts.Row row) throws IOException;
    }

    /**
     * Writes the map, formatting chunks of rows on {@code threads} threads; the rows are
     * written in key order, so the bytes do not depend on the number of threads.
     */
    public static void write(int items, PromptChunks chunks, int threads, List<MapPoint> points,
                             boolean withCorrelation, Path file) throws IOException {
        write(items, chunks, threads, points, withCorrelation, false, file);
    }

    /**
     * {@link #write(int, PromptChunks, int, List, boolean, Path)}, with the column
     * {@code region_p} (each point's {@link MapPoint#regionP()}, empty where NaN) when asked.
     */
    public static void write(int items, PromptChunks chunks, int threads, List<MapPoint> points,
                             boolean withCorrelation, boolean withRegionP, Path file) throws IOException {
        write(items, chunks, threads, points, withCorrelation, withRegionP, CsvCells.NEUTRALISED, file);
    }

    /**
     * {@link #write(int, PromptChunks, int, List, boolean, boolean, Path)}, its id and prompt
     * cells written as {@code cells} says ({@link CsvCells}): the scan and the full ingest
     * both come here, so they neutralise alike.
     */
    public static void write(int items, PromptChunks chunks, int threads, List<MapPoint> points,
                             boolean withCorrelation, boolean withRegionP, CsvCells cells, Path file)
            throws IOException {
        // maps list their points in key order (input order): found in the list itself, without
        // checking the order first (on the critical path); had a point not been found, the
        // list was in another order, and the file is written again through an index
        PointsByKey listed = PointsByKey.listed(points);
        Columns columns = new Columns(withCorrelation, withRegionP, cells);
        if (!write(chunks, threads, listed, points.size(), columns, file)) {
            write(chunks, threads, PointsByKey.indexed(items, points), points.size(), columns, file);
        }
    }

    /** Which optional columns the file has, and how its text cells are written. */
    private record Columns(boolean correlation, boolean regionP, CsvCells cells) {

        byte[] header() {
            if (regionP) {
                return correlation ? HEADER_WITH_CORRELATION_AND_REGION_P : HEADER_WITH_REGION_P;
            }
            return correlation ? HEADER_WITH_CORRELATION : HEADER;
        }
    }

    /** Writes the file, and commits it if every point was found in {@code byKey}; returns whether it did. */
    private static boolean write(PromptChunks chunks, int threads, PointsByKey byKey, int points,
                                 Columns columns, Path file) throws IOException {
        try (AtomicFile out = new AtomicFile(file)) {
            OutputStream stream = out.stream();
            // the header as commons-csv prints it, without commons-csv: setting up its printer
            // (and the commons-io and -codec classes it loads) took 20-50 ms of a cold JVM,
            // and rows seldom need it
            stream.write(columns.header());
            if (threads <= 1) {
                Utf8Bytes rows = new Utf8Bytes(INITIAL_CHUNK_BYTES);
                ChunkRows formatter = new ChunkRows(byKey, columns);
                for (int c = 0; c < chunks.count(); c++) {
                    rows.clear();
                    formatter.format(chunks, c, rows);
                    stream.write(rows.array(), 0, rows.size());
                }
            } else {
                writeInParallel(chunks, threads, byKey, columns, stream);
            }
            stream.flush();
            if (byKey.found() != points) {
                return false; // not committed: closing deletes the file
            }
            out.commit();
            return true;
        }
    }

    private static final byte[] HEADER = "id,prompt,n,mean,variance,std,region\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADER_WITH_CORRELATION =
            "id,prompt,n,mean,variance,std,region,correlation\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADER_WITH_REGION_P =
            "id,prompt,n,mean,variance,std,region,region_p\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADER_WITH_CORRELATION_AND_REGION_P =
            "id,prompt,n,mean,variance,std,region,correlation,region_p\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A chunk's rows are some hundred kilobytes (2048 rows, in the scan). */
    private static final int INITIAL_CHUNK_BYTES = 1 << 19;

    private static void writeInParallel(PromptChunks chunks, int threads, PointsByKey byKey, Columns columns,
                                        OutputStream stream) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "admap-map-csv");
            t.setDaemon(true);
            return t;
        });
        // per thread: its cache of numbers stays warm from chunk to chunk
        ThreadLocal<ChunkRows> formatters = ThreadLocal.withInitial(() -> new ChunkRows(byKey, columns));
        // buffers written go back to the formatters, so a few are allocated in all
        Queue<Utf8Bytes> free = new ConcurrentLinkedQueue<>();
        try {
            Deque<Future<Utf8Bytes>> window = new ArrayDeque<>();
            int next = 0;
            while (next < chunks.count() || !window.isEmpty()) {
                while (next < chunks.count() && window.size() < threads * 2) {
                    int c = next++;
                    window.add(pool.submit(() -> {
                        Utf8Bytes rows = free.poll();
                        rows = rows != null ? rows : new Utf8Bytes(INITIAL_CHUNK_BYTES);
                        formatters.get().format(chunks, c, rows);
                        return rows;
                    }));
                }
                Utf8Bytes rows = await(window.poll());
                stream.write(rows.array(), 0, rows.size());
                rows.clear();
                free.add(rows);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing the map");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static final byte[][] REGION_NAMES = new byte[Region.values().length][];

    static {
        for (Region r : Region.values()) {
            REGION_NAMES[r.ordinal()] = r.cliName().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Formats the CSV rows of chunks' mapped items, UTF-8; one per thread. */
    private static final class ChunkRows implements Prompts.Row {

        private final PointsByKey.Reader byKey;
        private final boolean withCorrelation;
        private final boolean withRegionP;
        private final CsvCells cells;
        // a cache per column (mean, variance, std, correlation): means take some hundreds of
        // values, variances and deviations some ten thousands; correlations are mostly
        // distinct, and a cache of them costs more than it saves
        private final DoubleText[] caches = {new DoubleText(12), new DoubleText(13), new DoubleText(13),
                new DoubleText(0)};
        private final double[] values = new double[4];
        private final StringBuilder quoted = new StringBuilder();
        private Utf8Bytes out;

        ChunkRows(PointsByKey byKey, Columns columns) {
            this.byKey = byKey.reader();
            this.withCorrelation = columns.correlation();
            this.withRegionP = columns.regionP();
            this.cells = columns.cells();
        }

        /** Appends the rows of one chunk to {@code rows}. */
        void format(PromptChunks chunks, int chunk, Utf8Bytes rows) throws IOException {
            out = rows;
            try {
                chunks.forEach(chunk, this);
            } finally {
                out = null;
            }
        }

        @Override
        public void accept(int key, String id, String prompt) throws IOException {
            MapPoint p = byKey.get(key);
            if (p == null) {
                return;
            }
            field(cells.text(id), true, out, quoted);
            out.append(',');
            field(cells.text(prompt), false, out, quoted);
            numbers(p);
        }

        @Override
        public void acceptLiteral(int key, String id, byte[] json, int quote, int end) throws IOException {
            MapPoint p = byKey.get(key);
            if (p == null) {
                return;
            }
            field(cells.text(id), true, out, quoted);
            out.append(',');
            promptField(json, quote, end, cells, out, quoted);
            numbers(p);
        }

        /** The fields after the prompt, and the end of the row: they never need quotes. */
        private void numbers(MapPoint p) {
            out.append(',').appendInt(p.n());
            values[0] = p.mean();
            values[1] = p.variance();
            values[2] = p.std();
            values[3] = p.correlation();
            // mean, variance, std, region, correlation: the numbers in a loop, from one call
            // site, so that the formatting's code is compiled (and inlined) once, which
            // matters for the first and only run of a command; the region where it goes
            int count = withCorrelation ? 4 : 3;
            for (int c = 0; c < count; c++) {
                if (c == 3) {
                    out.append(',').appendAscii(REGION_NAMES[p.region().ordinal()]);
                }
                out.append(',');
                if (c < 3 || !Double.isNaN(values[c])) { // no correlation: an empty field
                    int at = out.size();
                    out.size(caches[c].write(values[c], out.room(at + ShortestDecimal.MAX_LENGTH), at));
                }
            }
            if (count == 3) {
                out.append(',').appendAscii(REGION_NAMES[p.region().ordinal()]);
            }
            if (withRegionP) {
                out.append(',');
                if (!Double.isNaN(p.regionP())) {
                    int at = out.size();
                    out.size(ShortestDecimal.write(p.regionP(), out.room(at + ShortestDecimal.MAX_LENGTH), at));
                }
            }
            out.append('\r').append('\n');
        }
    }

    /**
     * Writes a record's second or later field, the text of the JSON string literal at
     * {@code json[quote]}: the literal's bytes transcoded where they can be, else decoded as
     * the scan decodes it; the bytes are those of {@link #field} on the decoded text, as
     * {@code cells} writes it. A literal whose first byte could begin a formula (or an escape
     * that could be a tab or a CR) is decoded first, for {@link CsvCells} to judge.
     */
    public static void promptField(byte[] json, int quote, int end, CsvCells cells, Utf8Bytes out,
            StringBuilder scratch)
            throws IOException {
        boolean judge = cells != CsvCells.RAW && quote + 1 < end
                && (CsvCells.startsFormula(json[quote + 1]) || json[quote + 1] == '\\');
        if (judge || !JsonCsvField.append(json, quote, end, out)) {
            field(cells.text(JsonStrings.at(json, quote, end)), false, out, scratch);
        }
    }

    /**
     * Writes one field as commons-csv's RFC 4180 format does (quoted only where needed):
     * plain printable ASCII that neither starts with a character up to {@code #} nor ends
     * with a space, and holds no comma or quote, is never quoted by it, so it is copied as
     * is; anything else is formatted by commons-csv itself.
     */
    public static void field(String value, boolean first, Utf8Bytes out, StringBuilder scratch) throws IOException {
        int n = value.length();
        boolean plain = n > 0 && value.charAt(0) > '#' && value.charAt(n - 1) > ' ';
        for (int i = 0; plain && i < n; i++) {
            char c = value.charAt(i);
            plain = c >= ' ' && c < 0x7F && c != ',' && c != '"';
        }
        if (plain) {
            out.appendAscii(value);
            return;
        }
        scratch.setLength(0);
        // as the record's first field, commons-csv prints no delimiter; otherwise it prints one
        // first (written by the caller here), and its quoting rules differ between the two
        CSVFormat.RFC4180.print(value, scratch, first);
        out.appendUtf8(first ? scratch : scratch.subSequence(1, scratch.length()));
    }
}
