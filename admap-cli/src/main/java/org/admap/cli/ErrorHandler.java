package org.admap.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.admap.ingest.IngestException;
import org.admap.internal.store.StoreException;
import org.admap.run.RunException;
import picocli.CommandLine;

/**
 * Turns exceptions into one-line messages and exit codes: problems the user can fix (bad
 * input, arguments, files) print {@code admap: error: ...} and exit 2; anything else is a
 * bug or an environment failure, printed with its stack trace (exit 1) so it can be
 * reported.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        Throwable e = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        if (e instanceof StoppedBySignal stopped) {
            err.println(stopped.getMessage());
            err.flush();
            return ExitCodes.signalled(stopped.signal());
        }
        String message = userMessage(e);
        if (message != null) {
            err.println("admap: error: " + message);
            err.flush();
            return ExitCodes.USAGE;
        }
        err.println("admap: internal error: " + e);
        e.printStackTrace(err);
        err.println("This is a bug in admap or a problem of the machine (disk full?). Please report it with the"
                + " command line and the trace above.");
        err.flush();
        return ExitCodes.INTERNAL;
    }

    /** The one-line message of a problem the user can fix, or null for anything else. */
    static String userMessage(Throwable e) {
        if (e instanceof UserException || e instanceof RunException || e instanceof IngestException
                || e instanceof StoreException
                || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + ": already exists";
        }
        if (e instanceof java.util.zip.ZipException z) {
            return "corrupt gzip input: " + z.getMessage();
        }
        if (e instanceof IOException io && io.getMessage() != null && io.getMessage().contains("Unexpected end of " +
                "ZLIB")) {
            return "truncated gzip input: " + io.getMessage();
        }
        String full = org.admap.internal.run.DiskFull.where(e);
        if (full != null) {
            return full + ": no space left on device (disk full); free some space, or write elsewhere";
        }
        if (e instanceof java.io.EOFException eof) {
            return "input ends unexpectedly (truncated file?): " + eof.getMessage();
        }
        return null;
    }
}
