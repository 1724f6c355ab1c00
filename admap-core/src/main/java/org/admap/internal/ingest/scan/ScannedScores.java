package org.admap.internal.ingest.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.admap.ingest.Layout;
import org.admap.ingest.group.GroupingReport;
import org.admap.model.Item;
import org.admap.model.ItemScores;

/**
 * The result of a {@link ScoreScan}: per item, in input order (item key = position), its
 * id (repeated ids already renamed as the store renames them), its scores and labels, and
 * where its prompt lies in its file. Prompts are read back from the files on demand
 * ({@link #forEachPrompt}), so memory holds numbers, not texts.
 */
public final class ScannedScores implements AutoCloseable {

    private final List<Path> files;
    private final List<FileLayout> layouts;
    private final long[] rowsPerFile;
    private final GroupingReport grouping;
    private final List<List<ScannedChunk>> perFile;
    private final long renamedIds;

    private final List<ScannedChunk> chunks = new ArrayList<>();
    private final int[] firstKeys;

    private final List<Path> temporary;

    /**
     * @param files     the files to read prompts back from, one per input (for Parquet, its projection)
     * @param layouts   the layout each input was read in
     * @param rowsPerFile the rows each input held, where rows were grouped into instructions (else null)
     * @param grouping  what grouping rows did, or null when no row was grouped
     * @param temporary files the scan made, deleted by {@link #close()}
     */
    ScannedScores(List<Path> files, List<FileLayout> layouts, List<Path> temporary, List<List<ScannedChunk>> perFile,
                  long[] rowsPerFile, GroupingReport grouping, long renamedIds) {
        this.rowsPerFile = rowsPerFile == null ? null : rowsPerFile.clone();
        this.grouping = grouping;
        this.files = List.copyOf(files);
        this.layouts = List.copyOf(layouts);
        this.temporary = List.copyOf(temporary);
        this.perFile = perFile;
        this.renamedIds = renamedIds;
        perFile.forEach(chunks::addAll);
        firstKeys = new int[chunks.size()];
        int key = 0;
        for (int c = 0; c < chunks.size(); c++) {
            firstKeys[c] = key;
            key += chunks.get(c).items;
            ScannedChunk chunk = chunks.get(c);
            if (chunk.literals == null) {
                pieces.add(new int[] {c, 0, chunk.items});
            } else {
                for (int from = 0; from < chunk.items; from += PIECE) {
                    pieces.add(new int[] {c, from, Math.min(chunk.items, from + PIECE)});
                }
            }
        }
    }

    /** Items per piece when the prompts are in memory: small pieces keep the buffers of map.csv small. */
    private static final int PIECE = 2048;

    /** {chunk, first item, end item}: the units prompts are read back in. */
    private final List<int[]> pieces = new ArrayList<>();

    /**
     * The layout an input was read in, as the full ingest recognises it with the default options.
     *
     * @param description the layout in the summary's words ({@code RowLayout.description()})
     */
    public record FileLayout(Layout layout, String description) {

        /** A Parquet file in the multi-response layout (the only layout the scan reads from Parquet). */
        static final FileLayout PARQUET_MULTI = new FileLayout(Layout.MULTI, "multi-response");
    }

    /** The layout the input at {@code index} was read in. */
    public FileLayout layout(int index) {
        return layouts.get(index);
    }

    /** What grouping the long layout's rows into instructions did, or null when no row was grouped. */
    public GroupingReport grouping() {
        return grouping;
    }

    /** Rows read from the file at {@code index}. */
    public long rows(int index) {
        if (rowsPerFile != null) {
            return rowsPerFile[index];
        }
        return itemsOf(index);
    }

    /** Items (instructions) read from the file at {@code index}. */
    private long itemsOf(int index) {
        long n = 0;
        for (ScannedChunk c : perFile.get(index)) {
            n += c.items;
        }
        return n;
    }

    public long items() {
        long n = 0;
        for (int i = 0; i < files.size(); i++) {
            n += itemsOf(i);
        }
        return n;
    }

    public long responses() {
        long n = 0;
        for (List<ScannedChunk> chunks : perFile) {
            for (ScannedChunk c : chunks) {
                n += c.responses;
            }
        }
        return n;
    }

    /** Items whose id repeated an earlier one, renamed {@code id#2}, {@code id#3}, ... */
    public long renamedIds() {
        return renamedIds;
    }

    /** Whether any response has a score. */
    public boolean hasScores() {
        return any(false);
    }

    /** Whether any response has a label. */
    public boolean hasLabels() {
        return any(true);
    }

    private boolean any(boolean labels) {
        for (List<ScannedChunk> chunks : perFile) {
            for (ScannedChunk c : chunks) {
                double[] xs = labels ? c.labels : c.scores;
                for (int i = 0; i < c.responses; i++) {
                    if (!Double.isNaN(xs[i])) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether every response's label equals its score (both absent counts as equal), as the store tests it. */
    public boolean labelsEqualScores() {
        for (List<ScannedChunk> chunks : perFile) {
            for (ScannedChunk c : chunks) {
                for (int i = 0; i < c.responses; i++) {
                    double s = c.scores[i];
                    double l = c.labels[i];
                    if (Double.isNaN(s) != Double.isNaN(l) || (!Double.isNaN(s) && s != l)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The lowest and highest score (or label), NaNs when there is none. */
    public double[] range(boolean labels) {
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (List<ScannedChunk> chunks : perFile) {
            for (ScannedChunk c : chunks) {
                double[] xs = labels ? c.labels : c.scores;
                for (int i = 0; i < c.responses; i++) {
                    double x = xs[i];
                    if (!Double.isNaN(x)) {
                        lo = Double.isNaN(lo) || x < lo ? x : lo;
                        hi = Double.isNaN(hi) || x > hi ? x : hi;
                    }
                }
            }
        }
        return new double[] {lo, hi};
    }

    /** The number of chunks the items were scanned in ({@link #columns(int, boolean)}). */
    public int chunkCount() {
        return chunks.size();
    }

    /**
     * The numbers of one chunk's items as the scan keeps them, column by column: item
     * {@code i} (key {@code firstKey + i}) has the id {@code ids[i]} and the scores and
     * labels {@code scores[from, to)} and {@code labels[from, to)}, where {@code from} is
     * {@code responseEnds[i - 1]} (0 for the first) and {@code to} is {@code responseEnds[i]}.
     * The arrays are the scan's own, not copies, and may be longer than the chunk: read
     * them, never write them.
     *
     * @param scores the scores, or the labels when mapping on the labels
     */
    public record ChunkColumns(int firstKey, int items, String[] ids, int[] responseEnds, double[] scores,
                               double[] labels) {
    }

    /**
     * The numbers of one chunk's items in place, without the copies
     * {@link #forEachItem(boolean, Consumer)} makes; chunks may be read on several threads.
     *
     * @param labelsAsScores give the labels as the scores (the {@code labels} score source)
     */
    public ChunkColumns columns(int chunk, boolean labelsAsScores) {
        ScannedChunk c = chunks.get(chunk);
        return new ChunkColumns(firstKeys[chunk], c.items, c.ids, c.responseEnds, labelsAsScores ? c.labels : c.scores,
                c.labels);
    }

    /**
     * Where one chunk's texts lie and their hashes, in place (the scan's own arrays, which may
     * be longer than the chunk: read them, never write them). Per response {@code r} (indexed
     * as in {@link ChunkColumns}): its text literal's file offset and length, and its
     * {@code TextKeys.responseFilter}; per item {@code i}: its prompt's and input's literal
     * offsets (-1: no input) and the {@code TextKeys.hash64} of its full prompt, as it is and
     * normalised, and its reference's literal offset (-1: none, or null).
     *
     * @param file the index of the chunk's file among the scanned files
     */
    public record ChunkTexts(int file, long[] textOffsets, int[] textLengths, long[] textFilters,
                             long[] promptOffsets, long[] inputOffsets, long[] promptHashes,
                             long[] normalisedHashes, long[] referenceOffsets) {
    }

    /** The texts' places and hashes of one chunk, in place. */
    public ChunkTexts texts(int chunk) {
        ScannedChunk c = chunks.get(chunk);
        return new ChunkTexts(c.file, c.textOffsets, c.textLengths, c.textFilters, c.promptOffsets, c.inputOffsets,
                c.promptHashes, c.normalisedHashes, c.referenceOffsets);
    }

    /**
     * The models of one chunk's responses: response {@code r} (indexed as in
     * {@link ChunkColumns}) has the model {@code names[byResponse[r]]}, or none where
     * {@code byResponse[r]} is -1 (no model, or null), as the full ingest reads it.
     * {@code byResponse} is the scan's own array, which may be longer than the chunk: read it,
     * never write it. Two names may be equal where the input spelled one name two ways.
     */
    public record ChunkModels(int[] byResponse, String[] names) {
    }

    /** The models of one chunk's responses, their names decoded. */
    public ChunkModels models(int chunk) throws IOException {
        ScannedChunk c = chunks.get(chunk);
        String[] names = new String[c.modelCount];
        for (int m = 0; m < names.length; m++) {
            byte[] literal = c.modelLiterals[m];
            names[m] = JsonStrings.at(literal, 0, literal.length);
        }
        return new ChunkModels(c.models, names);
    }

    /**
     * Streams every item's numbers in input order.
     *
     * @param labelsAsScores map on the labels (the {@code labels} score source) instead of the scores
     */
    public void forEachItem(boolean labelsAsScores, Consumer<ItemScores> consumer) {
        int key = 0;
        for (List<ScannedChunk> chunks : perFile) {
            for (ScannedChunk c : chunks) {
                int from = 0;
                for (int i = 0; i < c.items; i++) {
                    int to = c.responseEnds[i];
                    double[] labels = Arrays.copyOfRange(c.labels, from, to);
                    double[] scores = labelsAsScores ? labels : Arrays.copyOfRange(c.scores, from, to);
                    consumer.accept(new ItemScores(key++, c.ids[i], scores, labels));
                    from = to;
                }
            }
        }
    }

    /** Receives one item's key, id and full prompt (prompt and alpaca-style input joined). */
    @FunctionalInterface
    public interface PromptConsumer {
        void accept(int key, String id, String prompt) throws IOException;

        /**
         * Receives an item whose full prompt is the text of one JSON string literal (it has
         * no alpaca-style input, or an empty one), undecoded: its opening quote at {@code json[quote]}, its end
         * before {@code end}, for consumers that use its bytes; by default it is decoded
         * ({@link JsonStrings#at}) for {@link #accept(int, String, String)}. The buffer is
         * reused after the call.
         */
        default void acceptLiteral(int key, String id, byte[] json, int quote, int end) throws IOException {
            accept(key, id, JsonStrings.at(json, quote, end));
        }

        /**
         * Receives an item with a non-empty alpaca-style input, its instruction and input apart,
         * for consumers that need them apart (the report's excerpts cut each); by default
         * joined as the full prompt ({@link Item#fullPrompt}) for {@link #accept(int, String, String)}.
         */
        default void acceptParts(int key, String id, String prompt, String input) throws IOException {
            accept(key, id, Item.fullPrompt(prompt, input));
        }
    }

    /** The number of pieces the items' prompts are read back in ({@link #forEachPrompt(int, PromptConsumer)}). */
    public int pieceCount() {
        return pieces.size();
    }

    /**
     * Gives the prompts of one piece of the items, in input order: from memory, or read back
     * from the file (only the prompts are decoded). Pieces may be read on several threads at
     * once; piece after piece, they give every item in input order.
     */
    public void forEachPrompt(int piece, PromptConsumer consumer) throws IOException {
        int chunk = pieces.get(piece)[0];
        ScannedChunk c = chunks.get(chunk);
        if (c.items == 0) {
            return;
        }
        int[] next = {0};
        int firstKey = firstKeys[chunk];
        if (c.literals != null) {
            for (int i = pieces.get(piece)[1]; i < pieces.get(piece)[2]; i++) {
                if (c.promptIsWhole(i)) {
                    consumer.acceptLiteral(firstKey + i, c.ids[i], c.literals, c.promptLiterals[i], c.literalsSize);
                } else {
                    consumer.acceptParts(firstKey + i, c.ids[i], c.promptPart(i), c.inputPart(i));
                }
            }
            return;
        }
        try (FileChannel ch = FileChannel.open(files.get(c.file), StandardOpenOption.READ)) {
            long size = ch.size();
            LineBlocks.BlockConsumer prompts = (buf, from, to, base) -> {
                try {
                    while (next[0] < c.items) {
                        int i = next[0];
                        if (c.promptOffsets[i] >= base + to) {
                            return;
                        }
                        int prompt = (int) (c.promptOffsets[i] - base);
                        int input = c.inputOffsets[i] < 0 ? -1 : (int) (c.inputOffsets[i] - base);
                        if (input < 0 || JsonStrings.isEmpty(buf, input, to)) {
                            consumer.acceptLiteral(firstKey + i, c.ids[i], buf, prompt, to);
                        } else {
                            consumer.acceptParts(firstKey + i, c.ids[i], JsonStrings.at(buf, prompt, to),
                                    JsonStrings.at(buf, input, to));
                        }
                        next[0]++;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            if (c.wholeRange) {
                WholeRanges.read(ch, c.from, c.to, (buf, length, base) -> prompts.accept(buf, 0, length, base));
            } else {
                LineBlocks.read(ch, c.from, c.to, size, prompts);
            }
        } catch (NotScannable e) {
            throw new IllegalStateException(e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (next[0] != c.items) {
            throw new IOException(files.get(c.file) + " changed while it was read: prompts are missing");
        }
    }

    /** Reads every item's prompt back from the files, in input order, on this thread. */
    public void forEachPrompt(PromptConsumer consumer) throws IOException {
        for (int p = 0; p < pieces.size(); p++) {
            forEachPrompt(p, consumer);
        }
    }

    /** Deletes the temporary files of the scan (the projections of Parquet inputs). */
    @Override
    public void close() throws IOException {
        for (Path t : temporary) {
            Files.deleteIfExists(t);
        }
    }
}
