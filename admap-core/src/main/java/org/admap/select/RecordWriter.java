package org.admap.select;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.admap.internal.store.KeyedItem;
import org.admap.model.MapPoint;

/**
 * Turns the selected instructions, in key order, into an export's records: each one's pairs
 * (or completions) and their encoding made a batch at a time on every core, when the exporter
 * allows it ({@link PairExporter#encodesInParallel}), and written in order; one at a time
 * otherwise. The file is the same either way.
 */
final class RecordWriter {

    /** Instructions encoded at once: enough to keep every core busy, few enough to hold. */
    private static final int BATCH = 2048;

    private final PairExporter exporter;
    private final ExportFormat format;
    private final PairBuilder builder;
    private final MapPoint[] points; // by key
    private final List<KeyedItem> batch = new ArrayList<>(BATCH);
    private int withoutPairs;

    RecordWriter(PairExporter exporter, ExportFormat format, PairBuilder builder, MapPoint[] points) {
        this.exporter = exporter;
        this.format = format;
        this.builder = builder;
        this.points = points;
    }

    /** Takes the next instruction in file order. */
    void add(KeyedItem item) throws IOException {
        if (!exporter.encodesInParallel()) {
            Encoding e = encoding(item);
            withoutPairs += e.withoutPairs ? 1 : 0;
            if (format == ExportFormat.KTO) {
                exporter.writeUnpaired(item.item(), points[item.key()], e.completions);
            } else {
                exporter.write(item.item(), points[item.key()], e.pairs);
            }
            return;
        }
        batch.add(item);
        if (batch.size() == BATCH) {
            flush();
        }
    }

    /** Writes what is held. */
    void flush() throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        exporter.prepare(batch.get(0).item());
        PairExporter.Encoded[] encoded = new PairExporter.Encoded[batch.size()];
        boolean[] none = new boolean[batch.size()];
        try {
            IntStream.range(0, batch.size()).parallel().forEach(i -> {
                KeyedItem ki = batch.get(i);
                Encoding e = encoding(ki);
                none[i] = e.withoutPairs;
                try {
                    encoded[i] = format == ExportFormat.KTO
                            ? exporter.encodeUnpaired(ki.item(), points[ki.key()], e.completions)
                            : exporter.encode(ki.item(), points[ki.key()], e.pairs);
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            });
        } catch (UncheckedIOException x) {
            throw x.getCause();
        }
        for (int i = 0; i < encoded.length; i++) {
            exporter.append(encoded[i]);
            withoutPairs += none[i] ? 1 : 0;
        }
        batch.clear();
    }

    /** Selected instructions that gave no record. */
    int withoutPairs() {
        return withoutPairs;
    }

    private Encoding encoding(KeyedItem ki) {
        if (format == ExportFormat.KTO) {
            List<PairBuilder.Completion> completions = builder.completions(ki.item());
            return new Encoding(List.of(), completions, completions.isEmpty());
        }
        List<Pair> pairs = format.holdsPairs() ? builder.pairs(ki.item()) : List.of();
        return new Encoding(pairs, List.of(), format.holdsPairs() && pairs.isEmpty());
    }

    /** An instruction's pairs or completions, and whether it gave none. */
    private record Encoding(List<Pair> pairs, List<PairBuilder.Completion> completions, boolean withoutPairs) {
    }
}
