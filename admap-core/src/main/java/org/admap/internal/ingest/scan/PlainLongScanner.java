package org.admap.internal.ingest.scan;

import java.util.Arrays;

/**
 * Reads the rows of the long layout with the default options ({@code LongLayout}): one
 * response per row, {@code prompt} and {@code response} as strings, with optional
 * {@code score}, {@code label} (numbers or null) and {@code model}. Every other member is
 * skipped, as the layout ignores it ({@code id} among them: rows are grouped by their
 * prompt's id). Consecutive rows of one prompt become one item of their responses;
 * {@link LongRowGroups} then gathers those into instructions.
 *
 * <p>It leaves every other row to the caller: a score given as a list of samples or as a
 * string, a missing prompt or response, a repeated member, anything malformed. The caller
 * then hands the whole input to the full ingest.
 *
 * <p>Not thread-safe: one per thread.
 */
final class PlainLongScanner extends PlainLineScanner {

    private static final byte[] PROMPT = ascii("prompt");
    private static final byte[] RESPONSE = ascii("response");
    private static final byte[] SCORE = ascii("score");
    private static final byte[] LABEL = ascii("label");
    private static final byte[] MODEL = ascii("model");

    // the row being read
    private int promptQuote;
    private int promptClose;
    private int textQuote;
    private int textClose;
    private double score;
    private double label;
    private int model;

    /**
     * The previous row's prompt literal and the id derived from it: rows of one instruction
     * usually follow each other, and then become one item of several responses (which
     * {@link LongRowGroups} groups further) instead of an item per row, its prompt hashed and
     * kept once.
     */
    private byte[] lastPrompt = new byte[0];
    private String lastId;

    PlainLongScanner(PromptBudget budget, boolean alwaysKeep, boolean inArray) {
        super(budget, alwaysKeep, inArray);
    }

    @Override
    int row(int i, ScannedChunk out) throws NotPlain {
        if (lex.at(i) != '{') {
            throw NotPlain.INSTANCE;
        }
        promptQuote = -1;
        textQuote = -1;
        score = org.admap.model.Response.ABSENT;
        label = org.admap.model.Response.ABSENT;
        model = -1;
        int seen = 0;
        i = lex.space(i + 1);
        if (lex.at(i) == '}') {
            throw NotPlain.INSTANCE;
        }
        while (true) {
            i = lex.name(i);
            int bit;
            if (lex.nameIs(PROMPT)) {
                bit = 1;
                promptQuote = i;
                promptClose = string(i);
                i = promptClose;
            } else if (lex.nameIs(RESPONSE)) {
                bit = 2;
                textQuote = i;
                textClose = string(i);
                i = textClose;
            } else if (lex.nameIs(SCORE)) {
                bit = 4;
                i = lex.number(i);
                score = lex.number();
            } else if (lex.nameIs(LABEL)) {
                bit = 8;
                i = lex.number(i);
                label = lex.number();
            } else if (lex.nameIs(MODEL)) {
                bit = 16;
                if (lex.at(i) == '"') {
                    int close = lex.string(i);
                    model = out.model(buf, i, close);
                    i = close;
                } else {
                    i = lex.nullLiteral(i);
                }
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
        if ((seen & 3) != 3) {
            throw NotPlain.INSTANCE; // no prompt or no response: the full ingest's error
        }
        return i;
    }

    @Override
    void finish(int close, ScannedChunk out) throws NotScannable {
        // + 0.0: the full ingest's grouping averages a row's label from a sum that starts at 0.0, so -0.0 reads as 0.0
        out.addResponse(score, label + 0.0, base + textQuote, textClose - textQuote,
                org.admap.internal.text.TextKeys.responseFilter(buf, textQuote, textClose), model);
        if (lastId != null && out.items > 0
                && Arrays.equals(lastPrompt, 0, lastPrompt.length, buf, promptQuote, promptClose)) {
            // the chunk's last item holds the rows before this one, of the same prompt: one more response
            out.extendLastItem();
            return;
        }
        int before = out.items;
        RowScanner.finishRow(buf, close, base, promptQuote, -1, -1, null, out, budget, alwaysKeep);
        lastPrompt = Arrays.copyOfRange(buf, promptQuote, promptClose);
        lastId = out.ids[before];
    }

    /** A string member; returns the index after it. */
    private int string(int i) throws NotPlain {
        if (lex.at(i) != '"') {
            throw NotPlain.INSTANCE;
        }
        return lex.string(i);
    }
}
