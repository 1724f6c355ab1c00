package org.admap.ingest.scan;

import java.util.Arrays;

/**
 * What the scan keeps of the rows of one byte range, column by column in primitive arrays:
 * per item its id, where its prompt (and alpaca-style input) lie in the file, and its
 * responses' scores and labels. No response text is ever decoded or kept.
 */
final class ScannedChunk {

    /** The file (its index in the scan) and the byte range the chunk's lines start in. */
    final int file;
    final long from;
    final long to;

    ScannedChunk(int file, long from, long to) {
        this.file = file;
        this.from = from;
        this.to = to;
    }

    int items;
    String[] ids = new String[1024];
    long[] promptOffsets = new long[1024];
    long[] inputOffsets = new long[1024];
    int[] responseEnds = new int[1024];
    int responses;
    double[] scores = new double[4096];
    double[] labels = new double[4096];

    /** The items' full prompts, kept when the file cannot be read again cheaply (gzip); null otherwise. */
    String[] prompts;

    /** Decodes and keeps the items' full prompts from the block they were scanned in. */
    void keepPrompts(byte[] buf, long base, int end) throws java.io.IOException {
        prompts = new String[items];
        for (int i = 0; i < items; i++) {
            String prompt = JsonStrings.at(buf, (int) (promptOffsets[i] - base), end);
            String input = inputOffsets[i] < 0 ? null : JsonStrings.at(buf, (int) (inputOffsets[i] - base), end);
            prompts[i] = org.admap.model.Item.fullPrompt(prompt, input);
        }
    }

    void addResponse(double score, double label) {
        if (responses == scores.length) {
            scores = Arrays.copyOf(scores, responses * 2);
            labels = Arrays.copyOf(labels, responses * 2);
        }
        scores[responses] = score;
        labels[responses] = label;
        responses++;
    }

    void endItem(String id, long promptOffset, long inputOffset) {
        if (items == ids.length) {
            int n = items * 2;
            ids = Arrays.copyOf(ids, n);
            promptOffsets = Arrays.copyOf(promptOffsets, n);
            inputOffsets = Arrays.copyOf(inputOffsets, n);
            responseEnds = Arrays.copyOf(responseEnds, n);
        }
        ids[items] = id;
        promptOffsets[items] = promptOffset;
        inputOffsets[items] = inputOffset;
        responseEnds[items] = responses;
        items++;
    }
}
