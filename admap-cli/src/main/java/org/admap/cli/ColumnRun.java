package org.admap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.admap.columns.InputChangedException;
import org.admap.columns.InputTexts;
import org.admap.columns.RunColumns;
import org.admap.store.RunDirectory;

/**
 * When a command takes the fast way on a run's columns ({@link RunColumns}) instead of
 * building the run store: the run was made by a scan (its store is still deferred) and has
 * its columns. Once the store exists (built for a command that needs it, or made by the
 * full ingest) the store is the run's truth and the columns are left alone.
 */
final class ColumnRun {

    private ColumnRun() {
    }

    /** Whether the run directory's commands can read its columns. */
    static boolean usable(Path dir) {
        RunDirectory run = new RunDirectory(dir);
        return Files.isRegularFile(dir.resolve(RunColumns.FILE)) && !Files.exists(run.store())
                && Files.isRegularFile(run.deferredStore());
    }

    /** Opens the inputs' texts; a missing or changed input is a user error naming the file. */
    static InputTexts texts(RunColumns columns) throws IOException {
        return checked(() -> new InputTexts(columns));
    }

    /** Work that reads texts from the inputs. */
    @FunctionalInterface
    interface TextWork<T> {
        T run() throws IOException;
    }

    /** Runs work that reads texts, turning a changed input into a user error (exit 2) that names the file. */
    static <T> T checked(TextWork<T> work) throws IOException {
        try {
            return work.run();
        } catch (InputChangedException e) {
            throw new UserException(e.getMessage());
        }
    }
}
