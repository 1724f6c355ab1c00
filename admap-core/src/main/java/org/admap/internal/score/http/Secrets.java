package org.admap.internal.score.http;

import java.util.regex.Pattern;

/**
 * Keeps API keys out of everything admap prints or stores. Servers echo keys back in error
 * bodies ("Incorrect API key provided: sk-ab...yz"), so every text that came from a server
 * passes through {@link #redact} before it reaches a message, a log or the run store.
 */
public final class Secrets {

    /** Key-like tokens: OpenAI ("sk-..."), Hugging Face ("hf_...") and bearer values. */
    private static final Pattern KEY_LIKE = Pattern.compile(
            "(sk-[A-Za-z0-9_\\-*.]{4,}|hf_[A-Za-z0-9]{8,}|(?i:bearer)\\s+[A-Za-z0-9_\\-.=*]{8,})");

    private Secrets() {
    }

    /** The text with {@code secret} and anything that looks like an API key replaced by {@code ***}. */
    public static String redact(String text, String secret) {
        if (text == null) {
            return null;
        }
        String out = text;
        if (secret != null && secret.length() >= 4) {
            out = out.replace(secret, "***");
        }
        return KEY_LIKE.matcher(out).replaceAll("***");
    }
}
