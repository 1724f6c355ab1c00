package org.admap.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.admap.Progress;
import org.admap.internal.store.RunStore;
import org.admap.model.Item;

/**
 * Small helpers for tests that read input files: write a fixture (inline or from the test
 * resources) into a temporary folder, gzip it, turn it into Parquet, and read it back.
 */
public final class TestFiles {

    private TestFiles() {
    }

    /** Writes {@code text} as UTF-8 to {@code dir/name}. */
    public static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** Writes JSON lines, one argument per line. */
    public static Path jsonl(Path dir, String name, String... lines) throws IOException {
        return write(dir, name, String.join("\n", lines) + "\n");
    }

    /** Writes {@code bytes} gzip-compressed to {@code dir/name}. */
    public static Path gzip(Path dir, String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes);
        }
        return file;
    }

    /** Writes {@code text} gzip-compressed to {@code dir/name}. */
    public static Path gzip(Path dir, String name, String text) throws IOException {
        return gzip(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The text of a fixture under {@code src/test/resources/org/admap/ingest/}. */
    public static String resource(String name) {
        try (InputStream in = TestFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a fixture from the test resources to {@code dir/name}. */
    public static Path copyResource(String resource, Path dir, String name) throws IOException {
        return write(dir, name, resource(resource));
    }

    /** Runs SQL statements in a throwaway in-memory DuckDB, e.g. {@code COPY (SELECT ...) TO 'x.parquet'}. */
    public static void duckdb(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** Quotes a path as a DuckDB string literal. */
    public static String sqlPath(Path file) {
        return "'" + file.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    /** Reads every item of a file. */
    public static List<Item> readAll(Path file, IngestOptions options) throws IOException {
        try (DatasetReader reader = DatasetReader.open(file, options)) {
            return drain(reader);
        }
    }

    /** Reads every item of a file with the default options. */
    public static List<Item> readAll(Path file) throws IOException {
        return readAll(file, IngestOptions.defaults());
    }

    /** Reads the remaining items of an open reader. */
    public static List<Item> drain(DatasetReader reader) throws IOException {
        List<Item> items = new ArrayList<>();
        for (Item item; (item = reader.next()) != null; ) {
            items.add(item);
        }
        return items;
    }

    /** Reads a file that holds exactly one item. */
    public static Item readOne(Path file, IngestOptions options) throws IOException {
        List<Item> items = readAll(file, options);
        if (items.size() != 1) {
            throw new AssertionError("expected one item in " + file + ", read " + items.size() + ": " + items);
        }
        return items.get(0);
    }

    /** Reads a file that holds exactly one item, with the default options. */
    public static Item readOne(Path file) throws IOException {
        return readOne(file, IngestOptions.defaults());
    }

    /** The item without its source location, to compare items read from different files. */
    public static Item withoutSource(Item item) {
        return new Item(item.id(), item.prompt(), item.input(), item.reference(), item.responses(), null);
    }

    /** The items without their source locations. */
    public static List<Item> withoutSources(List<Item> items) {
        return items.stream().map(TestFiles::withoutSource).toList();
    }

    /** Ingests files into a new run store at {@code storeFile}; the caller closes it. */
    public static RunStore ingest(Path storeFile, IngestOptions options, Path... files) throws IOException {
        RunStore store = RunStore.create(storeFile);
        try {
            Ingest.run(List.of(files), options, store, Progress.Factory.NONE);
            return store;
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }
}
