package org.admap.internal.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import org.admap.Progress;
import org.admap.Version;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.IngestReport;
import org.admap.internal.map.MapJob;
import org.admap.internal.store.DeferredStore;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.map.AlignmentMap;
import org.admap.stats.Correlation;

/**
 * Builds the run store of a run whose map was written from a scan ({@link ScannedRun}), the
 * first time a command needs it: every command that reads the store, texts included
 * (select, score, diagnose, report, serve, compare, a map rebuild), opens its run through
 * {@link #existing}. The store is built by the full ingest from the input files, which
 * must be as they were when the map was written, and gets the same map; it is built under a
 * temporary name and moved into place, so an interrupted build leaves the run as it was.
 */
public final class StoreHydration {

    private StoreHydration() {
    }

    /** The lock file that keeps two commands from building one run's store at once. */
    public static final String LOCK_FILE = ".admap-build.lock";

    /** Opens an existing run directory, building its store first when it is deferred. */
    public static RunDirectory existing(Path dir, Progress.Factory progress) throws IOException {
        RunDirectory run = RunDirectory.existing(dir);
        if (!Files.isRegularFile(run.store()) && Files.isRegularFile(run.deferredStore())) {
            // Two commands on a new run at once: the second waits for the first's store, then uses it.
            try (FileChannel channel = FileChannel.open(run.dir().resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                RunCommit.recoverRun(run);
                if (!Files.isRegularFile(run.store()) && Files.isRegularFile(run.deferredStore())) {
                    hydrate(run, progress);
                }
            }
        }
        return run;
    }

    /** Builds the deferred store of a run. */
    public static void hydrate(RunDirectory run, Progress.Factory progress) throws IOException {
        DeferredStore note = DeferredStore.read(run.deferredStore());
        List<Path> files = note.checkedFiles();
        IngestOptions options = IngestOptions.defaults();
        Path temp = run.dir().resolve(".run-" + UUID.randomUUID() + ".duckdb.tmp");
        try (RunCommit commit = new RunCommit(run)) {
            try (RunStore store = RunStore.create(temp)) {
                store.putInfo("admap_version", Version.get());
                store.putInfo("created", java.time.Instant.now().toString());
                store.putInfo("ingest.options", options.toString());
                long t0 = System.nanoTime();
                IngestReport report = Ingest.run(files, options, store, progress);
                long t1 = System.nanoTime();
                store.putInfo(SummaryJson.INFO_BAD_ROWS, JsonFiles.MAPPER.writeValueAsString(
                        BadRowsJson.of(report.badRows(), report.notes())));
                store.putInfo(SummaryJson.INFO_RENAMED_IDS, Long.toString(report.renamedIds()));
                store.putInfo(SummaryJson.INFO_SECONDS_INGEST, String.format(java.util.Locale.ROOT, "%.3f",
                        (t1 - t0) / 1e9));
                AlignmentMap map = MapJob.run(store, note.scores(), Correlation.parse(note.correlation()));
                // a diagnosis made on the columns before the store existed: its flags go into the store
                StoreFlags.carryInto(run, store, map, commit);
            } catch (RuntimeException | IOException e) {
                Files.deleteIfExists(temp);
                Files.deleteIfExists(Path.of(temp + ".wal"));
                throw e;
            }
            Files.deleteIfExists(Path.of(temp + ".wal"));
            commit.move(temp, run.store());
            commit.delete(run.deferredStore());
            commit.commit();
        }
    }
}
