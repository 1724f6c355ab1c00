package org.admap.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.admap.Progress;
import org.admap.Version;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.IngestReport;
import org.admap.internal.csv.CsvCells;
import org.admap.internal.ingest.hub.HubDataset;
import org.admap.internal.ingest.hub.InputResolver;
import org.admap.internal.map.MapCsv;
import org.admap.internal.map.MapJob;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.map.AlignmentMap;
import org.admap.run.CreateOptions;
import org.admap.run.RunException;
import org.admap.run.RunFacts;

/**
 * Creates a run directory from input files (or Hugging Face Hub datasets, downloaded into
 * the cache first): ingest, map, {@code map.csv} and
 * {@code summary.json}. All or nothing: the store is built under a temporary name and
 * moved into place at the end, so a failure, Ctrl-C or bad input leaves no run behind
 * (and a directory this created is removed again).
 */
public final class FullIngestRun {

    /** What was built, and the Hub datasets it was built from. */
    public record Built(RunDirectory run, IngestReport ingest, AlignmentMap map, List<HubDataset.Download> downloads) {
    }

    private FullIngestRun() {
    }

    /**
     * The run directory a new run may be written to: refuses one that already holds a run
     * (unless {@code force}) and a path that is a file.
     */
    public static RunDirectory usableOutput(Path outDir, boolean force) {
        RunDirectory run = new RunDirectory(outDir);
        if (run.exists() && !force) {
            throw new RunException(outDir + " already holds a run; use --force to replace it, or"
                    + " 'admap map " + outDir + "' to rebuild its map");
        }
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new RunException(outDir + " exists and is not a directory");
        }
        return run;
    }

    /**
     * Creates a run from inputs as the command line gives them ({@link CreateOptions}): files,
     * or Hugging Face Hub datasets ({@code hf://datasets/...}), downloaded (or taken from the
     * cache) through its resolver once the output directory is known to be usable, and the
     * rows of its DuckDB query, after the inputs; map.csv's text cells written as {@code cells}
     * says. Without {@link CreateOptions#mapRequired()}, data with neither scores nor labels is
     * stored without a map (a scorer is about to give it scores); the result's map is then null.
     * One options record, not a dozen positional arguments, so that an option added later
     * needs no new overload.
     */
    public static Built create(CreateOptions o, Progress.Factory progress, CsvCells cells) throws IOException {
        List<String> inputNames = o.inputs();
        InputResolver resolver = o.resolver();
        IngestOptions options = o.ingest();
        Path outDir = o.out();
        boolean force = o.force();
        String scores = o.scores();
        String query = o.query();
        RunDirectory run = usableOutput(outDir, force);
        InputResolver.Resolved resolved;
        try {
            resolved = resolver != null ? resolver.resolve(inputNames, progress)
                    : new InputResolver.Resolved(inputNames.stream().map(Path::of).toList(), List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while downloading the inputs");
        }
        List<Path> inputs = resolved.files();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                throw new RunException(in + " is a directory; give data files (or 'admap map " + in
                        + "' alone to rebuild the map of a run)");
            }
        }
        boolean createdDir = !Files.exists(outDir);
        Files.createDirectories(outDir);
        RunCommit.recoverRun(run); // what a killed command left: a commit under way, temporaries
        Path temp = outDir.resolve(".run-" + UUID.randomUUID() + ".duckdb.tmp");
        RunCommit commit = new RunCommit(run);
        // Ctrl-C or SIGTERM: the new run is not there until its commit is recorded; after, it is.
        Thread cleanup = new Thread(() -> {
            if (!commit.recorded()) {
                deleteQuietly(temp, outDir, createdDir);
            }
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean done = false;
        try (commit) {
            IngestReport report;
            AlignmentMap map;
            try (RunStore store = RunStore.create(temp)) {
                store.putInfo("admap_version", Version.get());
                store.putInfo("created", java.time.Instant.now().toString());
                store.putInfo("ingest.options", options.toString());
                if (query != null) {
                    store.putInfo("ingest.query", query);
                }
                for (var info : resolved.provenance().entrySet()) {
                    store.putInfo(info.getKey(), info.getValue());
                }
                long t0 = System.nanoTime();
                report = Ingest.run(inputs, query, options, store, progress);
                long t1 = System.nanoTime();
                store.putInfo(SummaryJson.INFO_BAD_ROWS, JsonFiles.MAPPER.writeValueAsString(
                        BadRowsJson.of(report.badRows(), report.notes())));
                store.putInfo(SummaryJson.INFO_RENAMED_IDS, Long.toString(report.renamedIds()));
                if (report.grouping() != null || !report.sources().isEmpty()) {
                    store.putInfo(SummaryJson.INFO_GROUPING, SummaryJson.groupingJson(report.grouping(),
                            new java.util.TreeMap<>(report.sources())));
                }
                store.putInfo(SummaryJson.INFO_SECONDS_INGEST, seconds(t1 - t0));
                if (!o.mapRequired() && scores == null && store.scoreSources().isEmpty()) {
                    map = null;
                } else {
                    String source = scores != null ? scores : MapJob.defaultSource(store);
                    map = MapJob.run(store, source, o.correlation(), o.stability());
                    long t2 = System.nanoTime();
                    MapCsv.write(store, map.points(), map.provenance().correlation() != null,
                            map.stability() != null, cells, commit.stage(run.mapCsv()));
                    long t3 = System.nanoTime();
                    store.putInfo(SummaryJson.INFO_SECONDS_MAP, seconds(t2 - t1));
                    store.putInfo(SummaryJson.INFO_SECONDS_CSV, seconds(t3 - t2));
                    SummaryJson.write(commit.stage(run.summaryJson()),
                            SummaryJson.of(RunFacts.of(store, map.provenance().scoreSource()), map));
                }
            }
            Files.deleteIfExists(Path.of(temp + ".wal"));
            // One commit point: the old run (if --force replaces one) stays whole until then.
            commit.move(temp, run.store());
            commit.delete(Path.of(run.store() + ".wal"));
            commit.delete(run.deferredStore()); // a replaced run's note of a store still to build
            if (force) {
                run.derivedOutputs().forEach(commit::delete);
                run.inputCopies().forEach(commit::delete); // a scanned run's decompressed inputs: stale now
                if (map == null) {
                    commit.delete(run.mapCsv());
                    commit.delete(run.summaryJson());
                }
            }
            commit.commit();
            done = true;
            return new Built(run, report, map, resolved.downloads());
        } finally {
            if (!done && !commit.recorded()) {
                deleteQuietly(temp, outDir, createdDir);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will run; nothing to undo
            }
        }
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e9);
    }

    private static void deleteQuietly(Path temp, Path dir, boolean removeDir) {
        try {
            Files.deleteIfExists(temp);
            Files.deleteIfExists(Path.of(temp + ".wal"));
            if (removeDir) {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isEmpty()) {
                        Files.deleteIfExists(dir);
                    }
                }
            }
        } catch (IOException ignored) {
            // best effort: a leftover hidden temp file is harmless
        }
    }
}
