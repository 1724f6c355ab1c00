package org.admap.map;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.admap.model.MapPoint;
import org.admap.store.AtomicFile;
import org.admap.store.RunStore;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes {@code map.csv}: one row per mapped instruction, in input order, with the columns
 * {@code id,prompt,n,mean,variance,std,region} and {@code correlation} when the map has
 * one. Numbers are written in full precision (shortest exact form), so the file
 * reproduces the map exactly. RFC 4180 quoting keeps multi-line prompts intact.
 */
public final class MapCsv {

    private MapCsv() {
    }

    /** Writes the map of a run, its prompts read from the store. */
    public static void write(RunStore store, List<MapPoint> points, boolean withCorrelation, Path file)
            throws IOException {
        write((int) store.itemCount(), row -> {
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
        }, points, withCorrelation, file);
    }

    /** Every item's key, id and full prompt, in key order (input order). */
    @FunctionalInterface
    public interface Prompts {
        void forEach(Row row) throws IOException;

        /** One item. */
        @FunctionalInterface
        interface Row {
            void accept(int key, String id, String prompt) throws IOException;
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
        write(items, new PromptChunks() {
            @Override
            public int count() {
                return 1;
            }

            @Override
            public void forEach(int chunk, Prompts.Row row) throws IOException {
                prompts.forEach(row);
            }
        }, 1, points, withCorrelation, file);
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
        MapPoint[] byKey = new MapPoint[items];
        for (MapPoint p : points) {
            byKey[p.key()] = p;
        }
        String[] header = withCorrelation
                ? new String[] {"id", "prompt", "n", "mean", "variance", "std", "region", "correlation"}
                : new String[] {"id", "prompt", "n", "mean", "variance", "std", "region"};
        try (AtomicFile out = new AtomicFile(file)) {
            OutputStream stream = out.stream();
            Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(header).get());
            csv.flush();
            if (threads <= 1) {
                for (int c = 0; c < chunks.count(); c++) {
                    stream.write(rows(chunks, c, byKey, withCorrelation));
                }
            } else {
                writeInParallel(chunks, threads, byKey, withCorrelation, stream);
            }
            stream.flush();
            out.commit();
        }
    }

    private static void writeInParallel(PromptChunks chunks, int threads, MapPoint[] byKey, boolean withCorrelation,
                                        OutputStream stream) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "admap-map-csv");
            t.setDaemon(true);
            return t;
        });
        try {
            Deque<Future<byte[]>> window = new ArrayDeque<>();
            int next = 0;
            while (next < chunks.count() || !window.isEmpty()) {
                while (next < chunks.count() && window.size() < threads * 2) {
                    int c = next++;
                    window.add(pool.submit(() -> rows(chunks, c, byKey, withCorrelation)));
                }
                stream.write(await(window.poll()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] await(Future<byte[]> f) throws IOException {
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

    /** The CSV rows of one chunk's mapped items, UTF-8. */
    private static byte[] rows(PromptChunks chunks, int chunk, MapPoint[] byKey, boolean withCorrelation)
            throws IOException {
        Utf8Bytes out = new Utf8Bytes(1 << 16);
        StringBuilder quoted = new StringBuilder();
        DoubleText numbers = new DoubleText();
        chunks.forEach(chunk, (key, id, prompt) -> {
            MapPoint p = byKey[key];
            if (p == null) {
                return;
            }
            field(id, true, out, quoted);
            out.append(',');
            field(prompt, false, out, quoted);
            // the other fields never need quotes: numbers, region names, an empty correlation
            out.append(',').appendAscii(Integer.toString(p.n()))
                    .append(',').appendAscii(numbers.of(p.mean()))
                    .append(',').appendAscii(numbers.of(p.variance()))
                    .append(',').appendAscii(numbers.of(p.std()))
                    .append(',').appendAscii(p.region().cliName());
            if (withCorrelation) {
                out.append(',');
                if (!Double.isNaN(p.correlation())) {
                    out.appendAscii(numbers.of(p.correlation()));
                }
            }
            out.append('\r').append('\n');
        });
        return out.toArray();
    }

    /**
     * Writes one field as commons-csv's RFC 4180 format does (quoted only where needed):
     * plain printable ASCII that neither starts with a character up to {@code #} nor ends
     * with a space, and holds no comma or quote, is never quoted by it, so it is copied as
     * is; anything else is formatted by commons-csv itself.
     */
    private static void field(String value, boolean first, Utf8Bytes out, StringBuilder scratch) throws IOException {
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
