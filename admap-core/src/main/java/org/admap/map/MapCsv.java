package org.admap.map;

import java.io.IOException;
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
        MapPoint[] byKey = new MapPoint[items];
        for (MapPoint p : points) {
            byKey[p.key()] = p;
        }
        String[] header = withCorrelation
                ? new String[] {"id", "prompt", "n", "mean", "variance", "std", "region", "correlation"}
                : new String[] {"id", "prompt", "n", "mean", "variance", "std", "region"};
        try (AtomicFile out = new AtomicFile(file)) {
            Writer writer = new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(header).get());
            prompts.forEach((key, id, prompt) -> {
                MapPoint p = byKey[key];
                if (p == null) {
                    return;
                }
                csv.print(id);
                csv.print(prompt);
                csv.print(p.n());
                csv.print(Double.toString(p.mean()));
                csv.print(Double.toString(p.variance()));
                csv.print(Double.toString(p.std()));
                csv.print(p.region().cliName());
                if (withCorrelation) {
                    csv.print(Double.isNaN(p.correlation()) ? "" : Double.toString(p.correlation()));
                }
                csv.println();
            });
            csv.flush();
            out.commit();
        }
    }
}
