package org.admap.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Short content hashes of texts: the first 16 hex digits (64 bits) of their SHA-256. Used for
 * ids derived from prompts and as cache keys for scores, references and embeddings: the
 * same text always has the same hash, in every run.
 */
public final class TextHash {

    private static final HexFormat HEX = HexFormat.of();

    private TextHash() {
    }

    /** The hash of a text: 16 lower-case hex digits. */
    public static String of(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
