package org.admap.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A run directory and the files admap keeps in it: the run store and the outputs derived
 * from it.
 *
 * @param dir the directory
 */
public record RunDirectory(Path dir) {

    /** Opens an existing run directory; fails with a hint when there is no run there. */
    public static RunDirectory existing(Path dir) {
        RunDirectory run = new RunDirectory(dir);
        if (!Files.isDirectory(dir)) {
            throw new StoreException(dir + ": no such run directory (create one with 'admap map INPUT --out "
                    + dir + "')");
        }
        if (!run.exists()) {
            // a scanned run has no store yet, only the note of it: name both, as a map killed midway leaves neither
            throw new StoreException(dir + " is not an admap run: no map has finished there (it has neither "
                    + RunStore.FILE_NAME + " nor " + DeferredStore.FILE_NAME + "; create one with 'admap map INPUT"
                    + " --out " + dir + "')");
        }
        return run;
    }

    /** Whether the directory holds a run: a run store, or the note of a store still to be built. */
    public boolean exists() {
        return Files.isRegularFile(store()) || Files.isRegularFile(deferredStore());
    }

    /**
     * The note {@code admap map} leaves when it wrote the map from a scan and left the
     * store to be built when first needed ({@link DeferredStore}).
     */
    public Path deferredStore() {
        return dir.resolve(DeferredStore.FILE_NAME);
    }

    public Path store() {
        return dir.resolve(RunStore.FILE_NAME);
    }

    /** One row per mapped instruction. */
    public Path mapCsv() {
        return dir.resolve("map.csv");
    }

    /** Counts, ranges and provenance of the run and its map. */
    public Path summaryJson() {
        return dir.resolve("summary.json");
    }

    /** Flagged instructions. */
    public Path flagsCsv() {
        return dir.resolve("flags.csv");
    }

    /**
     * The flags of a diagnosis made on the columns, waiting for the store to be built (they
     * go into it then; see {@code org.admap.internal.run.StoreFlags}).
     */
    public Path storeFlags() {
        return dir.resolve(".flags-for-store.bin");
    }

    /** The same as JSON lines, as an older admap wrote them: still read, and deleted with the others. */
    public Path storeFlagsJsonLines() {
        return dir.resolve(".flags-for-store.jsonl");
    }

    /** Counts and thresholds of the diagnosis. */
    public Path diagnosisJson() {
        return dir.resolve("diagnosis.json");
    }

    /** After {@code diagnose --inject-flips}: every flippable instruction, whether it was flipped and flagged. */
    public Path flipsCsv() {
        return dir.resolve("flips.csv");
    }

    /** The output of {@code compare} (by default). */
    public Path compareJson() {
        return dir.resolve("compare.json");
    }

    /** The map drawn as a picture. */
    public Path mapPng() {
        return dir.resolve("map.png");
    }

    /** The map drawn as a vector picture. */
    public Path mapSvg() {
        return dir.resolve("map.svg");
    }

    /** The interactive map: one self-contained HTML file. */
    public Path reportHtml() {
        return dir.resolve("report.html");
    }

    /** Where the web viewer writes the selections it exports. */
    public Path exportsDir() {
        return dir.resolve("exports");
    }

    /**
     * The copy of input {@code i} that a scanned map keeps, from which the run reads its
     * texts back by offset: a gzip input decompressed, a CSV or TSV table's records as JSON lines.
     */
    public Path inputCopy(int i) {
        return dir.resolve("input-" + i + ".jsonl");
    }

    /** The copies of inputs in the run directory. */
    public List<Path> inputCopies() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().matches("input-\\d+\\.jsonl")).sorted().toList();
        }
    }

    /** The outputs derived from the map, which a new map makes stale. */
    public List<Path> derivedOutputs() {
        return List.of(flagsCsv(), storeFlags(), storeFlagsJsonLines(), diagnosisJson(), flipsCsv(), mapPng(),
                mapSvg(), reportHtml());
    }

    /** Deletes the outputs derived from the map. */
    public void deleteDerivedOutputs() throws IOException {
        for (Path p : derivedOutputs()) {
            Files.deleteIfExists(p);
        }
    }
}
