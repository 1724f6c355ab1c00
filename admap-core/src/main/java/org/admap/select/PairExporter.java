package org.admap.select;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.admap.model.Item;
import org.admap.model.MapPoint;

/**
 * Writes selected instructions, or their preference pairs, to a file in one
 * {@link ExportFormat}. The file appears only on {@link #commit()}; closing without a
 * commit leaves nothing behind.
 * <pre>{@code
 * PairBuilder pairs = new PairBuilder(PairMode.ALL, PairBuilder.By.LABELS);
 * try (PairExporter out = PairExporter.create(ExportFormat.TRL, Path.of("high-avg.jsonl"))) {
 *     for (Item item : selected) {
 *         out.write(item, pointOf(item), pairs.pairs(item));
 *     }
 *     out.commit();
 * }
 * }</pre>
 */
public interface PairExporter extends AutoCloseable {

    /** Creates an exporter for {@code format} writing to {@code file}. */
    static PairExporter create(ExportFormat format, Path file) throws IOException {
        return switch (format) {
            case TRL, LLAMA_FACTORY, MULTI -> new JsonExporter(format, file);
            case PARQUET -> new ParquetExporter(file);
        };
    }

    /** Writes one instruction: its pairs, or for {@link ExportFormat#MULTI} the instruction itself. */
    void write(Item item, MapPoint point, List<Pair> pairs) throws IOException;

    /** Records written so far (pairs, or instructions for {@link ExportFormat#MULTI}). */
    long records();

    /** Finishes the file and moves it into place. */
    void commit() throws IOException;

    /** Releases resources; without a prior commit, deletes the partial output. */
    @Override
    void close() throws IOException;
}
