package org.admap.web;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Passes JSON on with the characters that could end or confuse the HTML element it is
 * embedded in written as JSON escapes: {@code <}, {@code >} and {@code &} as {@code \u003c},
 * {@code \u003e}, {@code \u0026}, and the line separators U+2028 and U+2029 (which some
 * JavaScript parsers took as line ends). Such characters only ever occur inside JSON strings,
 * where the escape means the same character, so the JSON is unchanged in meaning while a
 * {@code </script>} in the data can never close the {@code <script type="application/json">}
 * block.
 */
public final class ScriptSafeWriter extends FilterWriter {

    public ScriptSafeWriter(Writer out) {
        super(out);
    }

    @Override
    public void write(int c) throws IOException {
        switch (c) {
            case '<' -> out.write("\\u003c");
            case '>' -> out.write("\\u003e");
            case '&' -> out.write("\\u0026");
            case '\u2028' -> out.write("\\u2028");
            case '\u2029' -> out.write("\\u2029");
            default -> out.write(c);
        }
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            char c = buf[i];
            if (c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                out.write(buf, start, i - start);
                write(c);
                start = i + 1;
            }
        }
        out.write(buf, start, end - start);
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        write(s.substring(off, off + len).toCharArray(), 0, len);
    }
}
