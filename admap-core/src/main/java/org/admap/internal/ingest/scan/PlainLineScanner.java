package org.admap.internal.ingest.scan;

import java.nio.charset.StandardCharsets;

/**
 * What the hand-written readers of one layout's rows share: a line holds one JSON object
 * (or is blank), or in a JSON array an element is one object over any number of lines; the
 * object's members are read by the layout's grammar ({@link #row}), and the row is ended
 * ({@link #finish}) once the object's end is known. A row the grammar does not recognise is
 * left to the caller, with the chunk unchanged.
 *
 * <p>Not thread-safe: one per thread.
 */
abstract class PlainLineScanner {

    /** A line this scanner leaves to the caller. */
    static final int NOT_PLAIN = -1;

    final JsonByteLexer lex;
    final PromptBudget budget;
    final boolean alwaysKeep;

    /** The block being read, the end of its lines and the file offset of {@code buf[0]}. */
    byte[] buf;
    int end;
    long base;
    /** The id last read by {@link #id(int)}, or null. */
    String id;

    /** @param inArray rows are a JSON array's elements ({@link #scanElement}), not lines ({@link #scanLine}) */
    PlainLineScanner(PromptBudget budget, boolean alwaysKeep, boolean inArray) {
        this.budget = budget;
        this.alwaysKeep = alwaysKeep;
        this.lex = new JsonByteLexer(inArray);
    }

    /**
     * Reads the line that starts at {@code buf[from]} (a row or a blank line) into {@code out}.
     *
     * @param to the end of the block's lines: the line ends at its newline or there
     * @return the index just past the line (past its newline), or {@link #NOT_PLAIN} with
     *         {@code out} unchanged
     */
    final int scanLine(byte[] buf, int from, int to, long base, ScannedChunk out) throws NotScannable {
        read(buf, to, base);
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
            finish(close, out);
            return i < to ? i + 1 : to;
        } catch (NotPlain e) {
            out.responses = mark;
            return NOT_PLAIN;
        }
    }

    /**
     * Reads the array element (an object) whose opening brace is at {@code buf[from]} into
     * {@code out}; line ends inside it are spaces, as in any JSON outside strings.
     *
     * @param to the end of the bytes read: the element lies before it
     * @return the index just past its closing brace, or {@link #NOT_PLAIN} with {@code out} unchanged
     */
    final int scanElement(byte[] buf, int from, int to, long base, ScannedChunk out) throws NotScannable {
        read(buf, to, base);
        int mark = out.responses;
        try {
            int close = row(from, out);
            finish(close, out);
            return close;
        } catch (NotPlain e) {
            out.responses = mark;
            return NOT_PLAIN;
        }
    }

    /** Reads {@code buf[.., to)}, whose first byte lies at file offset {@code base}, from now on. */
    private void read(byte[] buf, int to, long base) {
        this.base = base;
        this.buf = buf;
        this.end = to;
        lex.line(buf, to);
    }

    /** Reads the row's members starting at its opening brace; returns the index after its closing brace. */
    abstract int row(int i, ScannedChunk out) throws NotPlain, NotScannable;

    /** Ends the row read by {@link #row}, whose closing brace is at {@code close - 1}. */
    abstract void finish(int close, ScannedChunk out) throws NotPlain, NotScannable;

    /**
     * An id ({@link #id}): a string, a plain non-negative integer, or null; a blank string is
     * no id. Returns the index after it.
     */
    final int id(int i) throws NotPlain {
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

    /** Adds a known member to those seen; a repeated one leaves the line to the caller. */
    static int see(int seen, int bit) throws NotPlain {
        if ((seen & bit) != 0) {
            throw NotPlain.INSTANCE;
        }
        return seen | bit;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
