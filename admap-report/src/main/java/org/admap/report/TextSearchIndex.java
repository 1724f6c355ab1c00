package org.admap.report;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.admap.internal.columns.InputChangedException;
import org.admap.internal.columns.InputTexts;
import org.admap.internal.columns.RunColumns;
import org.admap.internal.store.AtomicFile;
import org.admap.internal.text.TextKeys;

/**
 * The prompts and inputs of a scanned run, lower-cased, in one side file of the run
 * ({@value #FILE}), so that the viewer's text search reads a few hundred megabytes of one file
 * in order instead of every prompt from the inputs at scattered offsets (1.5 s a search at a
 * million instructions). Finds what {@link ScannedRunView#scan} finds, in the same order.
 *
 * <p>Each instruction is its prompt and its input, each lower-cased as a whole
 * ({@link Locale#ROOT}, as the search lower-cases them) and encoded in UTF-8, each followed by
 * the byte {@code 0xFF}, which UTF-8 never holds, so no match spans two texts. A substring of
 * valid UTF-16 is a substring of its UTF-8 bytes and back; texts holding an unpaired surrogate
 * (which UTF-8 cannot encode) are left out of the side file and read from the input at each
 * search, and a query holding one is answered by the scan.
 *
 * <p>Beside the texts it keeps each id's hash, so that the id a query may be is looked for
 * among numbers. The side file is built from the texts read and checked ({@link InputTexts}), written under a
 * temporary name and renamed into place ({@link AtomicFile}), so a kill leaves none or a whole
 * one. It records the columns it was built from (size, time, every prompt's hash) and each
 * input's path, size and time, and is rebuilt when any of them differ. Each search first checks
 * every input's size and time, so a changed input is the error naming it, as a read would be.
 * Searches read the file by positional reads, not by mapping it: its pages stay in the page
 * cache, not in the viewer's resident memory. Safe for several threads at once.
 */
public final class TextSearchIndex implements AutoCloseable {

    /** The side file's name in the run directory. */
    public static final String FILE = "search-index.bin";
    private static final long MAGIC = 0x61646d6170534932L; // "admapSI2"
    private static final byte END = (byte) 0xFF;
    /** Instructions decoded at once while building: their texts are held until written. */
    private static final int BUILD_BLOCK = 1 << 15;
    /** The most bytes one search task reads at once (and holds twice, as bytes and a string). */
    private static final int CHUNK = 4 << 20;

    private final RunColumns columns;
    private final InputTexts texts;
    private final List<RunColumns.InputFile> inputs;
    private final FileChannel file;
    private final long arenaStart;
    /** Where each instruction's texts start in the arena; {@code items + 1} of them. */
    private final long[] offsets;
    /** Each instruction's id's hash, so that a search compares one number per instruction, not its id. */
    private final long[] idHashes;
    /** Instructions left out of the arena (a text with an unpaired surrogate). */
    private final int[] outside;
    /** The first instruction of each search chunk, and {@code items} last. */
    private final int[] chunks;

    private TextSearchIndex(RunColumns columns, InputTexts texts, FileChannel file, long arenaStart, long[] offsets,
            long[] idHashes, int[] outside) {
        this.columns = columns;
        this.texts = texts;
        this.inputs = columns.header().inputs();
        this.file = file;
        this.arenaStart = arenaStart;
        this.offsets = offsets;
        this.idHashes = idHashes;
        this.outside = outside;
        List<Integer> starts = new ArrayList<>();
        int items = offsets.length - 1;
        for (int k = 0; k < items; ) {
            starts.add(k);
            long from = offsets[k];
            int to = k + 1;
            while (to < items && offsets[to + 1] - from <= CHUNK) {
                to++;
            }
            k = to;
        }
        starts.add(items);
        this.chunks = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The index of the run in {@code runDir}: its side file when it was built from these columns
     * and inputs as they are, or else one built now (every prompt read once) and written.
     *
     * @param progress  told how far the building is, in a line at a time
     * @param cancelled asked between blocks while building; true stops it (a
     *                  {@link CancellationException}) and leaves no file
     */
    public static TextSearchIndex openOrBuild(Path runDir, RunColumns columns, InputTexts texts,
            Consumer<String> progress, BooleanSupplier cancelled) throws IOException {
        Path path = runDir.resolve(FILE);
        long[] identity = identity(runDir, columns);
        TextSearchIndex index = open(path, columns, texts, identity);
        if (index != null) {
            return index;
        }
        build(path, columns, texts, identity, progress, cancelled);
        index = open(path, columns, texts, identity);
        if (index == null) {
            throw new IOException(path + " was written but does not read back as the search index of this run");
        }
        return index;
    }

    /** The columns' size, time and a sum of every prompt's hash: what the side file must have been built from. */
    private static long[] identity(Path runDir, RunColumns columns) throws IOException {
        Path c = runDir.resolve(RunColumns.FILE);
        long sum = 0;
        for (int k = 0; k < columns.items(); k++) {
            sum = sum * 31 + columns.promptHash(k);
        }
        return new long[] {Files.size(c), Files.getLastModifiedTime(c).toMillis(), columns.items(), sum};
    }

    private static void writeHeader(DataOutputStream out, RunColumns columns, long[] identity) throws IOException {
        out.writeLong(MAGIC);
        for (long v : identity) {
            out.writeLong(v);
        }
        List<RunColumns.InputFile> inputs = columns.header().inputs();
        out.writeInt(inputs.size());
        for (RunColumns.InputFile f : inputs) {
            out.writeUTF(f.path());
            out.writeLong(f.size());
            out.writeLong(f.modifiedMillis());
        }
    }

    /** The side file, or null when there is none or it was built from other columns or inputs. */
    private static TextSearchIndex open(Path path, RunColumns columns, InputTexts texts, long[] identity)
            throws IOException {
        if (!Files.isRegularFile(path)) {
            return null;
        }
        var expected = new java.io.ByteArrayOutputStream();
        try (DataOutputStream h = new DataOutputStream(expected)) {
            writeHeader(h, columns, identity);
        }
        byte[] header = expected.toByteArray();
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        boolean ok = false;
        try {
            long size = ch.size();
            int items = columns.items();
            long tail = 8L * (items + 1) + 8L * items + 8 + 8;
            if (size < header.length + tail) {
                return null;
            }
            ByteBuffer got = ByteBuffer.allocate(header.length);
            readFully(ch, got, 0);
            if (!java.util.Arrays.equals(got.array(), header)) {
                return null;
            }
            ByteBuffer trailer = ByteBuffer.allocate(16);
            readFully(ch, trailer, size - 16);
            long outsideCount = trailer.getLong(0);
            if (trailer.getLong(8) != MAGIC || outsideCount < 0 || outsideCount > items) {
                return null;
            }
            long offsetsAt = size - 16 - 4 * outsideCount - 8L * items - 8L * (items + 1);
            if (offsetsAt < header.length) {
                return null;
            }
            ByteBuffer rest = ByteBuffer.allocate(Math.toIntExact(size - 16 - offsetsAt));
            readFully(ch, rest, offsetsAt);
            long[] offsets = new long[items + 1];
            rest.asLongBuffer().get(offsets);
            long[] idHashes = new long[items];
            rest.position(8 * (items + 1));
            rest.asLongBuffer().get(idHashes);
            int[] outside = new int[(int) outsideCount];
            rest.position(8 * (items + 1) + 8 * items);
            rest.asIntBuffer().get(outside);
            if (offsets[0] != 0 || offsets[items] != offsetsAt - header.length) {
                return null;
            }
            for (int k = 0; k < items; k++) {
                if (offsets[k + 1] < offsets[k]) {
                    return null;
                }
            }
            ok = true;
            return new TextSearchIndex(columns, texts, ch, header.length, offsets, idHashes, outside);
        } finally {
            if (!ok) {
                ch.close();
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException("the search index ends early");
            }
        }
        b.flip();
    }

    /** Reads every prompt and input once, a block of instructions at a time on every core, and writes the side file. */
    private static void build(Path path, RunColumns columns, InputTexts texts, long[] identity,
            Consumer<String> progress, BooleanSupplier cancelled) throws IOException {
        removeAbandoned(path);
        int items = columns.items();
        long started = System.nanoTime();
        progress.accept("indexing the prompts of " + items + " instructions for search (" + path + ")");
        long[] offsets = new long[items + 1];
        List<Integer> outside = new ArrayList<>();
        try (AtomicFile af = new AtomicFile(path)) {
            var out = new DataOutputStream(new BufferedOutputStream(af.stream(), 1 << 16));
            writeHeader(out, columns, identity);
            long at = 0;
            int told = 0;
            for (int from = 0; from < items; from += BUILD_BLOCK) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("the search index of " + path.getParent() + " was not finished");
                }
                int to = Math.min(items, from + BUILD_BLOCK);
                byte[][] block = new byte[to - from][];
                int base = from;
                try {
                    IntStream.range(from, to).parallel().forEach(k -> block[k - base] = record(texts, k));
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                for (int k = from; k < to; k++) {
                    byte[] r = block[k - from];
                    offsets[k] = at;
                    if (r == null) {
                        outside.add(k);
                    } else {
                        out.write(r);
                        at += r.length;
                    }
                }
                int percent = (int) (100L * to / items);
                if (percent / 25 > told / 25 && to < items) {
                    told = percent;
                    progress.accept("indexing prompts for search: " + percent + "%");
                }
            }
            offsets[items] = at;
            for (long o : offsets) {
                out.writeLong(o);
            }
            for (int k = 0; k < items; k++) {
                out.writeLong(TextKeys.hash64(columns.id(k)));
            }
            for (int k : outside) {
                out.writeInt(k);
            }
            out.writeLong(outside.size());
            out.writeLong(MAGIC);
            out.flush();
            af.commit();
        }
        progress.accept(String.format(Locale.ROOT, "indexed the prompts for search in %.1f s",
                (System.nanoTime() - started) / 1e9));
    }

    /** Temporary side files untouched for ten minutes: left by a killed build (a live one writes all along). */
    private static void removeAbandoned(Path path) {
        Path dir = path.toAbsolutePath().getParent();
        FileTime stale = FileTime.fromMillis(System.currentTimeMillis() - 600_000L);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "." + FILE + ".*.tmp")) {
            for (Path t : temps) {
                if (Files.getLastModifiedTime(t).compareTo(stale) < 0) {
                    Files.deleteIfExists(t);
                }
            }
        } catch (IOException ignored) {
            // only tidying: a temporary file left is no wrong answer
        }
    }

    /** Instruction {@code key}'s lower-cased prompt and input, each ended; null when one cannot be encoded. */
    private static byte[] record(InputTexts texts, int key) {
        String[] pi;
        try {
            pi = texts.promptAndInput(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String prompt = pi[0].toLowerCase(Locale.ROOT);
        String input = pi[1].toLowerCase(Locale.ROOT);
        if (!wellFormed(prompt) || !wellFormed(input)) {
            return null;
        }
        byte[] p = prompt.getBytes(StandardCharsets.UTF_8);
        byte[] i = input.getBytes(StandardCharsets.UTF_8);
        byte[] r = new byte[p.length + i.length + 2];
        System.arraycopy(p, 0, r, 0, p.length);
        r[p.length] = END;
        System.arraycopy(i, 0, r, p.length + 1, i.length);
        r[r.length - 1] = END;
        return r;
    }

    /** Whether every surrogate in {@code s} is in a pair: only then are its UTF-8 bytes the same text. */
    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@link #search} answers {@code query}: not when it holds an unpaired surrogate,
     * which may match half of a pair in a text (the caller scans then).
     */
    public static boolean answers(String query) {
        return wellFormed(query.toLowerCase(Locale.ROOT));
    }

    /**
     * The keys of the instructions whose id is {@code query} (stripped) or whose prompt or input
     * holds it, ignoring case: what {@link ScannedRunView#scan} finds.
     *
     * @throws InputChangedException naming an input whose size or time changed since the map
     */
    public BitSet search(String query) throws IOException {
        BitSet keys = new BitSet();
        if (query.isBlank()) {
            return keys;
        }
        if (!answers(query)) {
            throw new IllegalArgumentException("a query with an unpaired surrogate is for the scan, not the index");
        }
        checkInputs();
        String id = query.strip();
        long idHash = TextKeys.hash64(id);
        String lower = query.toLowerCase(Locale.ROOT);
        // the query's UTF-8 bytes as a Latin-1 string, so String.indexOf (vectorised) searches bytes
        String needle = new String(lower.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        List<int[]> found;
        try {
            found = IntStream.range(0, chunks.length - 1).parallel().mapToObj(c -> searchChunk(c, needle, id, idHash))
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (int[] hits : found) {
            for (int k : hits) {
                keys.set(k);
            }
        }
        for (int k : outside) {
            if (!keys.get(k) && holds(k, lower)) {
                keys.set(k);
            }
        }
        return keys;
    }

    /** The instructions of chunk {@code c} whose id is {@code id} or whose texts hold {@code needle}, in key order. */
    private int[] searchChunk(int c, String needle, String id, long idHash) {
        int first = chunks[c];
        int end = chunks[c + 1];
        long base = offsets[first];
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(offsets[end] - base));
        try {
            readFully(file, b, arenaStart + base);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String arena = new String(b.array(), 0, b.limit(), StandardCharsets.ISO_8859_1);
        BitSet hits = new BitSet(end - first);
        for (int at = arena.indexOf(needle); at >= 0; ) {
            int k = keyAt(base + at, first, end);
            hits.set(k - first);
            at = arena.indexOf(needle, (int) (offsets[k + 1] - base));
        }
        for (int k = first; k < end; k++) {
            if (idHashes[k] == idHash && !hits.get(k - first) && columns.id(k).equals(id)) {
                hits.set(k - first);
            }
        }
        return hits.stream().map(i -> i + first).toArray();
    }

    /** The instruction in {@code [first, end)} whose record holds arena byte {@code at}. */
    private int keyAt(long at, int first, int end) {
        int lo = first;
        int hi = end - 1;
        while (lo < hi) { // the last k with offsets[k] <= at (empty records share an offset with the next)
            int mid = (lo + hi + 1) >>> 1;
            if (offsets[mid] <= at) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Whether instruction {@code key}'s prompt or input, read from its input, holds {@code lower}. */
    private boolean holds(int key, String lower) throws IOException {
        String[] pi = texts.promptAndInput(key);
        return pi[0].toLowerCase(Locale.ROOT).contains(lower) || pi[1].toLowerCase(Locale.ROOT).contains(lower);
    }

    /** Every input as the columns knew it (size and time), or the error naming the one that is not. */
    private void checkInputs() throws IOException {
        for (RunColumns.InputFile f : inputs) {
            Path p = Path.of(f.path());
            if (!Files.isRegularFile(p)) {
                throw new InputChangedException(f.path() + " is missing: the run reads its texts from it (map"
                        + " it again where it now lies, or restore it)");
            }
            if (Files.size(p) != f.size() || Files.getLastModifiedTime(p).toMillis() != f.modifiedMillis()) {
                throw new InputChangedException(f.path() + " changed since its map was built: its texts may have"
                        + " moved; map it again with 'admap map'");
            }
        }
    }

    /** The bytes of the side file's texts (for measuring). */
    public long arenaBytes() {
        return offsets[offsets.length - 1];
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
