package org.admap.internal.ingest.scan;

import java.io.IOException;
import org.admap.internal.text.TextKeys;

/**
 * Reads the rows of the pairwise layout in its common plain spellings: TRL's {@code prompt},
 * {@code chosen} and {@code rejected} as strings, or alpaca's (LLaMA-Factory's ranking data)
 * and orca's {@code instruction} or {@code question} with an optional {@code input} in place
 * of the prompt, with optional {@code id} (or {@code prompt_id}), {@code score_chosen} /
 * {@code score_rejected} and {@code chosen_model} / {@code rejected_model}. Each row is one
 * item with two responses, chosen (label 1) then rejected (label 0), whichever order the
 * members come in; other members are skipped, as the full ingest ignores them.
 *
 * <p>It gives exactly what {@code PairwiseLayout} gives for the rows it reads, and leaves
 * every other row to the caller: no prompt at all (the prompt is then cut out of the
 * responses), message lists, an alpaca row with a {@code system} prompt or a
 * {@code history} (which become the prompt's turns), numbers or strings where the other is
 * expected, one score without the other, a repeated member, and responses that both start
 * with the prompt (which the full ingest cuts off). The caller then hands the whole input to
 * the full ingest, which reads or refuses such rows with its own message.
 *
 * <p>Not thread-safe: one per thread.
 */
final class PlainPairScanner extends PlainLineScanner {

    private static final byte[] ID = ascii("id");
    private static final byte[] PROMPT_ID = ascii("prompt_id");
    private static final byte[] PROMPT = ascii("prompt");
    private static final byte[] INSTRUCTION = ascii("instruction");
    private static final byte[] QUESTION = ascii("question");
    private static final byte[] INPUT = ascii("input");
    private static final byte[] SYSTEM = ascii("system");
    private static final byte[] HISTORY = ascii("history");
    private static final byte[] CHOSEN = ascii("chosen");
    private static final byte[] REJECTED = ascii("rejected");
    private static final byte[] SCORE_CHOSEN = ascii("score_chosen");
    private static final byte[] SCORE_REJECTED = ascii("score_rejected");
    private static final byte[] CHOSEN_MODEL = ascii("chosen_model");
    private static final byte[] REJECTED_MODEL = ascii("rejected_model");

    /** The chosen response's label and the rejected one's, as the full ingest gives them. */
    private static final double CHOSEN_LABEL = 1.0;
    private static final double REJECTED_LABEL = 0.0;

    // the row being read: [0] chosen, [1] rejected
    private String rowId;
    private String promptId;
    private int promptQuote;
    private int promptClose;
    private int inputQuote;
    /** Where the alpaca and orca spellings' members lie, -1 where absent or null. */
    private final int[] alternatives = new int[4];
    private static final int INSTRUCTION_AT = 0;
    private static final int INSTRUCTION_CLOSE = 1;
    private static final int QUESTION_AT = 2;
    private static final int QUESTION_CLOSE = 3;
    /** Whether the row has a system prompt or history that would become turns. */
    private boolean turns;
    private final int[] quotes = new int[2];
    private final int[] closes = new int[2];
    private final double[] scores = new double[2];
    private final int[] models = new int[2];

    PlainPairScanner(PromptBudget budget, boolean alwaysKeep, boolean inArray) {
        super(budget, alwaysKeep, inArray);
    }

    @Override
    int row(int i, ScannedChunk out) throws NotPlain {
        if (lex.at(i) != '{') {
            throw NotPlain.INSTANCE;
        }
        rowId = null;
        promptId = null;
        promptQuote = -1;
        inputQuote = -1;
        java.util.Arrays.fill(alternatives, -1);
        turns = false;
        for (int side = 0; side < 2; side++) {
            quotes[side] = -1;
            scores[side] = org.admap.model.Response.ABSENT;
            models[side] = -1;
        }
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
                if (lex.at(i) == '"') {
                    promptQuote = i;
                    i = lex.string(i);
                    promptClose = i;
                } else {
                    i = lex.nullLiteral(i); // a null prompt is none: the alpaca or orca spelling may give it
                }
            } else if (lex.nameIs(INSTRUCTION)) {
                bit = 512;
                i = optionalString(i, alternatives, INSTRUCTION_AT);
            } else if (lex.nameIs(QUESTION)) {
                bit = 1024;
                i = optionalString(i, alternatives, QUESTION_AT);
            } else if (lex.nameIs(INPUT)) {
                bit = 2048;
                if (lex.at(i) == '"') {
                    inputQuote = i;
                    i = lex.string(i);
                } else {
                    i = lex.nullLiteral(i);
                }
            } else if (lex.nameIs(SYSTEM)) {
                bit = 4096;
                int close = lex.at(i) == '"' ? lex.string(i) : lex.nullLiteral(i);
                turns |= close - i > 2 && lex.at(i) == '"'; // a non-empty system prompt
                i = close;
            } else if (lex.nameIs(HISTORY)) {
                bit = 8192;
                int close = lex.at(i) == 'n' ? lex.nullLiteral(i) : lex.value(i, 1);
                turns |= lex.at(i) == '[' && lex.at(lex.space(i + 1)) != ']'; // a non-empty history
                i = close;
            } else if (lex.nameIs(CHOSEN)) {
                bit = 2;
                i = text(i, 0);
            } else if (lex.nameIs(REJECTED)) {
                bit = 4;
                i = text(i, 1);
            } else if (lex.nameIs(ID)) {
                bit = 8;
                i = id(i);
                rowId = id;
            } else if (lex.nameIs(PROMPT_ID)) {
                bit = 16;
                i = id(i);
                promptId = id;
            } else if (lex.nameIs(SCORE_CHOSEN)) {
                bit = 32;
                i = lex.number(i);
                scores[0] = lex.number();
            } else if (lex.nameIs(SCORE_REJECTED)) {
                bit = 64;
                i = lex.number(i);
                scores[1] = lex.number();
            } else if (lex.nameIs(CHOSEN_MODEL)) {
                bit = 128;
                i = model(i, 0, out);
            } else if (lex.nameIs(REJECTED_MODEL)) {
                bit = 256;
                i = model(i, 1, out);
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
        if ((seen & 6) != 6 || Double.isNaN(scores[0]) != Double.isNaN(scores[1])) {
            throw NotPlain.INSTANCE; // a side missing, or one score alone: the full ingest's rules
        }
        if (promptQuote < 0) {
            // the prompt field comes first; then alpaca's instruction, then orca's question, each with the input
            int at = alternatives[INSTRUCTION_AT] >= 0 ? INSTRUCTION_AT : QUESTION_AT;
            if (alternatives[at] < 0 || turns) {
                throw NotPlain.INSTANCE; // an implicit prompt, or turns: the full ingest's
            }
            promptQuote = alternatives[at];
            promptClose = alternatives[at + 1];
        } else {
            inputQuote = -1; // a row with a prompt has no input
        }
        if (startsWithPrompt(0) && startsWithPrompt(1)) {
            throw NotPlain.INSTANCE; // the full ingest may cut the prompt off both responses
        }
        id = rowId != null ? rowId : promptId;
        return i;
    }

    @Override
    void finish(int close, ScannedChunk out) throws NotScannable {
        for (int side = 0; side < 2; side++) {
            int quote = quotes[side];
            out.addResponse(scores[side], side == 0 ? CHOSEN_LABEL : REJECTED_LABEL, base + quote,
                    closes[side] - quote, TextKeys.responseFilter(buf, quote, closes[side]), models[side]);
        }
        RowScanner.finishRow(buf, close, base, promptQuote, inputQuote, -1, id, out, budget, alwaysKeep);
    }

    /** A string member; returns the index after it. */
    private int string(int i) throws NotPlain {
        if (lex.at(i) != '"') {
            throw NotPlain.INSTANCE;
        }
        return lex.string(i);
    }

    /**
     * A string or null member: a string's quote and end go to {@code into[at]} and
     * {@code into[at + 1]} (a null leaves them). Returns the index after it.
     */
    private int optionalString(int i, int[] into, int at) throws NotPlain {
        if (lex.at(i) != '"') {
            return lex.nullLiteral(i);
        }
        into[at] = i;
        into[at + 1] = lex.string(i);
        return into[at + 1];
    }

    /** The text of one side; returns the index after it. */
    private int text(int i, int side) throws NotPlain {
        quotes[side] = i;
        closes[side] = string(i);
        return closes[side];
    }

    /** The model of one side, a string or null; returns the index after it. */
    private int model(int i, int side, ScannedChunk out) throws NotPlain {
        if (lex.at(i) != '"') {
            return lex.nullLiteral(i);
        }
        int close = lex.string(i);
        models[side] = out.model(buf, i, close);
        return close;
    }

    /**
     * Whether one side's text may start with the prompt's. Bytes are compared while neither
     * literal has an escape (UTF-8 being prefix-free, equal bytes are equal characters and the
     * first differing byte a differing character); past an escape both are decoded.
     */
    private boolean startsWithPrompt(int side) throws NotPlain {
        int p = promptQuote + 1;
        int promptEnd = promptClose - 1;
        int r = quotes[side] + 1;
        int textEnd = closes[side] - 1;
        for (; p < promptEnd; p++, r++) {
            if (r >= textEnd) {
                return false;
            }
            byte a = buf[p];
            byte b = buf[r];
            if (a == '\\' || b == '\\') {
                try {
                    return JsonStrings.at(buf, quotes[side], closes[side])
                            .startsWith(JsonStrings.at(buf, promptQuote, promptClose));
                } catch (IOException e) {
                    throw NotPlain.INSTANCE;
                }
            }
            if (a != b) {
                return false;
            }
        }
        return true;
    }
}
