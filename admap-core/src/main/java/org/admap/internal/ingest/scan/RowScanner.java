package org.admap.internal.ingest.scan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.admap.ingest.Layout;
import org.admap.internal.text.TextKeys;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;

/**
 * Reads the rows of admap's multi-response layout, keeping ids, prompt positions, scores
 * and labels. Most lines are read by hand ({@link PlainRowScanner}); a line that scanner
 * leaves alone is read with Jackson's streaming parser, which skips response texts,
 * models and references as tokens without decoding them. Rows of the pairwise layout
 * ({@link PlainPairScanner}), UltraFeedback's raw rows and the long layout's
 * ({@link PlainLongScanner}) are read by hand alone: a line the hand-written reader leaves
 * alone is not scannable.
 *
 * <p>It accepts only the plain shape of the layout and throws {@link NotScannable} on
 * anything else (numeric strings as scores, lists as references, repeated fields, bad
 * JSON, a missing prompt), so that every row it accepts gives exactly what
 * {@code MultiResponseLayout} gives. One difference remains: a lone carriage return
 * between two tokens of a row is whitespace here, where the full ingest's line reader ends
 * the line there (and then fails on the broken row); no JSON writer emits one.
 */
final class RowScanner {

    private static final int ID = 1;
    private static final int PROMPT = 2;
    private static final int INPUT = 4;
    private static final int REFERENCE = 8;
    private static final int RESPONSES = 16;

    private final JsonFactory factory;
    private final PromptBudget budget;
    private final boolean alwaysKeep;
    private final PlainLineScanner plain;
    /** Whether a line the hand-written reader leaves alone goes to Jackson (the multi-response layout only). */
    private final boolean general;

    /**
     * @param layout     the rows' layout: {@link Layout#MULTI}, {@link Layout#PAIRWISE},
     *                   {@link Layout#ULTRAFEEDBACK} or {@link Layout#LONG}
     * @param budget     the bytes of prompt literals the scan may keep in memory
     * @param alwaysKeep keep every prompt literal whatever the budget (input that cannot be read twice)
     */
    RowScanner(JsonFactory factory, Layout layout, PromptBudget budget, boolean alwaysKeep) {
        this(factory, layout, budget, alwaysKeep, true, false);
    }

    /**
     * @param plainFirst try the hand-written reader on each row first (false: Jackson alone, for tests)
     * @param inArray    the rows are the elements of a JSON array ({@link #scanElements}), not lines
     */
    RowScanner(JsonFactory factory, Layout layout, PromptBudget budget, boolean alwaysKeep, boolean plainFirst,
               boolean inArray) {
        this.factory = factory;
        this.budget = budget;
        this.alwaysKeep = alwaysKeep;
        this.general = layout == Layout.MULTI;
        this.plain = switch (layout) {
            case MULTI -> plainFirst ? new PlainRowScanner(PlainRowScanner.Names.MULTI, budget, alwaysKeep, inArray)
                    : null;
            case ULTRAFEEDBACK -> new PlainRowScanner(PlainRowScanner.Names.ULTRAFEEDBACK, budget, alwaysKeep,
                    inArray);
            case PAIRWISE -> new PlainPairScanner(budget, alwaysKeep, inArray);
            case LONG -> new PlainLongScanner(budget, alwaysKeep, inArray);
            default -> throw new IllegalArgumentException("the scan reads the multi-response, pairwise,"
                    + " ultrafeedback and long layouts, not " + layout);
        };
    }

    /**
     * Scans the whole lines in {@code buf[from, to)}, which start at file offset {@code base}:
     * each line must hold one JSON object (or be blank). Lines of the plain shape are read by
     * {@link PlainRowScanner}; any other line by Jackson, which accepts or refuses it.
     */
    void scanBlock(byte[] buf, int from, int to, long base, ScannedChunk out) throws NotScannable {
        if (!Utf8Check.valid(buf, from, to)) {
            throw new NotScannable("bytes that are not UTF-8"); // the full ingest names the line
        }
        int s = from;
        if (base + from == 0 && to - from >= 3 && (buf[from] & 0xff) == 0xEF && (buf[from + 1] & 0xff) == 0xBB
                && (buf[from + 2] & 0xff) == 0xBF) {
            s += 3; // byte-order mark
        }
        while (s < to) {
            int next = plain == null ? PlainLineScanner.NOT_PLAIN : plain.scanLine(buf, s, to, base, out);
            if (next == PlainLineScanner.NOT_PLAIN) {
                if (!general) {
                    throw new NotScannable("a row of a shape the scan does not read, at byte " + (base + s));
                }
                next = s;
                while (next < to && buf[next] != '\n') {
                    next++;
                }
                next = Math.min(to, next + 1);
                scanLines(buf, s, next, base, out);
            }
            s = next;
        }
    }

    /**
     * Scans the elements of a JSON array that lie in {@code buf[from, to)}, which starts at file
     * offset {@code base}: a range of the array cut just before an element's opening brace
     * ({@link ArrayCuts}), or the array's whole text. Each element must be an object; elements
     * of the plain shape are read by the layout's hand-written reader, others (the
     * multi-response layout only) by Jackson.
     *
     * <p>The range must end where its last element's comma and the spaces after it end, or, in
     * the last range, after the array's closing bracket and trailing spaces. A range that ends
     * anywhere else was cut inside an element, which is refused: as the first range starts at
     * the array's start, a range that ends right starts the next one right, so a wrong cut is
     * always found.
     *
     * @param first whether the range starts the file (a byte-order mark, spaces, then the array's bracket)
     * @param last  whether the range ends the file
     */
    void scanElements(byte[] buf, int from, int to, long base, boolean first, boolean last, ScannedChunk out)
            throws NotScannable {
        if (!Utf8Check.valid(buf, from, to)) {
            throw new NotScannable("bytes that are not UTF-8");
        }
        int i = from;
        if (first) {
            if (to - from >= 3 && (buf[from] & 0xff) == 0xEF && (buf[from + 1] & 0xff) == 0xBB
                    && (buf[from + 2] & 0xff) == 0xBF) {
                i += 3; // byte-order mark
            }
            i = spaces(buf, i, to);
            if (i >= to || buf[i] != '[') {
                throw new NotScannable("a JSON file that is not an array");
            }
            i = spaces(buf, i + 1, to);
            if (i < to && buf[i] == ']') {
                ends(buf, i + 1, to, base, last);
                return;
            }
        }
        boolean afterComma = !first; // a later range starts where the one before ended, after a comma
        while (true) {
            if (i >= to) {
                if (afterComma && !last) {
                    return;
                }
                throw new NotScannable(last ? "a JSON array that does not end with ']'"
                        : "a range of the JSON array that ends inside an element, at byte " + (base + to));
            }
            if (buf[i] != '{') {
                throw new NotScannable("an element of the JSON array that is not an object, at byte " + (base + i));
            }
            i = spaces(buf, scanObject(buf, i, to, base, out), to);
            if (i < to && buf[i] == ',') {
                i = spaces(buf, i + 1, to);
                afterComma = true;
            } else if (i < to && buf[i] == ']') {
                ends(buf, i + 1, to, base, last);
                return;
            } else {
                // cut inside an element, or broken JSON: the full ingest names the line
                throw new NotScannable("an element of the JSON array not followed by ',' or ']', at byte "
                        + (base + i));
            }
        }
    }

    /**
     * Scans the one object whose brace is at {@code buf[from]} and that ends before {@code to}
     * (an array's element, or a CSV record written as JSON by {@link CsvRecords}), with line
     * ends as spaces; returns the index after it.
     */
    int scanObject(byte[] buf, int from, int to, long base, ScannedChunk out) throws NotScannable {
        int next = plain == null ? PlainLineScanner.NOT_PLAIN : plain.scanElement(buf, from, to, base, out);
        if (next == PlainLineScanner.NOT_PLAIN) {
            if (!general) {
                throw new NotScannable("a row of a shape the scan does not read, at byte " + (base + from));
            }
            next = element(buf, from, to, base, out);
        }
        return next;
    }

    /** After the array's closing bracket: spaces up to the file's end. */
    private static void ends(byte[] buf, int i, int to, long base, boolean last) throws NotScannable {
        int j = spaces(buf, i, to);
        if (!last || j < to) {
            throw new NotScannable("more than one JSON array, at byte " + (base + j));
        }
    }

    /** Skips JSON's spaces: space, tab, line feed, carriage return. */
    static int spaces(byte[] buf, int i, int to) {
        while (i < to) {
            byte b = buf[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    /** One element read by Jackson, its brace at {@code buf[s]}; returns the index after it. */
    private int element(byte[] buf, int s, int to, long base, ScannedChunk out) throws NotScannable {
        try (JsonParser p = factory.createParser(buf, s, to - s)) {
            p.nextToken();
            scanRow(p, buf, s, to, base, out);
            return s + (int) p.currentLocation().getByteOffset();
        } catch (IOException e) {
            throw new NotScannable("malformed JSON, or a range of the array that ends inside an element, at byte "
                    + (base + s) + ": " + e.getMessage());
        }
    }

    /** Scans whole lines with one Jackson parser. */
    private void scanLines(byte[] buf, int s, int to, long base, ScannedChunk out) throws NotScannable {
        try (JsonParser p = factory.createParser(buf, s, to - s)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t != JsonToken.START_OBJECT) {
                    throw new NotScannable("a line that is not a JSON object near byte "
                            + (base + s + p.currentTokenLocation().getByteOffset()));
                }
                scanRow(p, buf, s, to, base, out);
                int i = s + (int) p.currentLocation().getByteOffset(); // just after the object
                for (; i < to && buf[i] != '\n'; i++) {
                    if (!isBlank(buf[i])) {
                        throw new NotScannable("more than a JSON object on the line at byte " + (base + i));
                    }
                }
            }
        } catch (IOException e) {
            throw new NotScannable("malformed JSON: " + e.getMessage());
        }
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    /** Reads one row; the parser stands on its START_OBJECT, {@code buf[s]} is the parser's byte 0. */
    private void scanRow(JsonParser p, byte[] buf, int s, int to, long base, ScannedChunk out)
            throws IOException, NotScannable {
        long origin = base + s;
        int seen = 0;
        String id = null;
        long promptOffset = -1;
        long inputOffset = -1;
        long referenceOffset = -1;
        int responses = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            int bit = switch (name) {
                case "id" -> ID;
                case "prompt" -> PROMPT;
                case "input" -> INPUT;
                case "reference" -> REFERENCE;
                case "responses" -> RESPONSES;
                default -> 0;
            };
            if (bit == 0) {
                p.skipChildren();
                continue;
            }
            if ((seen & bit) != 0) {
                throw new NotScannable("field '" + name + "' repeated");
            }
            seen |= bit;
            switch (bit) {
                case ID -> id = id(p, v);
                case PROMPT -> {
                    if (v != JsonToken.VALUE_STRING) {
                        throw new NotScannable("prompt is not a string");
                    }
                    promptOffset = origin + p.currentTokenLocation().getByteOffset();
                }
                case INPUT -> {
                    if (v == JsonToken.VALUE_STRING) {
                        inputOffset = origin + p.currentTokenLocation().getByteOffset();
                    } else if (v != JsonToken.VALUE_NULL) {
                        throw new NotScannable("input is not a string");
                    }
                }
                case REFERENCE -> {
                    if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                        throw new NotScannable("reference is not a string");
                    }
                    if (v == JsonToken.VALUE_STRING) {
                        referenceOffset = origin + p.currentTokenLocation().getByteOffset();
                    }
                }
                default -> responses = responses(p, v, buf, s, to, base, out);
            }
        }
        if (promptOffset < 0 || (seen & RESPONSES) == 0 || responses == 0) {
            throw new NotScannable("a row without prompt or responses");
        }
        finishRow(buf, to, base, (int) (promptOffset - base), inputOffset < 0 ? -1 : (int) (inputOffset - base),
                referenceOffset < 0 ? -1 : (int) (referenceOffset - base), id, out, budget, alwaysKeep);
    }

    /**
     * Ends a row read by either scanner: an empty input counts as none, a row without id
     * gets the id of its full prompt, and the prompt's literal is kept while the budget
     * lasts.
     *
     * @param to          a bound in {@code buf} after the row's strings
     * @param promptQuote the index in {@code buf} of the prompt's opening quote
     * @param inputQuote  that of the input's, or -1
     * @param referenceQuote that of the reference's, or -1
     */
    static void finishRow(byte[] buf, int to, long base, int promptQuote, int inputQuote, int referenceQuote, String id,
                          ScannedChunk out, PromptBudget budget, boolean alwaysKeep) throws NotScannable {
        long promptHash;
        long normalisedHash;
        int promptClose = JsonStrings.plainAsciiClose(buf, promptQuote, to);
        int inputClose = inputQuote < 0 ? 0 : JsonStrings.plainAsciiClose(buf, inputQuote, to);
        if (id != null && promptClose > 0 && inputClose >= 0) {
            // the common case, keyed from the bytes as they are: the same keys as the strings below
            if (inputQuote >= 0 && inputClose == inputQuote + 1) {
                inputQuote = -1;
            }
            int promptLength = promptClose - promptQuote - 1;
            int inputLength = inputQuote < 0 ? 0 : inputClose - inputQuote - 1;
            byte[] input = inputQuote < 0 ? null : buf;
            promptHash = TextKeys.hash64(buf, promptQuote + 1, promptLength, input, inputQuote + 1, inputLength);
            normalisedHash = TextKeys.normalisedHash64Ascii(buf, promptQuote + 1, promptLength,
                    input, inputQuote + 1, inputLength);
        } else {
            try {
                String input = inputQuote < 0 ? null : JsonStrings.at(buf, inputQuote, to);
                if (input != null && input.isEmpty()) {
                    inputQuote = -1;
                }
                String full = Item.fullPrompt(JsonStrings.at(buf, promptQuote, to), input);
                if (id == null) {
                    id = ItemIds.fromPrompt(full);
                }
                promptHash = TextKeys.hash64(full);
                normalisedHash = TextKeys.hash64(TextKeys.normalise(full));
            } catch (IOException e) {
                throw new NotScannable("malformed JSON string: " + e.getMessage());
            }
        }
        out.keepLiterals(buf, promptQuote, inputQuote, to, budget, alwaysKeep);
        out.endItem(id, base + promptQuote, inputQuote < 0 ? -1 : base + inputQuote,
                referenceQuote < 0 ? -1 : base + referenceQuote, promptHash, normalisedHash);
    }

    private static String id(JsonParser p, JsonToken v) throws IOException, NotScannable {
        String id;
        if (v == JsonToken.VALUE_STRING) {
            id = p.getText();
        } else if (v == JsonToken.VALUE_NULL) {
            return null;
        } else if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            id = Long.toString(p.getLongValue());
        } else {
            throw new NotScannable("an id that is neither a string nor an integer");
        }
        return id.isBlank() ? null : id;
    }

    private static int responses(JsonParser p, JsonToken v, byte[] buf, int s, int to, long base, ScannedChunk out)
            throws IOException, NotScannable {
        if (v != JsonToken.START_ARRAY) {
            throw new NotScannable("responses is not an array");
        }
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_STRING) {
                int quote = s + (int) p.currentTokenLocation().getByteOffset();
                out.addResponse(Response.ABSENT, Response.ABSENT, base + quote,
                        JsonStrings.literalLength(buf, quote, to), TextKeys.responseFilter(buf, quote, to), -1);
            } else if (t == JsonToken.START_OBJECT) {
                response(p, buf, s, to, base, out);
            } else {
                throw new NotScannable("a response that is neither an object nor a string");
            }
            n++;
        }
        return n;
    }

    private static void response(JsonParser p, byte[] buf, int s, int to, long base, ScannedChunk out)
            throws IOException, NotScannable {
        int quote = -1;
        double score = Response.ABSENT;
        double label = Response.ABSENT;
        int model = -1;
        int seen = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            int bit;
            switch (name) {
                case "text" -> {
                    bit = 1;
                    if (v != JsonToken.VALUE_STRING) {
                        throw new NotScannable("a response text that is not a string");
                    }
                    quote = s + (int) p.currentTokenLocation().getByteOffset();
                }
                case "score" -> {
                    bit = 2;
                    score = number(p, v);
                }
                case "label" -> {
                    bit = 4;
                    label = number(p, v);
                }
                case "model" -> {
                    bit = 8;
                    if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                        throw new NotScannable("a model that is not a string");
                    }
                    if (v == JsonToken.VALUE_STRING) {
                        int modelQuote = s + (int) p.currentTokenLocation().getByteOffset();
                        model = out.model(buf, modelQuote, modelQuote + JsonStrings.literalLength(buf, modelQuote, to));
                    }
                }
                default -> {
                    bit = 0;
                    p.skipChildren();
                }
            }
            if ((seen & bit) != 0) {
                throw new NotScannable("response field '" + name + "' repeated");
            }
            seen |= bit;
        }
        if ((seen & 1) == 0) {
            throw new NotScannable("a response without text");
        }
        out.addResponse(score, label, base + quote, JsonStrings.literalLength(buf, quote, to),
                TextKeys.responseFilter(buf, quote, to), model);
    }

    private static double number(JsonParser p, JsonToken v) throws IOException, NotScannable {
        if (v == JsonToken.VALUE_NULL) {
            return Response.ABSENT;
        }
        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new NotScannable("a score or label that is not a number");
        }
        double d = p.getDoubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d) || Math.abs(d) > 1e150) {
            // the full ingest refuses it with file:line:field
            throw new NotScannable("a score or label that is not finite, or whose square overflows");
        }
        return d;
    }
}
