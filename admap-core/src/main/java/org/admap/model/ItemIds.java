package org.admap.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Derives an item id from its prompt when the data has no id of its own.
 *
 * <p>Ids are the first 16 hex digits (64 bits) of the SHA-256 of the full prompt text, so
 * the same instruction gets the same id in every run and in every file: two runs over the
 * same data with different scorers can be joined by id. 64 bits keep accidental
 * collisions below one in ten million for five million instructions.
 */
public final class ItemIds {

    private static final HexFormat HEX = HexFormat.of();

    private ItemIds() {
    }

    /** Returns the derived id of a prompt: 16 lower-case hex digits. */
    public static String fromPrompt(String fullPrompt) {
        MessageDigest sha = sha256();
        byte[] digest = sha.digest(fullPrompt.getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(digest, 0, 8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
