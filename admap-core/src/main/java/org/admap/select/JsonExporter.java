package org.admap.select;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.admap.internal.store.AtomicFile;
import org.admap.model.Item;
import org.admap.model.MapPoint;
import org.admap.model.Response;
import org.admap.model.Turn;

/**
 * The JSON export formats ({@link ExportFormat}: TRL, LLaMA-Factory alpaca and sharegpt, KTO,
 * listwise, multi), streamed with Jackson's generator. A {@code .json} file gets a JSON array,
 * anything else JSON lines, which both trainers (through {@code datasets}) read.
 *
 * <p>Records are encoded into per-thread buffers ({@link #encode}), so that an export can
 * encode a batch of instructions on every core and {@link #append} them in order; the file is
 * byte for byte what one generator writing them in order made.
 */
final class JsonExporter implements PairExporter {

    private static final JsonFactory JSON = new JsonFactory();
    /** Texts an encoder remembers: more than an instruction's prompt and responses, usually. */
    private static final int RECENT = 8;
    /** Numbers' texts an encoder remembers (a power of two). */
    private static final int NUMBERS = 256;

    /** How prompts and responses are written in the formats that can hold either. */
    private enum Style {
        UNDECIDED, TEXT, MESSAGES
    }

    private final ExportFormat format;
    private final AtomicFile file;
    private final OutputStream out;
    private final boolean array;
    /** Each thread's encoder: records are encoded on every core and written in order. */
    private final ThreadLocal<Encoder> encoders = ThreadLocal.withInitial(Encoder::new);
    private volatile Style style;
    private long records;
    private boolean wroteImages;

    JsonExporter(ExportFormat format, Path path) throws IOException {
        this.format = format;
        this.file = new AtomicFile(path);
        this.array = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        this.out = new BufferedOutputStream(file.stream(), 1 << 16);
        this.style = switch (format) {
            case TRL_CHAT, SHAREGPT -> Style.MESSAGES;
            case TRL, KTO, LISTWISE -> Style.UNDECIDED;
            default -> Style.TEXT;
        };
        if (array) {
            out.write('[');
        }
    }

    /** Whether this file's prompts are chat messages; decided by the first instruction when the format allows both. */
    boolean messages(Item first) {
        if (style == Style.UNDECIDED) {
            style = first.isConversation() ? Style.MESSAGES : Style.TEXT;
        }
        return style == Style.MESSAGES;
    }

    /** Whether the file's prompts are chat messages, once known (false before anything is written). */
    @Override
    public boolean conversational() {
        return style == Style.MESSAGES;
    }

    @Override
    public boolean wroteImages() {
        return wroteImages;
    }

    @Override
    public void write(Item item, MapPoint point, List<Pair> pairs) throws IOException {
        prepare(item);
        append(encode(item, point, pairs));
    }

    @Override
    public void writeUnpaired(Item item, MapPoint point, List<PairBuilder.Completion> completions)
            throws IOException {
        prepare(item);
        append(encodeUnpaired(item, point, completions));
    }

    @Override
    public boolean encodesInParallel() {
        return true;
    }

    @Override
    public void prepare(Item item) {
        messages(item);
    }

    @Override
    public Encoded encode(Item item, MapPoint point, List<Pair> pairs) throws IOException {
        if (format == ExportFormat.KTO) {
            throw new IllegalStateException("the kto format takes completions, not pairs");
        }
        Encoder e = encoders.get();
        switch (format) {
            case MULTI -> e.writeItem(item, point);
            case LISTWISE -> e.writeListwise(item, pairs);
            default -> {
                for (Pair p : pairs) {
                    e.writePair(item, p);
                }
            }
        }
        return e.take();
    }

    @Override
    public Encoded encodeUnpaired(Item item, MapPoint point, List<PairBuilder.Completion> completions)
            throws IOException {
        if (format != ExportFormat.KTO) {
            throw new IllegalStateException("the " + format + " format takes pairs, not completions");
        }
        Encoder e = encoders.get();
        e.unpaired(item, completions);
        return e.take();
    }

    @Override
    public void append(Encoded encoded) throws IOException {
        byte[] b = encoded.bytes();
        // in an array each record comes with the comma before it, which the first one drops
        int skip = array && records == 0 && b.length > 0 ? 1 : 0;
        out.write(b, skip, b.length - skip);
        records += encoded.records();
        wroteImages |= encoded.images();
    }

    /**
     * Encodes records into a buffer of its own: each one as the file's generator wrote it
     * (compact, numbers and escapes Jackson's), followed by a line feed in JSON lines and
     * preceded by a comma in an array.
     */
    private final class Encoder {
        private final ByteArrayBuilder buffer = new ByteArrayBuilder(1 << 14);
        private final JsonGenerator out;
        private long records;
        private boolean images;
        /** The last texts written and their plain bytes (or null), by identity: see {@link #plainBytes}. */
        private final String[] recentTexts = new String[RECENT];
        private final byte[][] recentBytes = new byte[RECENT][];
        private int next;
        /** Recent numbers' texts by their bits, a slot each: see {@link #numberText}. */
        private final long[] numberBits = new long[NUMBERS];
        private final String[] numberTexts = new String[NUMBERS];

        Encoder() {
            try {
                out = JSON.createGenerator(buffer, JsonEncoding.UTF8);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // an in-memory generator does no I/O
            }
            out.setPrettyPrinter(new MinimalPrettyPrinter("")); // no separator between root values
        }

        /** What was encoded since the last take. */
        Encoded take() throws IOException {
            out.flush();
            Encoded e = new Encoded(buffer.toByteArray(), records, images);
            buffer.reset();
            records = 0;
            images = false;
            return e;
        }

        /**
         * A long text as {@link JsonGenerator#writeString} writes it. Most are printable ASCII
         * with nothing to escape, which Jackson would copy char by char: those go as their
         * bytes in one copy; any other text is Jackson's to escape and encode.
         */
        private void writeText(String text) throws IOException {
            byte[] ascii = plainBytes(text);
            if (ascii != null) {
                out.writeRawUTF8String(ascii, 0, ascii.length);
            } else {
                out.writeString(text);
            }
        }

        /**
         * The text's bytes when it is plain ASCII ({@link PlainAscii}), else null; remembered for
         * the last few texts by identity, since an instruction's prompt and responses are each
         * written in several of its pairs.
         */
        private byte[] plainBytes(String text) {
            for (int i = 0; i < RECENT; i++) {
                if (recentTexts[i] == text) {
                    return recentBytes[i];
                }
            }
            byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1); // one byte per char
            byte[] plain = PlainAscii.test(ascii, text) ? ascii : null;
            recentTexts[next] = text;
            recentBytes[next] = plain;
            next = (next + 1) % RECENT;
            return plain;
        }

        private void beginRecord() throws IOException {
            if (array) {
                out.writeRaw(',');
            }
        }

        private void endRecord() throws IOException {
            records++;
            if (!array) {
                out.writeRaw('\n');
            }
        }

        /** The records of one instruction for the unpaired format. */
        void unpaired(Item item, List<PairBuilder.Completion> completions) throws IOException {
            boolean chat = messages(item);
            for (PairBuilder.Completion c : completions) {
                beginRecord();
                out.writeStartObject();
                out.writeStringField("id", item.id());
                writePrompt("prompt", item, chat);
                writeResponse("completion", c.response(), chat);
                out.writeBooleanField("label", c.desirable());
                writeNumber("score", c.response().score());
                writeImages(item);
                out.writeEndObject();
                endRecord();
            }
        }

        void writePair(Item item, Pair p) throws IOException {
            beginRecord();
            out.writeStartObject();
            switch (format) {
                case LLAMA_FACTORY -> {
                    out.writeStringField("instruction", ImageExport.withPlaceholders(item.prompt(), item.images()));
                    out.writeStringField("input", item.input());
                    out.writeFieldName("chosen");
                    writeText(p.chosen().text());
                    out.writeFieldName("rejected");
                    writeText(p.rejected().text());
                    out.writeStringField("id", item.id());
                    writeImages(item);
                }
                case SHAREGPT -> {
                    out.writeArrayFieldStart("conversations");
                    boolean placed = false;
                    for (Turn t : promptTurns(item)) {
                        out.writeStartObject();
                        out.writeStringField("from", shareGptRole(t.role()));
                        String value = t.content();
                        if (!placed && t.role().equals("user")) { // LLaMA-Factory wants one <image> per image
                            value = ImageExport.withPlaceholders(value, item.images());
                            placed = true;
                        }
                        out.writeStringField("value", value);
                        out.writeEndObject();
                    }
                    out.writeEndArray();
                    writeShareGptMessage("chosen", p.chosen());
                    writeShareGptMessage("rejected", p.rejected());
                    out.writeStringField("id", item.id());
                    writeImages(item);
                }
                default -> { // TRL, TRL_CHAT, TRL_STANDARD
                    boolean chat = messages(item);
                    out.writeStringField("id", item.id());
                    writePrompt("prompt", item, chat);
                    writeResponse("chosen", p.chosen(), chat);
                    writeResponse("rejected", p.rejected(), chat);
                    boolean both = p.chosen().hasScore() && p.rejected().hasScore(); // a pair's scores go together
                    writeNumber("score_chosen", both ? p.chosen().score() : Double.NaN);
                    writeNumber("score_rejected", both ? p.rejected().score() : Double.NaN);
                    writeImages(item);
                }
            }
            out.writeEndObject();
            endRecord();
        }

        /** One row: the best response and every response its pairs rank below it, best first. */
        void writeListwise(Item item, List<Pair> pairs) throws IOException {
            if (pairs.isEmpty()) {
                return;
            }
            Pair top = pairs.get(0);
            for (Pair p : pairs) {
                if (p.valueChosen() > top.valueChosen()) {
                    top = p;
                }
            }
            Response best = top.chosen();
            List<Pair> below = new ArrayList<>();
            for (Pair p : pairs) {
                if (p.chosen() == best) {
                    below.add(p);
                }
            }
            below.sort(Comparator.comparingDouble(Pair::valueRejected).reversed()); // stable: ties in response order
            boolean chat = messages(item);
            beginRecord();
            out.writeStartObject();
            out.writeStringField("id", item.id());
            writePrompt("prompt", item, chat);
            writeResponse("chosen", best, chat);
            out.writeArrayFieldStart("rejected");
            for (Pair p : below) {
                writeResponseValue(p.rejected(), chat);
            }
            out.writeEndArray();
            writeNumber("score_chosen", best.score());
            out.writeArrayFieldStart("score_rejected");
            for (Pair p : below) {
                writeNumberValue(p.rejected().score());
            }
            out.writeEndArray();
            writeImages(item);
            out.writeEndObject();
            endRecord();
        }

        /** The prompt as chat turns: the item's own, or its text as one user message. */
        static List<Turn> promptTurns(Item item) {
            return item.isConversation() ? item.turns() : List.of(Turn.user(item.fullPrompt()));
        }

        private void writePrompt(String field, Item item, boolean chat) throws IOException {
            if (!chat) {
                out.writeFieldName(field);
                writeText(item.fullPrompt());
                return;
            }
            out.writeArrayFieldStart(field);
            boolean placed = item.images().isEmpty();
            for (Turn t : promptTurns(item)) {
                if (!placed && t.role().equals("user")) {
                    writeMessageWithImages(t.content(), item.images().size());
                    placed = true;
                } else {
                    writeMessage(t.role(), t.content());
                }
            }
            out.writeEndArray();
        }

        /**
         * A user message in TRL's vision style: one {@code {"type": "image"}} part per image (the
         * images themselves are in the {@code images} column), then the text.
         */
        private void writeMessageWithImages(String content, int images) throws IOException {
            out.writeStartObject();
            out.writeStringField("role", "user");
            out.writeArrayFieldStart("content");
            for (int i = 0; i < images; i++) {
                out.writeStartObject();
                out.writeStringField("type", "image");
                out.writeEndObject();
            }
            out.writeStartObject();
            out.writeStringField("type", "text");
            out.writeStringField("text", content);
            out.writeEndObject();
            out.writeEndArray();
            out.writeEndObject();
        }

        /** The {@code images} column (TRL's and LLaMA-Factory's name for it), when the prompt has images. */
        private void writeImages(Item item) throws IOException {
            if (item.images().isEmpty()) {
                return;
            }
            out.writeArrayFieldStart("images");
            for (org.admap.model.ImageRef ref : item.images()) {
                out.writeString(ImageExport.reference(ref));
            }
            out.writeEndArray();
            images = true;
        }

        private void writeResponse(String field, Response r, boolean chat) throws IOException {
            out.writeFieldName(field);
            writeResponseValue(r, chat);
        }

        private void writeResponseValue(Response r, boolean chat) throws IOException {
            if (!chat) {
                writeText(r.text());
                return;
            }
            out.writeStartArray();
            writeMessage("assistant", r.text());
            out.writeEndArray();
        }

        private void writeMessage(String role, String content) throws IOException {
            out.writeStartObject();
            out.writeStringField("role", role);
            out.writeFieldName("content");
            writeText(content);
            out.writeEndObject();
        }

        private void writeShareGptMessage(String field, Response r) throws IOException {
            out.writeObjectFieldStart(field);
            out.writeStringField("from", "gpt");
            out.writeStringField("value", r.text());
            out.writeEndObject();
        }

        /**
         * sharegpt's role names ({@code human}, {@code gpt}; {@code system}, {@code function_call}
         * and {@code observation} as they are), the defaults of LLaMA-Factory's sharegpt tags.
         */
        static String shareGptRole(String role) {
            return switch (role) {
                case "user" -> "human";
                case "assistant" -> "gpt";
                case "tool" -> "observation";
                default -> role;
            };
        }

        private void writeNumber(String field, double value) throws IOException {
            out.writeFieldName(field);
            writeNumberValue(value);
        }

        /** A number, or null when absent: JSON has no NaN. */
        private void writeNumberValue(double value) throws IOException {
            if (Double.isNaN(value)) {
                out.writeNull();
            } else if (Double.isFinite(value)) {
                out.writeNumber(numberText(value));
            } else {
                out.writeNumber(value);
            }
        }

        /**
         * What the generator writes for a finite double (Jackson's {@code NumberOutput}, with the
         * factory's default of no fast writer), remembered for the last values: scores repeat, and
         * formatting a double was a twentieth of an export.
         */
        private String numberText(double value) {
            long bits = Double.doubleToRawLongBits(value);
            int slot = (int) (bits ^ bits >>> 32 ^ bits >>> 17) & (NUMBERS - 1);
            String text = numberTexts[slot];
            if (text == null || numberBits[slot] != bits) {
                text = NumberOutput.toString(value, false);
                numberTexts[slot] = text;
                numberBits[slot] = bits;
            }
            return text;
        }

        void writeItem(Item item, MapPoint point) throws IOException {
            beginRecord();
            out.writeStartObject();
            out.writeStringField("id", item.id());
            out.writeStringField("prompt", item.prompt());
            if (!item.input().isEmpty()) {
                out.writeStringField("input", item.input());
            }
            if (item.reference() != null) {
                out.writeStringField("reference", item.reference());
            }
            writeImages(item);
            out.writeArrayFieldStart("responses");
            for (Response r : item.responses()) {
                out.writeStartObject();
                out.writeStringField("text", r.text());
                if (r.hasScore()) {
                    out.writeNumberField("score", r.score());
                }
                if (r.hasLabel()) {
                    out.writeNumberField("label", r.label());
                }
                if (r.model() != null) {
                    out.writeStringField("model", r.model());
                }
                out.writeEndObject();
            }
            out.writeEndArray();
            if (point != null) {
                out.writeObjectFieldStart("map");
                out.writeStringField("region", point.region().cliName());
                out.writeNumberField("mean", point.mean());
                out.writeNumberField("variance", point.variance());
                if (!Double.isNaN(point.correlation())) {
                    out.writeNumberField("correlation", point.correlation());
                }
                out.writeEndObject();
            }
            out.writeEndObject();
            endRecord();
        }
    }

    @Override
    public long records() {
        return records;
    }

    @Override
    public void commit() throws IOException {
        if (array) {
            out.write(']');
        }
        if (array || records == 0) {
            out.write('\n'); // JSON lines end with the last record's line feed
        }
        out.flush();
        file.commit();
    }

    @Override
    public void close() throws IOException {
        file.close(); // without a commit the partial file goes; the buffer holds nothing to keep
    }
}
