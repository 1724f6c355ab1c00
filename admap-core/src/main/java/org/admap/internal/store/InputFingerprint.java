package org.admap.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an input file was when a run read it: its size, modification time and a hash of
 * sampled blocks (the first 64 KiB, the last 64 KiB and 32 blocks of 4 KiB spread evenly
 * between). A run that reads texts from its inputs later (a deferred store, texts by
 * reference) checks the file against it first, so that a changed or missing input is an
 * error naming the file, never a wrong text: size and time alone missed a same-length edit
 * whose modification time was put back. The samples cost a few dozen reads however large the
 * file; an edit outside them is caught by the hash of each text read back.
 *
 * @param path           the file, absolute
 * @param bytes          its size
 * @param modifiedMillis its modification time
 * @param sampleHash     SHA-256 of the size and the sampled blocks, in hex; null in notes
 *                       written before fingerprints had it (then size and time alone are checked)
 */
public record InputFingerprint(String path, long bytes, long modifiedMillis, String sampleHash) {

    private static final int EDGE = 64 << 10;
    private static final int BLOCK = 4 << 10;
    private static final int BLOCKS = 32;

    /** The file as it is now. */
    public static InputFingerprint of(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        long size = Files.size(abs);
        long modified = Files.getLastModifiedTime(abs).toMillis();
        return new InputFingerprint(abs.toString(), size, modified, sampleHash(abs, size));
    }

    /**
     * The file, checked against this fingerprint; fails naming it when it is gone or differs
     * in size, modification time or sampled content.
     *
     * @param use what the file is needed for, for the message ("the run's store is built from it")
     */
    public Path check(String use) throws IOException {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p)) {
            throw new StoreException(path + " is gone: " + use + "; restore it, or build the run again with"
                    + " 'admap map'");
        }
        long size = Files.size(p);
        if (size != bytes || Files.getLastModifiedTime(p).toMillis() != modifiedMillis) {
            throw new StoreException(path + " changed since its map was built (" + (size != bytes
                    ? size + " bytes, was " + bytes : "modified at another time") + "): build the run again with"
                    + " 'admap map'");
        }
        if (sampleHash != null && !sampleHash.equals(sampleHash(p, size))) {
            throw new StoreException(path + " changed since its map was built (its content differs, though its"
                    + " size and modification time do not): build the run again with 'admap map'");
        }
        return p;
    }

    /** SHA-256 of the size and the sampled blocks of a file of {@code size} bytes. */
    static String sampleHash(Path file, long size) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java", e);
        }
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(0, size));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            read(ch, 0, EDGE, size, digest);
            long span = size - 2L * EDGE;
            for (int i = 0; i < BLOCKS && span > 0; i++) {
                read(ch, EDGE + span * i / BLOCKS, BLOCK, size, digest);
            }
            read(ch, Math.max(0, size - EDGE), EDGE, size, digest);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void read(FileChannel ch, long at, int length, long size, MessageDigest digest)
            throws IOException {
        int n = (int) Math.min(length, Math.max(0, size - at));
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf, at + buf.position()) < 0) {
                break;
            }
        }
        buf.flip();
        digest.update(buf);
    }
}
