package org.admap.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a stream, each decoded as strict UTF-8: a line that is not well-formed
 * UTF-8 is reported (for the reader to name its file and line, and {@code --skip-bad-rows}
 * to count it), where a Reader would have put U+FFFD in its place silently. Lines end at
 * LF, CR LF or a lone CR, as {@link java.io.BufferedReader#readLine} has them.
 */
final class Utf8Lines {

    /** A line whose bytes are not UTF-8; the stream stays usable at the next line. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    /** Bytes taken from the stream so far, read ahead included. */
    private long filled;
    private byte[] line = new byte[256];
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    Utf8Lines(InputStream in) {
        this.in = in;
    }

    /** The next line, or null at the end of the stream. */
    String next() throws IOException, Malformed {
        int n = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                filled += Math.max(limit, 0);
                if (limit <= 0) {
                    limit = 0;
                    if (!any) {
                        return null;
                    }
                    break;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit && buf[pos] != '\n' && buf[pos] != '\r') {
                pos++;
            }
            n = append(n, start, pos);
            if (pos < limit) {
                byte end = buf[pos++];
                if (end == '\r') {
                    if (pos == limit) {
                        limit = in.read(buf, 0, buf.length);
                        pos = 0;
                        limit = Math.max(limit, 0);
                        filled += limit;
                    }
                    if (pos < limit && buf[pos] == '\n') {
                        pos++;
                    }
                }
                break;
            }
        }
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(line, 0, n));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("invalid UTF-8 (the bytes at " + firstInvalid(n) + " of the line are not a"
                    + " character); the file must be UTF-8");
        }
    }

    /** The offset in the stream of the next line's first byte: where the line {@link #next} returns begins. */
    long offset() {
        return filled - (limit - pos);
    }

    private int append(int n, int from, int to) {
        int len = to - from;
        if (n + len > line.length) {
            line = Arrays.copyOf(line, Math.max(n + len, line.length * 2));
        }
        System.arraycopy(buf, from, line, n, len);
        return n + len;
    }

    /** The byte offset of the first malformed sequence (for the message). */
    private int firstInvalid(int n) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(line, 0, n);
        CharBuffer out = CharBuffer.allocate(n + 1);
        d.decode(bytes, out, true);
        return bytes.position();
    }
}
