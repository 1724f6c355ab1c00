package org.admap.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.admap.ingest.DatasetReader;
import org.admap.ingest.IngestException;
import org.admap.ingest.IngestOptions;
import org.admap.model.Item;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.LongAccumulator;

/**
 * Reads one input file on an executor with the core's {@link DatasetReader}: the same format
 * and layout recognition, the same rows, ids and error messages as on a single machine. A
 * file on a remote file system is first copied to the executor's local disk, since the core
 * readers (Parquet through DuckDB among them) read local files. Rows stream: memory holds one
 * row at a time, never the file.
 */
final class FileRows implements Iterator<InputRow>, AutoCloseable {

    private final int fileIndex;
    private final String uri;
    private final java.nio.file.Path local;
    private final java.nio.file.Path copyDir;
    private final DatasetReader reader;
    private final LongAccumulator badRows;
    private Item next;
    private long row;
    private boolean closed;

    private FileRows(int fileIndex, String uri, java.nio.file.Path local, java.nio.file.Path copyDir,
                     DatasetReader reader, LongAccumulator badRows) {
        this.fileIndex = fileIndex;
        this.uri = uri;
        this.local = local;
        this.copyDir = copyDir;
        this.reader = reader;
        this.badRows = badRows;
    }

    /** Opens a file (copying it first when it is not local) and recognises its format and layout. */
    static FileRows open(int fileIndex, String uri, IngestOptions options, Configuration conf,
                         LongAccumulator badRows) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem(conf);
        java.nio.file.Path local;
        java.nio.file.Path copyDir = null;
        if ("file".equals(fs.getScheme())) {
            local = java.nio.file.Path.of(URI.create(fs.makeQualified(path).toString()));
        } else {
            copyDir = Files.createTempDirectory("admap-input-");
            local = copyDir.resolve(path.getName()); // the name keeps the extension the format is recognised by
            try (InputStream in = fs.open(path)) {
                Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try {
            return new FileRows(fileIndex, uri, local, copyDir, DatasetReader.open(local, options),
                    badRows);
        } catch (IngestException e) {
            deleteCopy(local, copyDir);
            throw named(e, uri, local, copyDir != null);
        }
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        try {
            next = reader.next();
        } catch (IngestException e) {
            close();
            throw named(e);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot read " + uri + ": " + e.getMessage(), e);
        }
        if (next == null) {
            badRows.add(reader.badRows().count());
            close();
            return false;
        }
        return true;
    }

    @Override
    public InputRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Item item = next;
        next = null;
        return InputRow.of(fileIndex, row++, reader.groupsRows(), item);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteCopy(local, copyDir);
        }
    }

    private static void deleteCopy(java.nio.file.Path local, java.nio.file.Path copyDir) {
        if (copyDir == null) {
            return;
        }
        try {
            Files.deleteIfExists(local);
            Files.deleteIfExists(copyDir);
        } catch (IOException e) {
            // a leftover temporary copy is the executor's to clean; the read itself succeeded
        }
    }

    /**
     * The core's message ({@code FILE:LINE: field ...}), naming the input as the user gave it
     * rather than the local copy of a remote file.
     */
    private IllegalArgumentException named(IngestException e) {
        return named(e, uri, local, copyDir != null);
    }

    private static IllegalArgumentException named(IngestException e, String uri, java.nio.file.Path local,
                                                  boolean copied) {
        String message = e.getMessage() == null ? "bad input" : e.getMessage();
        if (copied) {
            message = message.replace(local.toString(), uri);
        }
        if (!message.contains(uri) && !message.contains(local.toString())) {
            message = uri + ": " + message;
        }
        return new IllegalArgumentException(message, e);
    }
}
