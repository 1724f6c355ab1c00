package org.admap.model;

/**
 * Derives an item id from its prompt when the data has no id of its own.
 *
 * <p>Ids are the {@link TextHash} of the full prompt text (the first 16 hex digits of its
 * SHA-256), so the same instruction gets the same id in every run and in every file: two
 * runs over the same data with different scorers can be joined by id. 64 bits keep
 * accidental collisions below one in ten million for five million instructions.
 */
public final class ItemIds {

    private ItemIds() {
    }

    /** Returns the derived id of a prompt: 16 lower-case hex digits. */
    public static String fromPrompt(String fullPrompt) {
        return TextHash.of(fullPrompt);
    }
}
