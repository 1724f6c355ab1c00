package org.admap.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The I/O floor: reading a file's bytes with no work on them, as {@code cat FILE > /dev/null} does. */
public final class IoFloor {

    private IoFloor() {
    }

    /** Reads the whole file; returns the bytes read. */
    public static long read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        long total = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int n; (n = ch.read(buf)) >= 0; buf.clear()) {
                total += n;
            }
        }
        return total;
    }
}
