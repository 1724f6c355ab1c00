package org.admap.internal.ingest.scan;

import org.admap.internal.text.TextKeys;
import org.admap.model.Response;

/**
 * Reads the rows of the multi-response layout by hand, the common shape only, at several
 * times the speed of a general parser: response texts are skipped eight bytes at a time, and
 * plain decimal scores are converted without text. UltraFeedback's raw rows have the same
 * shape under other names ({@link Names#ULTRAFEEDBACK}) and are read by the same grammar.
 *
 * <p>For the multi-response layout it accepts a strict subset of what {@link RowScanner}'s
 * Jackson path accepts, and gives exactly the numbers that path gives for it. Whatever it does
 * not recognise (escaped field names, exponents and long numbers, numeric ids with a sign, a
 * carriage return inside the row, nesting deeper than {@value JsonByteLexer#MAX_DEPTH},
 * anything malformed) it leaves untouched and says so, and the caller hands that one line to
 * the Jackson path, which decides. So the scan's result and its refusals do not depend on this
 * class, only its speed does.
 *
 * <p>This class is the rows' grammar: which members a row and a response have, which are
 * read and which skipped, what each must be. The bytes of the tokens are read by a
 * {@link JsonByteLexer}.
 *
 * <p>Not thread-safe: one per thread.
 */
final class PlainRowScanner extends PlainLineScanner {

    /**
     * The member names of one layout of this shape; a null name is a member the layout does not
     * read (skipped like any other).
     *
     * @param stringResponses whether a response may be a bare string (its text)
     */
    record Names(byte[] prompt, byte[] input, byte[] reference, byte[] responses, byte[] text, byte[] score,
                 byte[] label, byte[] model, boolean stringResponses) {

        /** admap's own multi-response layout. */
        static final Names MULTI = new Names(ascii("prompt"), ascii("input"), ascii("reference"),
                ascii("responses"), ascii("text"), ascii("score"), ascii("label"), ascii("model"), true);

        /**
         * UltraFeedback's raw rows with the default options ({@code UltraFeedbackLayout}): the
         * instruction is the prompt, each completion's {@code response} its text and
         * {@code fine-grained_score} its label; no score, input or reference is read.
         */
        static final Names ULTRAFEEDBACK = new Names(ascii("instruction"), null, null, ascii("completions"),
                ascii("response"), null, ascii("fine-grained_score"), ascii("model"), false);
    }

    private static final byte[] ID = ascii("id");

    private final Names names;

    // the row being read
    private int promptQuote;
    private int inputQuote;
    private int referenceQuote;

    PlainRowScanner(PromptBudget budget, boolean alwaysKeep) {
        this(Names.MULTI, budget, alwaysKeep, false);
    }

    PlainRowScanner(Names names, PromptBudget budget, boolean alwaysKeep, boolean inArray) {
        super(budget, alwaysKeep, inArray);
        this.names = names;
    }

    @Override
    void finish(int close, ScannedChunk out) throws NotScannable {
        RowScanner.finishRow(buf, close, base, promptQuote, inputQuote, referenceQuote, id, out, budget, alwaysKeep);
    }

    /** Reads one row's fields and responses (not yet ended); returns the index after its closing brace. */
    @Override
    int row(int i, ScannedChunk out) throws NotPlain {
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
            } else if (lex.nameIs(names.prompt())) {
                bit = 2;
                if (lex.at(i) != '"') {
                    throw NotPlain.INSTANCE;
                }
                promptQuote = i;
                i = lex.string(i);
            } else if (is(names.input())) {
                bit = 4;
                if (lex.at(i) == '"') {
                    inputQuote = i;
                    i = lex.string(i);
                } else {
                    i = lex.nullLiteral(i);
                    inputNull = true;
                }
            } else if (is(names.reference())) {
                bit = 8;
                if (lex.at(i) == '"') {
                    referenceQuote = i;
                    i = lex.string(i);
                } else {
                    i = lex.nullLiteral(i);
                }
            } else if (lex.nameIs(names.responses())) {
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

    private int responses(int i, ScannedChunk out) throws NotPlain {
        i = lex.space(i + 1);
        if (lex.at(i) == ']') {
            return i + 1;
        }
        while (true) {
            byte b = lex.at(i);
            if (b == '"' && names.stringResponses()) {
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
            if (lex.nameIs(names.text())) {
                bit = 1;
                if (lex.at(i) != '"') {
                    throw NotPlain.INSTANCE;
                }
                quote = i;
                i = lex.string(i);
                close = i;
            } else if (is(names.score())) {
                bit = 2;
                i = lex.number(i);
                score = lex.number();
            } else if (lex.nameIs(names.label())) {
                bit = 4;
                i = lex.number(i);
                label = lex.number();
            } else if (lex.nameIs(names.model())) {
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

    /** Whether the member name just read is {@code name}, a member the layout reads. */
    private boolean is(byte[] name) {
        return name != null && lex.nameIs(name);
    }
}
