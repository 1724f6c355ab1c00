package org.admap.score.reference;

/**
 * Texts that could not be embedded: the server refused them or answered something that is
 * not one vector per text. It concerns those texts only; scoring goes on. Its message never
 * holds an API key.
 */
public class EmbeddingException extends Exception {

    private final String raw;
    private final int attempts;

    /**
     * @param message  what went wrong, in words
     * @param raw      the server's answer (redacted), or null
     * @param attempts requests made
     */
    public EmbeddingException(String message, String raw, int attempts) {
        super(message);
        this.raw = raw;
        this.attempts = attempts;
    }

    /** The server's answer, or null. */
    public String raw() {
        return raw;
    }

    public int attempts() {
        return attempts;
    }
}
