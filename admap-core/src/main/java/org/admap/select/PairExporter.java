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
 * Every pair of every instruction read by a {@link org.admap.ingest.DatasetReader}, chosen by
 * the data's labels, as TRL prompt/chosen/rejected lines (run as written by
 * {@code ApiExamplesTest}):
 * <pre>{@code
 * PairBuilder pairs = new PairBuilder(PairMode.ALL, PairBuilder.By.LABELS);
 * try (PairExporter out = PairExporter.create(ExportFormat.TRL, file)) {
 *     for (Item item : items) {
 *         out.write(item, null, pairs.pairs(item));    // null: no map point (TRL does not write one)
 *     }
 *     out.commit();
 * }
 * }</pre>
 * A selection from a run's map ({@code admap select}) is {@link org.admap.run.Run#select}, which
 * writes through this with each instruction's map point and a provenance file beside.
 */
public interface PairExporter extends AutoCloseable {

    /** Creates an exporter for {@code format} writing to {@code file}. */
    static PairExporter create(ExportFormat format, Path file) throws IOException {
        return switch (format) {
            case PARQUET -> new ParquetExporter(file);
            default -> new JsonExporter(format, file);
        };
    }

    /** Writes one instruction: its pairs, or for {@link ExportFormat#MULTI} the instruction itself. */
    void write(Item item, MapPoint point, List<Pair> pairs) throws IOException;

    /**
     * Writes the responses of one instruction for the unpaired format ({@link ExportFormat#KTO}),
     * each with its desirability ({@link PairBuilder#completions}).
     */
    default void writeUnpaired(Item item, MapPoint point, List<PairBuilder.Completion> completions)
            throws IOException {
        throw new IllegalStateException("this format takes pairs, not completions");
    }

    /**
     * Whether any record has an {@code images} column (prompts with images): then the
     * LLaMA-Factory entry names the column.
     */
    default boolean wroteImages() {
        return false;
    }

    /** Whether the prompts were written as chat messages (a TRL conversational file); false for text. */
    default boolean conversational() {
        return false;
    }

    /**
     * Whether {@link #encode} and {@link #encodeUnpaired} may be called on several threads at
     * once (after {@link #prepare} of the first instruction, in file order), their results
     * {@link #append}ed in order: what {@link #write} does, on every core.
     */
    default boolean encodesInParallel() {
        return false;
    }

    /** Settles what the file's first instruction decides (text or chat style); call in file order. */
    default void prepare(Item item) {
    }

    /** The records {@link #write} would write for one instruction, encoded (thread-safe). */
    default Encoded encode(Item item, MapPoint point, List<Pair> pairs) throws IOException {
        throw new UnsupportedOperationException("this format is written in order only");
    }

    /** The records {@link #writeUnpaired} would write for one instruction, encoded (thread-safe). */
    default Encoded encodeUnpaired(Item item, MapPoint point, List<PairBuilder.Completion> completions)
            throws IOException {
        throw new UnsupportedOperationException("this format is written in order only");
    }

    /** Writes what {@link #encode} made, in file order. */
    default void append(Encoded encoded) throws IOException {
        throw new UnsupportedOperationException("this format is written in order only");
    }

    /**
     * One instruction's records, encoded.
     *
     * @param bytes   the file's bytes for them
     * @param records how many records they are
     * @param images  whether any has an {@code images} column
     */
    record Encoded(byte[] bytes, long records, boolean images) {
    }

    /** Records written so far (pairs; instructions for {@link ExportFormat#MULTI} and {@link ExportFormat#LISTWISE};
     * responses for {@link ExportFormat#KTO}). */
    long records();

    /** Finishes the file and moves it into place. */
    void commit() throws IOException;

    /** Releases resources; without a prior commit, deletes the partial output. */
    @Override
    void close() throws IOException;
}
