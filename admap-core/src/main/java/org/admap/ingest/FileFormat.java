package org.admap.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.admap.internal.ingest.GzipInput;

/**
 * The file formats admap reads, each optionally gzip-compressed. The format comes from the
 * file name and is checked against the content: a {@code .json} file that holds JSON lines
 * (a common mislabelling on the Hugging Face Hub) is read as JSON lines, and gzip is
 * recognised by its magic bytes whatever the name says.
 */
public enum FileFormat {
    JSONL, JSON, CSV, TSV, PARQUET;

    /** A file with its detected format and compression. */
    public record Detected(Path path, FileFormat format, boolean gzip) {
    }

    /** Detects the format of {@code path}; fails with a message naming the file. */
    public static Detected detect(Path path) throws IOException {
        String display = path.toString();
        if (!Files.exists(path)) {
            throw IngestException.forFile(display, "no such file");
        }
        if (Files.isDirectory(path)) {
            throw IngestException.forFile(display, "is a directory, expected a data file");
        }
        if (Files.size(path) == 0) {
            throw IngestException.forFile(display, "is empty");
        }
        boolean gzip = hasGzipMagic(path);
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        FileFormat format;
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            format = JSONL;
        } else if (name.endsWith(".json")) {
            format = firstJsonChar(path, gzip) == '[' ? JSON : JSONL;
        } else if (name.endsWith(".csv")) {
            format = CSV;
        } else if (name.endsWith(".tsv")) {
            format = TSV;
        } else if (name.endsWith(".parquet")) {
            format = PARQUET;
        } else {
            int c = firstJsonChar(path, gzip);
            if (c == '[') {
                format = JSON;
            } else if (c == '{') {
                format = JSONL;
            } else {
                throw IngestException.forFile(display, "unknown file format: expected .jsonl, .json, .csv,"
                        + " .tsv or .parquet (optionally .gz)");
            }
        }
        if (format == PARQUET && gzip) {
            throw IngestException.forFile(display, "gzip-compressed Parquet is not supported"
                    + " (Parquet compresses its own pages): decompress it first");
        }
        return new Detected(path, format, gzip);
    }

    /** Opens the file's content, decompressing when it is gzip. */
    static InputStream open(InputStream raw, boolean gzip) throws IOException {
        InputStream buffered = new BufferedInputStream(raw, 1 << 16);
        return gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
    }

    /** Opens the content of the file shown as {@code display}; a truncated or corrupt gzip names the file. */
    static InputStream open(InputStream raw, boolean gzip, String display) throws IOException {
        InputStream buffered = new BufferedInputStream(raw, 1 << 16);
        return gzip ? GzipInput.open(buffered, display) : buffered;
    }

    private static boolean hasGzipMagic(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static int firstJsonChar(Path path, boolean gzip) throws IOException {
        try (InputStream in = open(Files.newInputStream(path), gzip)) {
            int c;
            do {
                c = in.read();
            } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF);
            return c;
        }
    }
}
