package org.admap.web;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The escapes of JSON embedded in an HTML element: the characters that could end or confuse
 * it written as JSON escapes, {@code <}, {@code >} and {@code &} as {@code \u003c},
 * {@code \u003e}, {@code \u0026}, and the line separators U+2028 and U+2029 (which some
 * JavaScript parsers took as line ends), besides JSON's own. Such characters only ever occur
 * inside JSON strings, where the escape means the same character, so the JSON is unchanged in
 * meaning while a {@code </script>} in the data can never close the
 * {@code <script type="application/json">} block.
 *
 * <p>Given to Jackson's generator ({@code setCharacterEscapes}) rather than filtering its
 * characters afterwards: the generator then writes UTF-8 bytes itself, which on a 38 MB report
 * spared a pass of every character through a filtering Writer and a UTF-8 encoder.
 */
public final class ScriptSafeEscapes extends CharacterEscapes {

    private static final long serialVersionUID = 1L;

    private static final int[] ASCII = standardAsciiEscapesForJSON();

    static {
        ASCII['<'] = ESCAPE_CUSTOM;
        ASCII['>'] = ESCAPE_CUSTOM;
        ASCII['&'] = ESCAPE_CUSTOM;
    }

    private static final SerializedString LT = new SerializedString("\\u003c");
    private static final SerializedString GT = new SerializedString("\\u003e");
    private static final SerializedString AMP = new SerializedString("\\u0026");
    private static final SerializedString LINE = new SerializedString("\\u2028");
    private static final SerializedString PARAGRAPH = new SerializedString("\\u2029");

    @Override
    public int[] getEscapeCodesForAscii() {
        return ASCII.clone();
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return switch (ch) {
            case '<' -> LT;
            case '>' -> GT;
            case '&' -> AMP;
            case '\u2028' -> LINE;
            case '\u2029' -> PARAGRAPH;
            default -> null;
        };
    }
}
