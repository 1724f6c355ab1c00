package org.admap.internal.ingest.scan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Decodes one JSON string literal in a byte buffer, the common case (no escapes) without a
 * parser: as the scan reads prompts, so that whoever is handed a literal's bytes
 * ({@link ScannedScores.PromptConsumer#acceptLiteral}) decodes it exactly as the scan would.
 */
public final class JsonStrings {

    private JsonStrings() {
    }

    /**
     * The string whose opening quote is at {@code buf[quote]}; it must end before {@code end}.
     *
     * @throws IOException when there is no string literal there (the file changed under us)
     */
    public static String at(byte[] buf, int quote, int end) throws IOException {
        if (quote < 0 || quote >= end || buf[quote] != '"') {
            throw new IOException("no JSON string at byte " + quote + ": the file changed while it was read");
        }
        for (int i = quote + 1; i < end; i++) {
            byte b = buf[i];
            if (b == '"') {
                return new String(buf, quote + 1, i - quote - 1, StandardCharsets.UTF_8);
            }
            if (b == '\\') {
                break;
            }
        }
        try (JsonParser p = ScanJson.FACTORY.createParser(buf, quote, end - quote)) {
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new IOException("no JSON string at byte " + quote + ": the file changed while it was read");
            }
            return p.getText();
        }
    }

    /**
     * The index of the closing quote of the literal whose opening quote is at {@code buf[quote]}
     * when every byte of its text is printable ASCII ({@code 0x20}-{@code 0x7e}) and none is an
     * escape, so that the bytes are the text; -1 otherwise (or when there is no literal there,
     * or it does not end before {@code end}: {@link #at} then says what is wrong).
     */
    static int plainAsciiClose(byte[] buf, int quote, int end) {
        if (quote < 0 || quote >= end || buf[quote] != '"') {
            return -1;
        }
        for (int i = quote + 1; i < end; i++) {
            int b = buf[i];
            if (b == '"') {
                return i;
            }
            if (b == '\\' || b < 0x20 || b == 0x7f) { // negative: not ASCII
                return -1;
            }
        }
        return -1;
    }

    /** Whether the literal whose opening quote is at {@code buf[quote]} is {@code ""}. */
    static boolean isEmpty(byte[] buf, int quote, int end) {
        return quote >= 0 && quote + 1 < end && buf[quote] == '"' && buf[quote + 1] == '"';
    }

    /** The length in bytes of the string literal whose opening quote is at {@code buf[quote]}, quotes included. */
    static int literalLength(byte[] buf, int quote, int end) {
        for (int i = quote + 1; i < end; i++) {
            byte b = buf[i];
            if (b == '\\') {
                i++;
            } else if (b == '"') {
                return i - quote + 1;
            }
        }
        throw new IllegalStateException("unterminated string literal at byte " + quote);
    }
}
