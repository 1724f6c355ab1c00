package org.admap.internal.ingest.scan;

import java.nio.charset.StandardCharsets;
import org.admap.internal.text.TextKeys;
import org.admap.model.Response;

/**
 * Reads the rows of the multi-response layout by hand, the common shape only, at several
 * times the speed of a general parser: response texts are skipped eight bytes at a time, and
 * plain decimal scores are converted without text.
 *
 * <p>It accepts a strict subset of what {@link RowScanner}'s Jackson path accepts, and gives
 * exactly the numbers that path gives for it. Whatever it does not recognise (escaped field
 * names, exponents and long numbers, numeric ids with a sign, a carriage return inside the
 * row, nesting deeper than {@value JsonByteLexer#MAX_DEPTH}, anything malformed) it leaves untouched and
 * says so, and the caller hands that one line to the Jackson path, which decides. So the
 * scan's result and its refusals do not depend on this class, only its speed does.
 *
 * <p>This class is the rows' grammar: which members a row and a response have, which are
 * read and which skipped, what each must be. The bytes of the tokens are read by a
 * {@link JsonByteLexer}.
 *
 * <p>Not thread-safe: one per thread.
 */
final class PlainRowScanner {

    /** A line this scanner leaves to the general parser. */
    static final int NOT_PLAIN = -1;

    private static final byte[] ID = ascii("id");
    private static final byte[] PROMPT = ascii("prompt");
    private static final byte[] INPUT = ascii("input");
    private static final byte[] REFERENCE = ascii("reference");
    private static final byte[] RESPONSES = ascii("responses");
    private static final byte[] TEXT = ascii("text");
    private static final byte[] SCORE = ascii("score");
    private static final byte[] LABEL = ascii("label");
    private static final byte[] MODEL = ascii("model");

    private final PromptBudget budget;
    private final boolean alwaysKeep;
    private final JsonByteLexer lex = new JsonByteLexer();

    // the row being read
    private byte[] buf;
    private int end;
    private String id;
    private int promptQuote;
    private int inputQuote;
    private int referenceQuote;
    private long base;

    PlainRowScanner(PromptBudget budget, boolean alwaysKeep) {
        this.budget = budget;
        this.alwaysKeep = alwaysKeep;
    }

    /**
     * Reads the line that starts at {@code buf[from]} (a row or a blank line) into {@code out}.
     *
     * @param to the end of the block's lines: the line ends at its newline or there
     * @return the index just past the line (past its newline), or {@link #NOT_PLAIN} with
     *         {@code out} unchanged
     */
    int scanLine(byte[] buf, int from, int to, long base, ScannedChunk out) throws NotScannable {
        this.base = base;
        this.buf = buf;
        this.end = to;
        lex.line(buf, to);
        int mark = out.responses;
        try {
            int i = lex.blank(from);
            if (i >= to) {
                return to;
            }
            if (lex.at(i) == '\n') {
                return i + 1;
            }
            int close = row(i, out);
            i = lex.blank(close);
            if (i < to && lex.at(i) != '\n') {
                throw NotPlain.INSTANCE; // more than one object on the line: the general parser says what
            }
            // the end of the object is known now: string reads below stay inside it
            RowScanner.finishRow(buf, close, base, promptQuote, inputQuote, referenceQuote, id, out, budget,
                    alwaysKeep);
            return i < to ? i + 1 : to;
        } catch (NotPlain e) {
            out.responses = mark;
            return NOT_PLAIN;
        }
    }

    /** Reads one row's fields and responses (not yet ended); returns the index after its closing brace. */
    private int row(int i, ScannedChunk out) throws NotPlain, NotScannable {
        if (lex.at(i) != '{') {
            throw NotPlain.INSTANCE;
        }
        int seen = 0;
        id = null;
        promptQuote = -1;
        inputQuote = -1;
        referenceQuote = -1;
        boolean inputNull = false;
        int responses = 0;
        i = lex.space(i + 1);
        if (lex.at(i) == '}') {
            throw NotPlain.INSTANCE; // no prompt: refused by the general parser with its message
        }
        while (true) {
            i = lex.name(i);
            int bit;
            if (lex.nameIs(ID)) {
                bit = 1;
                i = id(i);
            } else if (lex.nameIs(PROMPT)) {
                bit = 2;
                if (lex.at(i) != '"') {
                    throw NotPlain.INSTANCE;
                }
                promptQuote = i;
                i = lex.string(i);
            } else if (lex.nameIs(INPUT)) {
                bit = 4;
                if (lex.at(i) == '"') {
                    inputQuote = i;
                    i = lex.string(i);
                } else {
                    i = lex.nullLiteral(i);
                    inputNull = true;
                }
            } else if (lex.nameIs(REFERENCE)) {
                bit = 8;
                if (lex.at(i) == '"') {
                    referenceQuote = i;
                    i = lex.string(i);
                } else {
                    i = lex.nullLiteral(i);
                }
            } else if (lex.nameIs(RESPONSES)) {
                bit = 16;
                if (lex.at(i) != '[') {
                    throw NotPlain.INSTANCE;
                }
                int before = out.responses;
                i = responses(i, out);
                responses = out.responses - before;
            } else {
                bit = 0;
                i = lex.value(i, 1);
            }
            seen = see(seen, bit);
            int next = lex.nextMember(i);
            if (next < 0) {
                i = ~next;
                break;
            }
            i = next;
        }
        if (promptQuote < 0 || (seen & 16) == 0 || responses == 0) {
            throw NotPlain.INSTANCE;
        }
        if (inputNull) {
            inputQuote = -1;
        }
        return i;
    }

    /** The row's id: a string, a plain non-negative integer, or null; returns the index after it. */
    private int id(int i) throws NotPlain, NotScannable {
        byte b = lex.at(i);
        if (b == '"') {
            int close = lex.string(i) - 1;
            boolean ascii = true;
            for (int j = i + 1; j < close; j++) {
                byte c = buf[j];
                if (c < 0x20 || c == '\\') { // negative bytes are non-ASCII
                    ascii = false;
                    break;
                }
            }
            String s;
            try {
                s = ascii ? new String(buf, i + 1, close - i - 1, StandardCharsets.ISO_8859_1)
                        : JsonStrings.at(buf, i, close + 1);
            } catch (java.io.IOException e) {
                throw NotPlain.INSTANCE;
            }
            id = s.isBlank() ? null : s;
            return close + 1;
        }
        if (b == 'n') {
            id = null;
            return lex.nullLiteral(i);
        }
        // Long.toString of the value is the digits themselves when there is no sign and no leading zero
        int j = i;
        if (b == '0') {
            j++;
        } else if (b >= '1' && b <= '9') {
            while (j < end && buf[j] >= '0' && buf[j] <= '9') {
                j++;
            }
        } else {
            throw NotPlain.INSTANCE;
        }
        if (j - i > 18 || !lex.delimiter(j)) {
            throw NotPlain.INSTANCE;
        }
        id = new String(buf, i, j - i, StandardCharsets.ISO_8859_1);
        return j;
    }

    private int responses(int i, ScannedChunk out) throws NotPlain {
        i = lex.space(i + 1);
        if (lex.at(i) == ']') {
            return i + 1;
        }
        while (true) {
            byte b = lex.at(i);
            if (b == '"') {
                int quote = i;
                i = lex.string(i);
                out.addResponse(Response.ABSENT, Response.ABSENT, base + quote, i - quote,
                        TextKeys.responseFilter(buf, quote, i), -1);
            } else if (b == '{') {
                i = response(i, out);
            } else {
                throw NotPlain.INSTANCE;
            }
            i = lex.space(i);
            if (lex.at(i) == ',') {
                i = lex.space(i + 1);
            } else if (lex.at(i) == ']') {
                return i + 1;
            } else {
                throw NotPlain.INSTANCE;
            }
        }
    }

    private int response(int i, ScannedChunk out) throws NotPlain {
        double score = Response.ABSENT;
        double label = Response.ABSENT;
        int quote = -1;
        int close = -1;
        int model = -1;
        int seen = 0;
        i = lex.space(i + 1);
        if (lex.at(i) == '}') {
            throw NotPlain.INSTANCE; // no text
        }
        while (true) {
            i = lex.name(i);
            int bit;
            if (lex.nameIs(TEXT)) {
                bit = 1;
                if (lex.at(i) != '"') {
                    throw NotPlain.INSTANCE;
                }
                quote = i;
                i = lex.string(i);
                close = i;
            } else if (lex.nameIs(SCORE)) {
                bit = 2;
                i = lex.number(i);
                score = lex.number();
            } else if (lex.nameIs(LABEL)) {
                bit = 4;
                i = lex.number(i);
                label = lex.number();
            } else if (lex.nameIs(MODEL)) {
                bit = 8;
                if (lex.at(i) == '"') {
                    int modelQuote = i;
                    i = lex.string(i);
                    model = out.model(buf, modelQuote, i);
                } else {
                    i = lex.nullLiteral(i);
                }
            } else {
                bit = 0;
                i = lex.value(i, 2);
            }
            seen = see(seen, bit);
            int next = lex.nextMember(i);
            if (next < 0) {
                i = ~next;
                break;
            }
            i = next;
        }
        if ((seen & 1) == 0) {
            throw NotPlain.INSTANCE;
        }
        out.addResponse(score, label, base + quote, close - quote, TextKeys.responseFilter(buf, quote, close), model);
        return i;
    }

    /** Adds a known field to those seen; a repeated one leaves the line to the general parser. */
    private static int see(int seen, int bit) throws NotPlain {
        if ((seen & bit) != 0) {
            throw NotPlain.INSTANCE;
        }
        return seen | bit;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
