package org.admap.internal.store;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * An output stream whose write errors name the file: the JDK says only "No space left on
 * device" when a disk fills, which reached the user without a path. A failed write, flush
 * or close is rethrown as a {@link FileSystemException} naming {@code file} with the
 * system's reason (the original as its cause).
 */
public final class NamedOutput extends FilterOutputStream {

    private final Path file;

    public NamedOutput(OutputStream out, Path file) {
        super(out);
        this.file = file;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw named(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw named(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw named(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } catch (IOException e) {
            throw named(e);
        }
    }

    private IOException named(IOException e) {
        // the file the user asked for, not the temporary one a FileSystemException may name
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        FileSystemException named = new FileSystemException(file.toString(), null, reason);
        named.initCause(e);
        return named;
    }
}
