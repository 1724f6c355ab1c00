package org.admap.internal.columns;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.admap.ingest.IngestException;
import org.admap.ingest.MultiResponseRow;
import org.admap.internal.ingest.scan.JsonStrings;
import org.admap.internal.store.ItemDetails;
import org.admap.internal.text.TextKeys;
import org.admap.model.Item;
import org.admap.model.Response;
import org.admap.model.SourceLocation;

/**
 * Reads texts back from a run's input files where its {@link RunColumns} say they lie, each
 * checked against what the scan recorded (a response's length and filter, a prompt's hash),
 * after checking that every file has the size and modification time it had. A file that is
 * missing or changed is an {@link InputChangedException} naming it, never a wrong text.
 *
 * <p>Texts are read with positional reads, not by mapping the files: a million scattered reads
 * of a mapped file bring most of its pages into the process's resident memory, while a read
 * copies only what is asked from the page cache. Safe for several threads at once.
 */
public final class InputTexts implements AutoCloseable {

    /** Bytes read on either side of an item's known extent, to find its line's ends in one read. */
    private static final int MARGIN = 256;
    private static final JsonFactory JSON = new JsonFactory();

    private final RunColumns columns;
    private final List<FileChannel> channels = new ArrayList<>();
    private final List<Long> sizes = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();

    /** Opens the inputs of the columns after checking each one's size and modification time. */
    public InputTexts(RunColumns columns) throws IOException {
        this.columns = columns;
        boolean ok = false;
        try {
            for (RunColumns.InputFile f : columns.header().inputs()) {
                Path p = Path.of(f.path());
                if (!Files.isRegularFile(p)) {
                    throw new InputChangedException(f.path() + " is missing: the run reads its texts from it (map"
                            + " it again where it now lies, or restore it)");
                }
                long size = Files.size(p);
                long modified = Files.getLastModifiedTime(p).toMillis();
                if (size != f.size() || modified != f.modifiedMillis()) {
                    throw new InputChangedException(f.path() + " changed since its map was built (" + (size != f.size()
                            ? "size " + f.size() + " then, " + size + " now" : "modified time differs")
                            + "): its texts may have moved; map it again with 'admap map'");
                }
                FileChannel ch;
                try {
                    ch = FileChannel.open(p, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    throw new InputChangedException(f.path() + " is missing");
                }
                channels.add(ch);
                paths.add(f.path());
                sizes.add(size);
            }
            ok = true;
        } finally {
            if (!ok) {
                close();
            }
        }
    }

    /** The bytes {@code [offset, offset + length)} of input {@code file}, by one positional read. */
    private byte[] bytes(int file, long offset, int length) throws IOException {
        byte[] out = new byte[length];
        ByteBuffer b = ByteBuffer.wrap(out);
        FileChannel ch = channels.get(file);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                throw changed(file, offset);
            }
        }
        return out;
    }

    private InputChangedException changed(int file, long offset) {
        return new InputChangedException(paths.get(file) + " changed since its map was built: the text at byte "
                + offset + " is not the one the map read; map it again with 'admap map'");
    }

    /** The text of response {@code r} of item {@code key}, checked. */
    public String response(int key, int r) throws IOException {
        int file = columns.file(key);
        long offset = columns.textOffset(r);
        byte[] literal = bytes(file, offset, columns.textLength(r));
        if (literal.length < 2 || literal[0] != '"' || literal[literal.length - 1] != '"'
                || TextKeys.responseFilter(literal, 0, literal.length) != columns.textFilter(r)) {
            throw changed(file, offset);
        }
        return JsonStrings.at(literal, 0, literal.length);
    }

    /** The full prompt of item {@code key} (with its alpaca-style input), checked against its hash. */
    public String prompt(int key) throws IOException {
        String prompt = literal(key, columns.promptOffset(key));
        long inputOffset = columns.inputOffset(key);
        String full = Item.fullPrompt(prompt, inputOffset < 0 ? null : literal(key, inputOffset));
        if (TextKeys.hash64(full) != columns.promptHash(key)) {
            throw changed(columns.file(key), columns.promptOffset(key));
        }
        return full;
    }

    /** The prompt and input of item {@code key} apart ({@code input} empty when none), checked. */
    public String[] promptAndInput(int key) throws IOException {
        String prompt = literal(key, columns.promptOffset(key));
        long inputOffset = columns.inputOffset(key);
        String input = inputOffset < 0 ? "" : literal(key, inputOffset);
        if (TextKeys.hash64(Item.fullPrompt(prompt, input)) != columns.promptHash(key)) {
            throw changed(columns.file(key), columns.promptOffset(key));
        }
        return new String[] {prompt, input};
    }

    /**
     * The prompt and input of item {@code key} as {@link #promptAndInput} gives them, each cut
     * to its first {@code maxChars} code points, checked against the whole prompt's hash as
     * there: for the excerpts of a report, a quarter of a million of them. A literal of plain
     * ASCII without escapes (most prompts) is its own UTF-8, so the hash is taken over its
     * bytes as read and only its beginning becomes a String; any other literal is decoded
     * whole, as promptAndInput decodes it.
     */
    public String[] promptAndInputCut(int key, int maxChars) throws IOException {
        int file = columns.file(key);
        long promptOffset = columns.promptOffset(key);
        long inputOffset = columns.inputOffset(key);
        AsciiLiteral prompt = asciiLiteral(file, promptOffset);
        AsciiLiteral input = prompt == null || inputOffset < 0 ? null : asciiLiteral(file, inputOffset);
        if (prompt == null || (inputOffset >= 0 && input == null)) {
            String[] pi = promptAndInput(key);
            return new String[] {ItemDetails.cutCodePoints(pi[0], maxChars),
                ItemDetails.cutCodePoints(pi[1], maxChars)};
        }
        boolean withInput = input != null && input.length() > 0; // as Item.fullPrompt: an empty input adds nothing
        long hash = withInput
                ? TextKeys.hash64(prompt.bytes(), 1, prompt.length(), input.bytes(), 1, input.length())
                : TextKeys.hash64(prompt.bytes(), 1, prompt.length(), null, 0, 0);
        if (hash != columns.promptHash(key)) {
            throw changed(file, promptOffset);
        }
        return new String[] {prompt.prefix(maxChars), input == null ? "" : input.prefix(maxChars)};
    }

    /** A string literal read whole, opening quote at {@code bytes[0]}, its text {@code length} ASCII bytes from 1. */
    private record AsciiLiteral(byte[] bytes, int length) {

        /** The first {@code maxChars} characters (ASCII: characters are code points are bytes). */
        String prefix(int maxChars) {
            return new String(bytes, 1, Math.min(length, maxChars), StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * The literal at {@code offset} when it is plain ASCII (no escape, no control character),
     * read in growing windows until it closes as {@link #literal(int, long)} reads it; null
     * for any other literal. What is not a literal there fails as there.
     */
    private AsciiLiteral asciiLiteral(int file, long offset) throws IOException {
        int window = 512;
        while (true) {
            byte[] b = bytes(file, offset, (int) Math.min(window, sizes.get(file) - offset));
            if (b.length == 0 || b[0] != '"') {
                throw changed(file, offset);
            }
            for (int i = 1; i < b.length; i++) {
                byte c = b[i];
                if (c == '"') {
                    return new AsciiLiteral(b, i - 1);
                }
                if (c == '\\' || c < 0x20) { // c < 0: a byte of a multi-byte character
                    return null;
                }
            }
            if (b.length < window) {
                throw changed(file, offset);
            }
            window *= 4;
        }
    }

    /**
     * The whole item {@code key} as the run store holds it: with the id the run gave it, and
     * each response's score taken from the map's source (the labels when the map is on the
     * labels). From columns that know every literal of the item (version 2) it is put
     * together from them: the numbers and models from the columns, the prompt, input,
     * reference and texts decoded from their literals on the item's line, checked against the
     * prompt's hash and each text's filter; the scan took the row only when these are all the
     * full ingest reads of it. From older columns the line is parsed as the full ingest parses
     * it ({@link #parsedItem}).
     */
    public Item item(int key) throws IOException {
        if (!columns.hasModels()) {
            return parsedItem(key);
        }
        int file = columns.file(key);
        Line line = literalsAt(key);
        String prompt = line.literal(columns.promptOffset(key));
        long inputOffset = columns.inputOffset(key);
        String input = inputOffset < 0 ? "" : line.literal(inputOffset);
        if (TextKeys.hash64(Item.fullPrompt(prompt, input)) != columns.promptHash(key)) {
            throw changed(file, columns.promptOffset(key));
        }
        long referenceOffset = columns.referenceOffset(key);
        String reference = referenceOffset < 0 ? null : line.literal(referenceOffset);
        if (reference != null && reference.isBlank()) {
            reference = null; // as the full ingest reads a blank reference
        }
        boolean onLabels = "labels".equals(columns.header().scoreSource());
        int from = columns.responseStart(key);
        int to = columns.responseEnd(key);
        List<Response> responses = new ArrayList<>(to - from);
        for (int r = from; r < to; r++) {
            long offset = columns.textOffset(r);
            int q = (int) (offset - line.start);
            int length = columns.textLength(r);
            if (q < 0 || q + length > line.bytes.length || length < 2 || line.bytes[q] != '"'
                    || line.bytes[q + length - 1] != '"'
                    || TextKeys.responseFilter(line.bytes, q, q + length) != columns.textFilter(r)) {
                throw changed(file, offset);
            }
            String text = decoded(line.bytes, q, length);
            responses.add(new Response(text, onLabels ? columns.label(r) : columns.score(r), columns.label(r),
                    columns.model(r)));
        }
        return new Item(columns.id(key), prompt, input, reference, responses,
                SourceLocation.line(paths.get(file), 0));
    }

    /**
     * Item {@code key} read from its line by the full ingest's parser ({@link MultiResponseRow}),
     * with the id and scores as {@link #item} gives them; checked against the columns (the
     * prompt's hash, the responses, their numbers). The way for columns of version 1, which do
     * not know every literal of an item.
     */
    public Item parsedItem(int key) throws IOException {
        int file = columns.file(key);
        long promptOffset = columns.promptOffset(key);
        int from = columns.responseStart(key);
        int to = columns.responseEnd(key);
        byte[] line = line(key);
        SourceLocation location = SourceLocation.line(paths.get(file), 0);
        Item read;
        try {
            read = MultiResponseRow.read(line, location);
        } catch (IngestException e) {
            throw changed(file, promptOffset);
        }
        if (TextKeys.hash64(read.fullPrompt()) != columns.promptHash(key) || read.responses().size() != to - from) {
            throw changed(file, promptOffset);
        }
        boolean onLabels = "labels".equals(columns.header().scoreSource());
        List<Response> responses = new ArrayList<>(to - from);
        for (int r = from; r < to; r++) {
            Response x = read.responses().get(r - from);
            if (Double.compare(x.score(), columns.score(r)) != 0 || Double.compare(x.label(), columns.label(r)) != 0) {
                throw changed(file, columns.textOffset(r));
            }
            responses.add(new Response(x.text(), onLabels ? x.label() : x.score(), x.label(), x.model()));
        }
        return new Item(columns.id(key), read.prompt(), read.input(), read.reference(), responses, location,
                read.turns());
    }

    /**
     * The model of each response of item {@code key} (null where it has none), read from its
     * line without building the row: the scan took the line only when each response's
     * {@code model} is a string or null, so a streaming pass over the {@code responses} finds
     * what the full ingest stores. Checked against the number of responses the columns hold.
     */
    public String[] models(int key) throws IOException {
        String[] models = new String[columns.responseEnd(key) - columns.responseStart(key)];
        int n = 0;
        try (JsonParser p = JSON.createParser(line(key))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw changed(columns.file(key), columns.promptOffset(key));
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                boolean responses = p.currentName().equals("responses");
                if (p.nextToken() != JsonToken.START_ARRAY || !responses) {
                    p.skipChildren();
                    continue;
                }
                for (JsonToken r = p.nextToken(); r != JsonToken.END_ARRAY; r = p.nextToken()) {
                    String model = null;
                    if (r == JsonToken.START_OBJECT) {
                        for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                            boolean isModel = p.currentName().equals("model");
                            if (p.nextToken() == JsonToken.VALUE_STRING && isModel) {
                                model = p.getText();
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                    if (n == models.length) {
                        throw changed(columns.file(key), columns.promptOffset(key));
                    }
                    models[n++] = model;
                }
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw changed(columns.file(key), columns.promptOffset(key));
        }
        if (n != models.length) {
            throw changed(columns.file(key), columns.promptOffset(key));
        }
        return models;
    }

    /**
     * The text of the literal {@code b[q, q + length)}, whose closing quote the scan recorded:
     * one decoding of its bytes when it holds no escape (the searches for one are vectorised),
     * as {@link JsonStrings#at} decodes it otherwise.
     */
    private static String decoded(byte[] b, int q, int length) throws IOException {
        String s = new String(b, q + 1, length - 2, StandardCharsets.UTF_8);
        if (s.indexOf('\\') < 0 && s.indexOf('"') < 0) {
            return s;
        }
        return JsonStrings.at(b, q, q + length);
    }

    /** The line of item {@code key} in its input, without its line end or a byte-order mark. */
    private byte[] line(int key) throws IOException {
        Line line = lineAt(key);
        byte[] b = line.bytes;
        if (line.start == 0 && b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB
                && (b[2] & 0xff) == 0xBF) {
            b = java.util.Arrays.copyOfRange(b, 3, b.length); // byte-order mark
        }
        return b;
    }

    /** A line's bytes (without its line end) and the file offset of its first byte. */
    private final class Line {
        final long start;
        final byte[] bytes;
        final int file;

        Line(long start, byte[] bytes, int file) {
            this.start = start;
            this.bytes = bytes;
            this.file = file;
        }

        /**
         * The string literal whose opening quote is at file offset {@code offset}, decoded; one
         * that goes on past these bytes (a prompt after the item's last text) is read from the file.
         */
        String literal(long offset) throws IOException {
            long q = offset - start;
            if (q < 0 || q >= bytes.length) {
                return InputTexts.this.literalIn(file, offset);
            }
            if (bytes[(int) q] != '"') {
                throw changed(file, offset);
            }
            if (closingQuote(bytes, (int) q) < 0) {
                return InputTexts.this.literalIn(file, offset);
            }
            try {
                return JsonStrings.at(bytes, (int) q, bytes.length);
            } catch (IOException e) {
                throw changed(file, offset);
            }
        }
    }

    /**
     * The bytes of item {@code key}'s input from its first recorded literal (prompt, input,
     * reference or a text) to a margin past its last text's end: one read that holds what
     * {@link #item} decodes, whatever the order of the item's members and however many lines
     * it spans (an element of a pretty-printed JSON array). A prompt or input after the last
     * text may run past it; {@link Line#literal} reads those on.
     */
    private Line literalsAt(int key) throws IOException {
        int file = columns.file(key);
        long lo = columns.promptOffset(key);
        long inputOffset = columns.inputOffset(key);
        long referenceOffset = columns.referenceOffset(key);
        if (inputOffset >= 0) {
            lo = Math.min(lo, inputOffset);
        }
        if (referenceOffset >= 0) {
            lo = Math.min(lo, referenceOffset);
        }
        long hi = lo;
        for (int r = columns.responseStart(key); r < columns.responseEnd(key); r++) {
            long offset = columns.textOffset(r);
            lo = Math.min(lo, offset);
            hi = Math.max(hi, offset + columns.textLength(r));
        }
        hi = Math.min(sizes.get(file), hi + MARGIN);
        return new Line(lo, bytes(file, lo, Math.toIntExact(hi - lo)), file);
    }

    /** The line of item {@code key} in its input, line end excluded, and where it starts. */
    private Line lineAt(int key) throws IOException {
        int file = columns.file(key);
        long promptOffset = columns.promptOffset(key);
        long size = sizes.get(file);
        int to = columns.responseEnd(key);
        // the line holds the prompt and every response's text: one read of that extent and a
        // margin usually finds both of its ends (a JSON line holds no raw line feed)
        long textEnd = Math.max(promptOffset, columns.textOffset(to - 1) + columns.textLength(to - 1));
        long lo = Math.max(0, promptOffset - MARGIN);
        long hi = Math.min(size, textEnd + MARGIN);
        byte[] window = bytes(file, lo, Math.toIntExact(hi - lo));
        int i = (int) (promptOffset - lo) - 1;
        while (i >= 0 && window[i] != '\n') {
            i--;
        }
        long start = i >= 0 || lo == 0 ? lo + i + 1 : lineStart(file, lo);
        int j = (int) (textEnd - lo);
        while (j < window.length && window[j] != '\n') {
            j++;
        }
        long end = j < window.length || hi == size ? lo + j : lineEnd(file, hi, size);
        byte[] line = start >= lo && end <= hi
                ? java.util.Arrays.copyOfRange(window, (int) (start - lo), (int) (end - lo))
                : bytes(file, start, Math.toIntExact(end - start));
        return new Line(start, line, file);
    }

    /** The start of the line that holds byte {@code before - 1}: after the last line feed before it. */
    private long lineStart(int file, long before) throws IOException {
        long start = before;
        int window = 4 * MARGIN;
        while (start > 0) {
            int n = (int) Math.min(window, start);
            byte[] b = bytes(file, start - n, n);
            int i = n - 1;
            while (i >= 0 && b[i] != '\n') {
                i--;
            }
            start -= n - i - 1;
            if (i >= 0) {
                break;
            }
            window = Math.min(window * 4, 1 << 20);
        }
        return start;
    }

    /** The end of the line that holds byte {@code from}: its next line feed, or the file's end. */
    private long lineEnd(int file, long from, long size) throws IOException {
        long end = from;
        int window = 4 * MARGIN;
        while (end < size) {
            int n = (int) Math.min(window, size - end);
            byte[] b = bytes(file, end, n);
            int i = 0;
            while (i < n && b[i] != '\n') {
                i++;
            }
            end += i;
            if (i < n) {
                break;
            }
            window = Math.min(window * 4, 1 << 20);
        }
        return end;
    }

    /** A string literal whose length is not recorded: read in growing windows until it closes. */
    private String literal(int key, long offset) throws IOException {
        return literalIn(columns.file(key), offset);
    }

    /** The string literal at {@code offset} of input {@code file}, read in growing windows until it closes. */
    private String literalIn(int file, long offset) throws IOException {
        int window = 512;
        while (true) {
            byte[] b = bytes(file, offset, (int) Math.min(window, sizes.get(file) - offset));
            if (b.length == 0 || b[0] != '"') {
                throw changed(file, offset);
            }
            int end = closingQuote(b);
            if (end > 0) {
                return JsonStrings.at(b, 0, end + 1);
            }
            if (b.length < window) {
                throw changed(file, offset);
            }
            window *= 4;
        }
    }

    private static int closingQuote(byte[] b) {
        return closingQuote(b, 0);
    }

    /** The index of the quote that closes the literal opened at {@code b[q]}, or -1 when it goes on past b. */
    private static int closingQuote(byte[] b, int q) {
        for (int i = q + 1; i < b.length; i++) {
            if (b[i] == '\\') {
                i++;
            } else if (b[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        for (FileChannel ch : channels) {
            ch.close();
        }
        channels.clear();
    }
}
