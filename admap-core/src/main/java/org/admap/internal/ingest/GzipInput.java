package org.admap.internal.ingest;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.admap.ingest.IngestException;

/**
 * A gzip file's decompressed content whose errors name the file: Java's
 * {@link GZIPInputStream} says only "Unexpected end of ZLIB input stream", or nothing at
 * all (an {@link EOFException} without a message when the trailer is missing), which
 * reached the user as "input ends unexpectedly (truncated file?): null".
 */
public final class GzipInput extends FilterInputStream {

    private final String display;

    private GzipInput(InputStream in, String display) {
        super(in);
        this.display = display;
    }

    /** Decompresses {@code buffered}, the content of the file shown as {@code display}. */
    public static InputStream open(InputStream buffered, String display) throws IOException {
        try {
            return new GzipInput(new GZIPInputStream(buffered, 1 << 16), display);
        } catch (EOFException | ZipException e) {
            throw problem(display, e);
        }
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (EOFException | ZipException e) {
            throw problem(display, e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (EOFException | ZipException e) {
            throw problem(display, e);
        }
    }

    private static IngestException problem(String display, IOException e) {
        if (e instanceof ZipException) {
            return IngestException.forFile(display, "corrupt gzip data (" + e.getMessage() + ")");
        }
        return IngestException.forFile(display, "the gzip data ends unexpectedly (a truncated file: "
                + (e.getMessage() == null ? "its trailer is missing" : "its end is missing") + ")");
    }
}
