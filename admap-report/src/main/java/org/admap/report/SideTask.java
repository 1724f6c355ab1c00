package org.admap.report;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The result of work the report did on a side thread (the pictures, the statistics and the
 * details read while the points are written), with its failure made this thread's as if the
 * work had run here: an IOException stays one, so the command's message names the file.
 */
final class SideTask {

    private SideTask() {
    }

    /**
     * Waits for {@code f} and returns its result.
     *
     * @param what what the side thread was doing, for the message of an interruption
     *             ("interrupted while WHAT")
     */
    static <T> T result(Future<T> f, String what) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + what);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }
}
