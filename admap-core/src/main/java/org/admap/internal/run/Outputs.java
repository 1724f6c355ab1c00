package org.admap.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.admap.internal.store.DeferredStore;
import org.admap.internal.store.InputFileRecord;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.StoreException;
import org.admap.run.Run;
import org.admap.run.RunException;

/**
 * The one rule for files a command writes where the user says ({@code --out}, {@code --html}):
 * never a file of a run (its store, map, flags, summary, report...) nor one of the inputs a
 * run was read from, whatever the options; and an existing file only with {@code --force},
 * in every command alike. Without it, {@code select RUN --out RUN/run.duckdb} wrote pairs
 * over the store and every stored score was lost.
 */
public final class Outputs {

    private Outputs() {
    }

    /** Checks that {@code out} may be written for a command on {@code run}. */
    public static void check(Run run, Path out, boolean force) throws IOException {
        check(run.directory(), out, force, Set.of());
    }

    /**
     * Checks that {@code out} may be written for a command on {@code run}.
     *
     * @param own the run's files this command writes itself by default (the report's
     *            report.html), which it may write again without {@code --force}
     */
    public static void check(RunDirectory run, Path out, boolean force, Set<Path> own) throws IOException {
        Path target = canonical(out);
        for (Path p : own) {
            if (canonical(p).equals(target)) {
                return;
            }
        }
        String what = runFile(run, target);
        if (what == null && target.getParent() != null) {
            what = runFile(new RunDirectory(target.getParent()), target);
        }
        if (what != null) {
            throw new RunException("refusing to write " + out + ": it is " + what + "; choose another file");
        }
        for (Path input : inputs(run)) {
            if (canonical(input).equals(target)) {
                throw new RunException("refusing to write " + out + ": it is an input of the run in " + run.dir()
                        + "; choose another file");
            }
        }
        if (Files.isDirectory(out)) {
            throw new RunException(out + " is a directory; give a file name");
        }
        if (Files.exists(out) && !force) {
            throw new RunException(out + " already exists; use --force to replace it, or choose another file");
        }
        RunCommit.deleteTemporariesOf(out); // what a killed writer of this file left beside it
    }

    /** What {@code target} is to the run in {@code dir} ("the run store of run/"), or null when it is not its. */
    private static String runFile(RunDirectory dir, Path target) throws IOException {
        if (!dir.exists()) {
            return null;
        }
        List<Path> files = new ArrayList<>(List.of(dir.store(), Path.of(dir.store() + ".wal"), dir.deferredStore(),
                dir.mapCsv(), dir.summaryJson(), dir.compareJson(),
                dir.dir().resolve(org.admap.internal.columns.RunColumns.FILE),
                dir.dir().resolve(org.admap.internal.columns.PromptExcerpts.FILE)));
        files.addAll(dir.derivedOutputs());
        files.addAll(dir.inputCopies());
        for (Path f : files) {
            if (canonical(f).equals(target)) {
                return (f.equals(dir.store()) ? "the run store" : "a file") + " of the run in " + dir.dir() + " ("
                        + f.getFileName() + ")";
            }
        }
        return null;
    }

    /** The run's input files, as far as it knows them. */
    private static List<Path> inputs(RunDirectory run) throws IOException {
        List<Path> inputs = new ArrayList<>();
        if (Files.isRegularFile(run.deferredStore())) {
            DeferredStore.read(run.deferredStore()).inputs().forEach(in -> inputs.add(Path.of(in.path())));
        }
        if (Files.isRegularFile(run.store())) {
            try (RunStore store = RunStore.open(run.store())) {
                for (InputFileRecord r : store.inputs()) {
                    inputs.add(Path.of(r.path()));
                }
            } catch (StoreException e) {
                // a store that cannot be opened is reported by the command itself
            }
        }
        return inputs;
    }

    private static Path canonical(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            return abs.toRealPath();
        }
        Path parent = abs.getParent();
        return parent != null && Files.exists(parent) ? parent.toRealPath().resolve(abs.getFileName()) : abs;
    }
}
