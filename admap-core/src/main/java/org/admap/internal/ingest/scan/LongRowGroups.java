package org.admap.internal.ingest.scan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.admap.ingest.group.GroupingReport;

/**
 * Gathers the scanned rows of the long layout into instructions by id, exactly as the full
 * ingest's {@code PromptGrouping} does: an instruction takes the place of its first row, its
 * responses come in row order, and its prompt, id and hashes are its first row's. The scan
 * has already joined consecutive rows of one prompt into one item ({@link PlainLongScanner}),
 * so what is grouped here are those runs.
 *
 * <p>The full ingest also merges two rows that give one response (the same text from the
 * same model) into one response whose scores are samples. The scan cannot tell two texts
 * apart without reading them, so an instruction where two responses may be one (the same
 * {@code TextKeys.responseFilter}, which equal texts have however their literals spell them)
 * is not scannable, and neither is one whose rows lie in two files (a chunk keeps one file's
 * offsets).
 */
final class LongRowGroups {

    /** What grouping gave, and the rows each file held. */
    record Grouped(List<List<ScannedChunk>> perFile, long[] rowsPerFile, GroupingReport report) {
    }

    private LongRowGroups() {
    }

    /**
     * Groups the runs of {@code perFile} (the scan's chunks per file, in input order; each
     * response one row). The lists are emptied as their chunks are used up, so that the old
     * chunks and the grouped ones are not held whole at once.
     */
    static Grouped group(List<List<ScannedChunk>> perFile) throws NotScannable {
        List<ScannedChunk> chunks = new ArrayList<>();
        perFile.forEach(chunks::addAll);
        List<List<ScannedChunk>> out = new ArrayList<>();
        for (List<ScannedChunk> f : perFile) {
            f.clear(); // the chunks are ours now, and dropped one by one below
            out.add(new ArrayList<>());
        }
        long[] rowsPerFile = new long[perFile.size()];
        int runs = 0;
        long rows = 0;
        int[] chunkStart = new int[chunks.size() + 1];
        for (int c = 0; c < chunks.size(); c++) {
            ScannedChunk chunk = chunks.get(c);
            chunkStart[c] = runs;
            runs += chunk.items;
            rows += chunk.responses;
            rowsPerFile[chunk.file] += chunk.responses;
        }
        chunkStart[chunks.size()] = runs;
        int[] runChunk = new int[runs];
        for (int c = 0; c < chunks.size(); c++) {
            Arrays.fill(runChunk, chunkStart[c], chunkStart[c + 1], c);
        }

        // each run's instruction, numbered in order of first sight; ids compared where they lie
        ScannedIds ids = new ScannedIds(chunks);
        int[] groupOf = new int[runs];
        int[] firstRun = new int[Math.max(16, runs / 2)];
        int[] sizes = new int[firstRun.length];
        int groups = 0;
        for (int r = 0; r < runs; r++) {
            int first = ids.firstWithIdOf(r);
            int g;
            if (first == r) {
                if (groups == firstRun.length) {
                    firstRun = Arrays.copyOf(firstRun, groups * 2);
                    sizes = Arrays.copyOf(sizes, groups * 2);
                }
                g = groups++;
                firstRun[g] = r;
            } else {
                g = groupOf[first];
                if (chunks.get(runChunk[first]).file != chunks.get(runChunk[r]).file) {
                    ScannedChunk chunk = chunks.get(runChunk[r]);
                    throw new NotScannable("rows of one instruction in two files ("
                            + chunk.ids[r - chunkStart[runChunk[r]]] + ")");
                }
            }
            groupOf[r] = g;
            sizes[g]++;
        }
        ids = null; // its table is done with

        // the runs of each instruction, in input order (a counting sort by instruction)
        int[] start = new int[groups + 1];
        for (int g = 0; g < groups; g++) {
            start[g + 1] = start[g] + sizes[g];
        }
        sizes = null;
        int[] next = Arrays.copyOf(start, groups);
        int[] runsOf = new int[runs];
        for (int r = 0; r < runs; r++) {
            runsOf[next[groupOf[r]]++] = r;
        }
        next = null;
        groupOf = null;

        // An instruction goes to its first run's chunk, and those of one chunk are consecutive.
        // A chunk's runs all belong to instructions first seen in it or before it, so once its
        // grouped chunk is made, no later one reads it: it is dropped.
        Set<Long> texts = new HashSet<>();
        long responses = 0;
        int g = 0;
        for (int c = 0; c < chunks.size(); c++) {
            ScannedChunk from = chunks.get(c);
            ScannedChunk to = new ScannedChunk(from.file, from.from, from.to);
            to.wholeRange = from.wholeRange;
            if (from.literals == null) {
                to.literals = null;
                to.promptLiterals = null;
                to.inputLiterals = null;
            }
            for (; g < groups && firstRun[g] < chunkStart[c + 1]; g++) {
                texts.clear();
                for (int k = start[g]; k < start[g + 1]; k++) {
                    int r = runsOf[k];
                    ScannedChunk src = chunks.get(runChunk[r]);
                    int i = r - chunkStart[runChunk[r]];
                    for (int j = i == 0 ? 0 : src.responseEnds[i - 1]; j < src.responseEnds[i]; j++) {
                        if (!texts.add(src.textFilters[j])) {
                            throw new NotScannable("instruction " + src.ids[i] + " may give one response twice,"
                                    + " which the full ingest merges into one response of several scores");
                        }
                        int model = src.models[j];
                        if (model >= 0) {
                            byte[] literal = src.modelLiterals[model];
                            model = to.model(literal, 0, literal.length);
                        }
                        to.addResponse(src.scores[j], src.labels[j], src.textOffsets[j], src.textLengths[j],
                                src.textFilters[j], model);
                    }
                }
                int i = firstRun[g] - chunkStart[c];
                if (from.literals != null) {
                    to.keepLiterals(from.literals, from.promptLiterals[i], from.inputLiterals[i], from.literalsSize,
                            null, true);
                }
                to.endItem(from.ids[i], from.promptOffsets[i], from.inputOffsets[i], from.referenceOffsets[i],
                        from.promptHashes[i], from.normalisedHashes[i]);
            }
            to.trim();
            responses += to.responses;
            out.get(from.file).add(to);
            chunks.set(c, null);
        }
        if (responses != rows) {
            throw new IllegalStateException("grouping lost rows: " + responses + " of " + rows);
        }
        return new Grouped(out, rowsPerFile, new GroupingReport(rows, groups, rows, 0, 0, null));
    }
}
