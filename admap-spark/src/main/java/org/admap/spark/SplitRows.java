package org.admap.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.admap.ingest.DatasetReader;
import org.admap.ingest.FieldGuard;
import org.admap.ingest.IngestException;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.JsonLinesSplit;
import org.admap.model.Item;
import org.admap.model.SourceLocation;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * Reads one {@link InputSplit} on an executor, streaming, as {@link InputRow}s whose
 * {@code row} places them in the file: a whole file with {@link FileRows}; a byte range of a
 * JSON-lines file straight from its file system with the core's {@link JsonLinesSplit} (the
 * row is its line's byte offset); Parquet row groups from a local copy of just those groups
 * ({@link ParquetRowGroups}; the row is its index in the file). Errors say what the single
 * machine says: {@code FILE:LINE: field ...} and {@code FILE row N: ...}.
 */
final class SplitRows implements Iterator<InputRow> {

    private final InputSplit split;
    private final String display;
    private final DatasetReader reader;
    private final LongAccumulator badRows;
    private final CollectionAccumulator<MissingField> missing;
    private final java.nio.file.Path copyDir;
    private final long firstRow;
    private Item next;
    private long row;
    private boolean closed;

    private SplitRows(InputSplit split, String display, DatasetReader reader, long firstRow,
                      java.nio.file.Path copyDir, LongAccumulator badRows,
                      CollectionAccumulator<MissingField> missing) {
        this.split = split;
        this.display = display;
        this.reader = reader;
        this.firstRow = firstRow;
        this.copyDir = copyDir;
        this.badRows = badRows;
        this.missing = missing;
    }

    /** The rows of a split. */
    static Iterator<InputRow> open(InputSplit split, IngestOptions options, Configuration conf, LongAccumulator badRows,
                                   CollectionAccumulator<MissingField> missing) throws IOException {
        if (split.kind() == InputSplit.Kind.FILE) {
            return FileRows.open(split.file(), split.uri(), options, conf, badRows);
        }
        Path path = new Path(split.uri());
        FileSystem fs = path.getFileSystem(conf);
        String display = "file".equals(fs.getScheme())
                ? java.nio.file.Path.of(URI.create(fs.makeQualified(path).toString())).toString() : split.uri();
        if (split.kind() == InputSplit.Kind.LINES) {
            JsonLinesSplit reader;
            boolean local = "file".equals(fs.getScheme());
            try {
                reader = JsonLinesSplit.open(display, offset -> local ? localFrom(display, offset)
                        : remoteFrom(fs, path, offset), split.start(), split.end(), options);
            } catch (IngestException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return new SplitRows(split, display, reader, 0, null, badRows, missing);
        }
        java.nio.file.Path dir = Files.createTempDirectory("admap-rowgroups-");
        java.nio.file.Path local = dir.resolve(path.getName());
        try {
            long before = ParquetRowGroups.copy(conf, split.uri(), (int) split.start(), (int) split.end(), local);
            return new SplitRows(split, display, DatasetReader.open(local, options), before, dir,
                    badRows, missing);
        } catch (IngestException e) {
            deleteCopy(dir);
            throw new IllegalArgumentException(e.getMessage().replace(local.toString(), display), e);
        } catch (IOException | RuntimeException e) {
            deleteCopy(dir);
            throw e;
        }
    }

    /** A local file from an offset, without Hadoop's checksumming local file system (1.6 times slower here). */
    private static java.io.InputStream localFrom(String file, long offset) throws IOException {
        FileChannel channel = FileChannel.open(java.nio.file.Path.of(file), StandardOpenOption.READ);
        channel.position(offset);
        return Channels.newInputStream(channel);
    }

    private static java.io.InputStream remoteFrom(FileSystem fs, Path path, long offset) throws IOException {
        FSDataInputStream in = fs.open(path);
        in.seek(offset);
        return in;
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
            throw new UncheckedIOException("cannot read " + split.uri() + ": " + e.getMessage(), e);
        }
        if (next == null) {
            badRows.add(reader.badRows().count());
            if (reader instanceof JsonLinesSplit lines) {
                report(lines.fieldGuard());
            }
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
        long place = reader instanceof JsonLinesSplit lines ? lines.rowOffset() : firstRow + row++;
        return InputRow.of(split.file(), place, reader.groupsRows(), item);
    }

    /** The named fields this split's rows lacked, for {@link MissingField#check} over the file's splits. */
    private void report(FieldGuard guard) {
        for (FieldGuard.Missing m : guard.missing()) {
            missing.add(new MissingField(split.file(), display, split.start(), m.option(), m.field(), m.present(),
                    guard.fieldsSeen()));
        }
    }

    private IllegalArgumentException named(IngestException e) {
        SourceLocation at = e.location();
        if (copyDir != null && at != null && "row".equals(at.unit())) {
            // a row of the copied row groups: its number in the whole file
            e = new IngestException(SourceLocation.row(display, firstRow + at.line()), e.field(), e.problem());
        }
        String message = e.getMessage() == null ? "bad input" : e.getMessage();
        if (copyDir != null) {
            message = message.replace(copyDir.resolve(new Path(split.uri()).getName()).toString(), display);
        }
        return new IllegalArgumentException(message, e);
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteCopy(copyDir);
        }
    }

    private static void deleteCopy(java.nio.file.Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            List<java.nio.file.Path> all = new ArrayList<>(files.toList());
            Collections.reverse(all);
            for (java.nio.file.Path f : all) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover temporary copy is the executor's to clean; the read itself succeeded
        }
    }
}
