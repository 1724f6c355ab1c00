package org.admap.internal.ingest.scan;

import java.util.Arrays;

/**
 * What the scan keeps of the rows of one byte range, column by column in primitive arrays:
 * per item its id, where its prompt (and alpaca-style input) lie in the file, and its
 * responses' scores and labels. No response text is ever decoded or kept.
 */
final class ScannedChunk {

    /** The file (its index in the scan) and the byte range the chunk's lines start in. */
    final int file;
    long from;
    long to;
    /**
     * Whether the chunk's rows lie wholly in {@code [from, to)} and are read back as that one
     * range (a JSON array's elements, a table's copy), not as blocks of lines: a one-line
     * array has no line end to cut a block at.
     */
    boolean wholeRange;

    ScannedChunk(int file, long from, long to) {
        this.file = file;
        this.from = from;
        this.to = to;
    }

    int items;
    String[] ids = new String[1024];
    long[] promptOffsets = new long[1024];
    long[] inputOffsets = new long[1024];
    /** Per item: the file offset of its reference's string literal, or -1 where it has none (or null). */
    long[] referenceOffsets = new long[1024];
    int[] responseEnds = new int[1024];
    int responses;
    double[] scores = new double[4096];
    double[] labels = new double[4096];
    /**
     * Per response: where its text's JSON string literal lies in the file (the opening quote's
     * offset and the literal's length, quotes included) and its {@code TextKeys.responseFilter}.
     */
    long[] textOffsets = new long[4096];
    int[] textLengths = new int[4096];
    long[] textFilters = new long[4096];
    /** Per response: its model, an index into {@link #modelLiterals}, or -1 where it has none (or null). */
    int[] models = new int[4096];
    /**
     * The chunk's distinct model literals (raw bytes, quotes included), in order of first
     * sight: models are few, so each response keeps an index and no string is made in the scan.
     * A line left to the general parser may leave an entry no response uses.
     */
    byte[][] modelLiterals = new byte[8][];
    int modelCount;
    private int[] modelHashes = new int[8];
    /** Open addressing over the literals' hashes: entry index + 1, 0 for a free slot. */
    private int[] modelTable = new int[32];
    /** Per item: the hashes ({@code TextKeys.hash64}) of its full prompt, as it is and normalised. */
    long[] promptHashes = new long[1024];
    long[] normalisedHashes = new long[1024];

    /**
     * The JSON string literals of the items' prompts and inputs, as raw bytes, kept while the
     * budget lasts so that {@code map.csv} needs no second pass over the file; null once
     * dropped (the prompts are then read back from the file). Always kept for gzip input,
     * which cannot be read back without decompressing it again.
     */
    byte[] literals = new byte[1 << 16];
    int literalsSize;
    /** Per item: where its prompt literal starts in {@link #literals}, and its input literal (or -1). */
    int[] promptLiterals = new int[1024];
    int[] inputLiterals = new int[1024];

    /**
     * Keeps the literals of the item being ended, taking their size from the budget; drops
     * every kept literal of this chunk when the budget is spent (unless {@code always}).
     */
    void keepLiterals(byte[] buf, int promptQuote, int inputQuote, int end, PromptBudget budget, boolean always) {
        if (literals == null) {
            return;
        }
        int promptLength = JsonStrings.literalLength(buf, promptQuote, end);
        int inputLength = inputQuote < 0 ? 0 : JsonStrings.literalLength(buf, inputQuote, end);
        if (!always && !budget.take(promptLength + inputLength)) {
            budget.giveBack(literalsSize);
            literals = null;
            promptLiterals = null;
            inputLiterals = null;
            return;
        }
        if (items == promptLiterals.length) {
            promptLiterals = Arrays.copyOf(promptLiterals, Math.max(1024, items * 2));
            inputLiterals = Arrays.copyOf(inputLiterals, Math.max(1024, items * 2));
        }
        if (literalsSize + promptLength + inputLength > literals.length) {
            literals = Arrays.copyOf(literals, Math.max(literals.length * 2, literalsSize + promptLength
                    + inputLength));
        }
        promptLiterals[items] = literalsSize;
        System.arraycopy(buf, promptQuote, literals, literalsSize, promptLength);
        literalsSize += promptLength;
        if (inputQuote < 0) {
            inputLiterals[items] = -1;
        } else {
            inputLiterals[items] = literalsSize;
            System.arraycopy(buf, inputQuote, literals, literalsSize, inputLength);
            literalsSize += inputLength;
        }
    }

    /** The full prompt of item {@code i} from the kept literals. */
    String prompt(int i) throws java.io.IOException {
        return org.admap.model.Item.fullPrompt(promptPart(i), inputLiterals[i] < 0 ? null : inputPart(i));
    }

    /** Item {@code i}'s kept instruction, without its input. */
    String promptPart(int i) throws java.io.IOException {
        return JsonStrings.at(literals, promptLiterals[i], literalsSize);
    }

    /** Item {@code i}'s kept alpaca-style input, empty when it has none. */
    String inputPart(int i) throws java.io.IOException {
        return inputLiterals[i] < 0 ? "" : JsonStrings.at(literals, inputLiterals[i], literalsSize);
    }

    /** Whether item {@code i}'s kept prompt literal is its full prompt: no alpaca-style input, or an empty one. */
    boolean promptIsWhole(int i) {
        int input = inputLiterals[i];
        return input < 0 || JsonStrings.isEmpty(literals, input, literalsSize);
    }

    /**
     * Adds a response.
     *
     * @param textOffset the file offset of its text literal's opening quote
     * @param textLength the literal's length in bytes, quotes included
     */
    void addResponse(double score, double label, long textOffset, int textLength, long textFilter, int model) {
        if (responses == scores.length) {
            int n = Math.max(4096, responses * 2);
            models = Arrays.copyOf(models, n);
            scores = Arrays.copyOf(scores, n);
            labels = Arrays.copyOf(labels, n);
            textOffsets = Arrays.copyOf(textOffsets, n);
            textLengths = Arrays.copyOf(textLengths, n);
            textFilters = Arrays.copyOf(textFilters, n);
        }
        scores[responses] = score;
        labels[responses] = label;
        textOffsets[responses] = textOffset;
        textLengths[responses] = textLength;
        textFilters[responses] = textFilter;
        models[responses] = model;
        responses++;
    }

    /**
     * The index of the model whose JSON string literal is {@code buf[quote, close)} (quotes
     * included) among the chunk's {@link #modelLiterals}, added on first sight. Literals are
     * told apart by their bytes: two spellings of one name (an escape) are two entries here,
     * and one once decoded ({@link ScannedScores#models}).
     */
    int model(byte[] buf, int quote, int close) {
        int h = 1;
        for (int i = quote + 1; i < close - 1; i++) {
            h = 31 * h + buf[i];
        }
        int mask = modelTable.length - 1;
        int slot = (h ^ (h >>> 16)) & mask;
        while (true) {
            int e = modelTable[slot];
            if (e == 0) {
                break;
            }
            byte[] lit = modelLiterals[e - 1];
            if (modelHashes[e - 1] == h && Arrays.equals(lit, 0, lit.length, buf, quote, close)) {
                return e - 1;
            }
            slot = (slot + 1) & mask;
        }
        if (modelCount == modelLiterals.length) {
            modelLiterals = Arrays.copyOf(modelLiterals, modelCount * 2);
            modelHashes = Arrays.copyOf(modelHashes, modelCount * 2);
        }
        int index = modelCount++;
        modelLiterals[index] = Arrays.copyOfRange(buf, quote, close);
        modelHashes[index] = h;
        modelTable[slot] = index + 1;
        if (2 * modelCount > modelTable.length) {
            int[] table = new int[modelTable.length * 2];
            int m = table.length - 1;
            for (int k = 0; k < modelCount; k++) {
                int hk = modelHashes[k];
                int s = (hk ^ (hk >>> 16)) & m;
                while (table[s] != 0) {
                    s = (s + 1) & m;
                }
                table[s] = k + 1;
            }
            modelTable = table;
        }
        return index;
    }

    /**
     * Cuts every column to the rows it holds, once the chunk's range is scanned. The columns
     * grow by doubling, so a finished chunk held up to twice what it needs, and the scan keeps
     * every chunk until the map is written: 5M x 4 (6.6 GB) did not fit in 2.5 GB of heap.
     */
    void trim() {
        ids = Arrays.copyOf(ids, items);
        referenceOffsets = Arrays.copyOf(referenceOffsets, items);
        promptOffsets = Arrays.copyOf(promptOffsets, items);
        inputOffsets = Arrays.copyOf(inputOffsets, items);
        responseEnds = Arrays.copyOf(responseEnds, items);
        promptHashes = Arrays.copyOf(promptHashes, items);
        normalisedHashes = Arrays.copyOf(normalisedHashes, items);
        models = Arrays.copyOf(models, responses);
        scores = Arrays.copyOf(scores, responses);
        labels = Arrays.copyOf(labels, responses);
        textOffsets = Arrays.copyOf(textOffsets, responses);
        textLengths = Arrays.copyOf(textLengths, responses);
        textFilters = Arrays.copyOf(textFilters, responses);
        if (literals != null) {
            literals = Arrays.copyOf(literals, literalsSize);
            promptLiterals = Arrays.copyOf(promptLiterals, items);
            inputLiterals = Arrays.copyOf(inputLiterals, items);
        }
    }

    /**
     * Moves every recorded offset by {@code delta}: the chunk was read from a buffer of
     * {@code length} bytes that lands at {@code delta} in the file the texts are read back
     * from (a CSV range's copy), which is then the chunk's range.
     */
    void shift(long delta, long length) {
        from = delta;
        to = delta + length;
        wholeRange = true;
        for (int i = 0; i < items; i++) {
            promptOffsets[i] += delta;
            if (inputOffsets[i] >= 0) {
                inputOffsets[i] += delta;
            }
            if (referenceOffsets[i] >= 0) {
                referenceOffsets[i] += delta;
            }
        }
        for (int r = 0; r < responses; r++) {
            textOffsets[r] += delta;
        }
    }

    /** Makes the responses added since the last item ended part of that item (rows of one instruction in a row). */
    void extendLastItem() {
        responseEnds[items - 1] = responses;
    }

    void endItem(String id, long promptOffset, long inputOffset, long referenceOffset, long promptHash,
                 long normalisedHash) {
        if (items == ids.length) {
            int n = Math.max(1024, items * 2);
            ids = Arrays.copyOf(ids, n);
            referenceOffsets = Arrays.copyOf(referenceOffsets, n);
            promptOffsets = Arrays.copyOf(promptOffsets, n);
            inputOffsets = Arrays.copyOf(inputOffsets, n);
            responseEnds = Arrays.copyOf(responseEnds, n);
            promptHashes = Arrays.copyOf(promptHashes, n);
            normalisedHashes = Arrays.copyOf(normalisedHashes, n);
        }
        promptHashes[items] = promptHash;
        normalisedHashes[items] = normalisedHash;
        ids[items] = id;
        promptOffsets[items] = promptOffset;
        inputOffsets[items] = inputOffset;
        referenceOffsets[items] = referenceOffset;
        responseEnds[items] = responses;
        items++;
    }
}
