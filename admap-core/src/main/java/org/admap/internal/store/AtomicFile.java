package org.admap.internal.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An output file written under a temporary name beside its target and renamed into place
 * only when complete, so a crash or an error never leaves a half-written file under the
 * real name. Use with try-with-resources and call {@link #commit()} at the end; closing
 * without committing deletes the temporary file.
 * <pre>{@code
 * try (AtomicFile out = new AtomicFile(Path.of("map.csv"))) {
 *     write(out.stream());
 *     out.commit();
 * }
 * }</pre>
 */
public final class AtomicFile implements AutoCloseable {

    private final Path target;
    private final Path temp;
    private OutputStream stream;
    private boolean committed;

    public AtomicFile(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: that creates owner-only files, and outputs are meant to be shared.
        // Not UUID.randomUUID() either: the name needs to be unique, not unguessable, and the first
        // SecureRandom of a JVM costs ~40 ms (admap map paid it in the middle of writing map.csv);
        // the stream is opened with CREATE_NEW, so a clash fails rather than overwrites.
        this.temp = dir.resolve("." + this.target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    /** The temporary file, for writers that want a path rather than a stream (DuckDB's COPY). */
    public Path tempPath() {
        return temp;
    }

    /** The file's content stream; opened on first use. */
    public OutputStream stream() throws IOException {
        if (stream == null) {
            // errors name the file being written (a full disk says only "No space left on device")
            stream = new NamedOutput(Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), target);
        }
        return stream;
    }

    /** Closes the stream and moves the file into place. */
    public void commit() throws IOException {
        if (stream != null) {
            stream.close();
        } else if (!Files.exists(temp)) {
            Files.createFile(temp); // nothing was written: an empty file
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** Deletes the temporary file unless committed. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            try {
                if (stream != null) {
                    stream.close();
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
