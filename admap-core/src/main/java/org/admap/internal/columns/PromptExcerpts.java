package org.admap.internal.columns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.admap.internal.ingest.scan.JsonStrings;
import org.admap.internal.store.AtomicFile;
import org.admap.internal.store.ItemDetails;

/**
 * The prompt excerpts of a scanned run's items ({@code excerpts.bin} beside
 * {@code columns.bin}): per item the beginning of its prompt on one line, exactly as
 * {@link ItemDetails#excerpt(String, String, int)} makes it for the report's and the viewer's
 * points, at the length {@link ItemDetails#excerptChars(int)} picks for the map's size.
 *
 * <p>Why a file: a report of a million-instruction run embeds a quarter of a million excerpts,
 * and reading each prompt back from the input (a positional read and a SHA-256 check each) was
 * an eighth of its time; {@code map} has every prompt in hand when it writes {@code map.csv},
 * and writes the excerpts in the same pass for a few hundredths of a second. A report or
 * viewer that needs another length, or finds no file, reads the prompts as before.
 *
 * <p>Layout, little-endian: the magic {@code ADMAPEXC}, the int32 version (1), the int32
 * excerpt length in characters, the int64 count of items, the int32 length of the map's
 * creation time (ISO-8601, UTF-8) and its bytes, padding to a multiple of 8; then per item
 * the int64 end of its excerpt in the text that follows, and the excerpts' UTF-8 bytes. The
 * creation time is the one {@link RunColumns.Header#mapCreated()} holds: a file that is not
 * the current columns' (left from an earlier map) is not used, nor one cut short or damaged.
 * Written atomically, with the columns in the run's commit.
 */
public final class PromptExcerpts implements AutoCloseable {

    /** The file's name in a run directory. */
    public static final String FILE = "excerpts.bin";

    private static final byte[] MAGIC = "ADMAPEXC".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private final FileChannel channel;
    private final int maxChars;
    private final int items;
    private final ByteBuffer ends;
    private final ByteBuffer text;

    private PromptExcerpts(FileChannel channel, int maxChars, int items, ByteBuffer ends, ByteBuffer text) {
        this.channel = channel;
        this.maxChars = maxChars;
        this.items = items;
        this.ends = ends;
        this.text = text;
    }

    /**
     * The excerpts of the run in {@code runDir} when it has them for the columns made at
     * {@code mapCreated} with {@code items} items; null when it has none, ones of another map,
     * or a file cut short or damaged: they only spare reading the prompts, which the caller
     * then reads from the input (the file is written whole or not at all, so a damaged one
     * was damaged since).
     */
    public static PromptExcerpts open(Path runDir, String mapCreated, int items) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        boolean ok = false;
        try {
            long size = ch.size();
            if (size < 28) {
                return null;
            }
            ByteBuffer head = map(ch, 0, 28);
            byte[] magic = new byte[8];
            head.get(magic);
            int version = head.getInt();
            int maxChars = head.getInt();
            long count = head.getLong();
            int createdLength = head.getInt();
            if (!Arrays.equals(magic, MAGIC) || version != VERSION || count != items || createdLength < 0
                    || 28L + createdLength > size) {
                return null; // not these columns' excerpts (or a version this admap does not write): unused
            }
            byte[] created = new byte[createdLength];
            map(ch, 28, createdLength).get(created);
            if (!new String(created, StandardCharsets.UTF_8).equals(mapCreated)) {
                return null;
            }
            long endsAt = align(28L + createdLength);
            long textAt = endsAt + 8L * items;
            if (textAt > size) {
                return null; // cut short
            }
            ByteBuffer ends = map(ch, endsAt, 8L * items);
            long textBytes = items == 0 ? 0 : ends.getLong(8 * (items - 1));
            if (textAt + textBytes != size || textBytes > Integer.MAX_VALUE || !ascending(ends, items, textBytes)) {
                return null; // cut short or damaged
            }
            PromptExcerpts e = new PromptExcerpts(ch, maxChars, items, ends, map(ch, textAt, textBytes));
            ok = true;
            return e;
        } finally {
            if (!ok) {
                ch.close();
            }
        }
    }

    /** Whether the excerpts' ends rise from 0 to {@code total}: each excerpt lies in the text. */
    private static boolean ascending(ByteBuffer ends, int items, long total) {
        long before = 0;
        for (int i = 0; i < items; i++) {
            long end = ends.getLong(8 * i);
            if (end < before || end > total) {
                return false;
            }
            before = end;
        }
        return true;
    }

    /** The length in characters the excerpts were cut to (before their "..."). */
    public int maxChars() {
        return maxChars;
    }

    /** The excerpt of item {@code key}. */
    public String get(int key) {
        if (key < 0 || key >= items) {
            throw new IndexOutOfBoundsException("item " + key + " of " + items);
        }
        long start = key == 0 ? 0 : ends.getLong(8 * (key - 1));
        long end = ends.getLong(8 * key);
        byte[] b = new byte[Math.toIntExact(end - start)];
        text.get(Math.toIntExact(start), b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static ByteBuffer map(FileChannel ch, long pos, long size) throws IOException {
        MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, pos, size);
        return m.order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long align(long pos) {
        return (pos + 7) & ~7L;
    }

    /**
     * Collects the excerpts of a run's items piece by piece (the pieces may be filled on
     * several threads at once, each by one), then writes them in piece order, which is key order.
     */
    public static final class Builder {

        private final int maxChars;
        private final Piece[] pieces;

        /**
         * @param pieces   how many pieces the items come in
         * @param maxChars the excerpts' length ({@link ItemDetails#excerptChars(int)} of the map's points)
         */
        public Builder(int pieces, int maxChars) {
            this.maxChars = maxChars;
            this.pieces = new Piece[pieces];
        }

        /** The piece at {@code index}, to be given its items in key order. */
        public Piece piece(int index) {
            Piece p = new Piece(maxChars);
            pieces[index] = p;
            return p;
        }

        /**
         * Writes the excerpts to {@code target}, atomically.
         *
         * @param mapCreated the columns' {@link RunColumns.Header#mapCreated()}
         * @param items      the run's items, which the pieces must hold all of
         */
        public void write(Path target, String mapCreated, long items) throws IOException {
            long total = 0;
            long count = 0;
            for (Piece p : pieces) {
                if (p == null) {
                    throw new IllegalStateException("a piece of the excerpts was never given its items");
                }
                total += p.size;
                count += p.count;
            }
            if (count != items) {
                throw new IllegalStateException(count + " excerpts for " + items + " items");
            }
            try (AtomicFile file = new AtomicFile(target)) {
                RunColumns.Out out = new RunColumns.Out(file.stream());
                byte[] created = mapCreated.getBytes(StandardCharsets.UTF_8);
                out.bytes(MAGIC);
                out.int32(VERSION);
                out.int32(maxChars);
                out.int64(items);
                out.int32(created.length);
                out.bytes(created);
                out.pad();
                long end = 0;
                for (Piece p : pieces) {
                    for (int i = 0; i < p.count; i++) {
                        out.int64(end + p.ends[i]);
                    }
                    end += p.size;
                }
                for (Piece p : pieces) {
                    out.bytes(p.bytes, 0, p.size);
                }
                out.flush();
                if (out.position() != align(28L + created.length) + 8 * items + total) {
                    throw new IllegalStateException("the excerpts' file came out at " + out.position() + " bytes");
                }
                file.commit();
            }
        }
    }

    /** One piece's excerpts, in key order. */
    public static final class Piece {

        private final int maxChars;
        private byte[] bytes = new byte[1 << 12];
        private int size;
        private int[] ends = new int[64];
        private int count;

        private Piece(int maxChars) {
            this.maxChars = maxChars;
        }

        /** The next item, whose full prompt is {@code prompt} (no alpaca-style input). */
        public void add(String prompt) {
            put(ItemDetails.excerpt(prompt, "", maxChars));
        }

        /** The next item, by its instruction and its alpaca-style input ({@code input} empty when none). */
        public void add(String prompt, String input) {
            put(ItemDetails.excerpt(prompt, input, maxChars));
        }

        /**
         * The next item, whose full prompt is the JSON string literal opening at
         * {@code json[quote]} and ending before {@code end}: only its first characters are
         * decoded when they are plain ASCII (most prompts), the whole literal otherwise.
         */
        public void addLiteral(byte[] json, int quote, int end) {
            int limit = ItemDetails.excerptSource(maxChars); // characters the excerpt may look at
            int i = quote + 1;
            int stop = (int) Math.min(end, (long) i + limit);
            while (i < stop) {
                byte c = json[i];
                if (c == '"') {
                    break;
                }
                if (c == '\\' || c < 0x20) { // an escape, a control character or a byte of a multi-byte one
                    try {
                        add(JsonStrings.at(json, quote, end));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return;
                }
                i++;
            }
            // the first `limit` characters (or all, when the literal closes before) are these bytes
            putAscii(json, quote + 1, i);
        }

        /**
         * {@link ItemDetails#excerpt(String, int)} of the ASCII text {@code t[from, to)}, which
         * holds no byte below 0x20 (its only whitespace is the space), straight into the bytes:
         * a million Strings and StringBuilders for a million items cost {@code map} half a second.
         */
        private void putAscii(byte[] t, int from, int to) {
            while (from < to && t[from] == ' ') { // strip
                from++;
            }
            while (to > from && t[to - 1] == ' ') {
                to--;
            }
            room(maxChars + 4);
            int start = size;
            int kept = 0;
            boolean space = false;
            for (int i = from; i < to && kept <= maxChars; i++) { // one line, a run of spaces as one
                byte c = t[i];
                if (c != ' ') {
                    bytes[size++] = c;
                    kept++;
                } else if (!space) {
                    bytes[size++] = ' ';
                    kept++;
                }
                space = c == ' ';
            }
            if (kept > maxChars) {
                size = start + maxChars;
                bytes[size++] = '.';
                bytes[size++] = '.';
                bytes[size++] = '.';
            }
            end();
        }

        private void room(int n) {
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
            }
        }

        private void end() {
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count * 2);
            }
            ends[count++] = size;
        }

        private void put(String excerpt) {
            byte[] b = excerpt.getBytes(StandardCharsets.UTF_8);
            room(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
            end();
        }
    }
}
