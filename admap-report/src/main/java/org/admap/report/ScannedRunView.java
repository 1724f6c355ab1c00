package org.admap.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.admap.internal.columns.InputChangedException;
import org.admap.internal.columns.InputTexts;
import org.admap.internal.columns.RunColumns;
import org.admap.internal.store.ItemDetails;
import org.admap.internal.store.RunDirectory;

/**
 * A scanned run opened for looking at, without its store: its {@link ReportSource} on the
 * columns, one instruction at a time with its full texts, and text search, all read from the
 * inputs by offset and checked. What {@code admap serve} reads on a run that {@code admap map}
 * scanned, so that it starts in the time of a report instead of the minutes of a full ingest.
 *
 * <p>The line of each instruction in its input is counted once, for every instruction, on the
 * first that is asked for (one pass over each input), not per instruction. Safe for several
 * threads at once.
 */
public final class ScannedRunView implements AutoCloseable {

    private final RunColumns columns;
    private final InputTexts texts;
    private final ColumnReportSource source;
    private final Path dir;
    /** Each item's line (1-based) in its input, counted on first use. */
    private volatile long[] lines;
    /** The search index, opened or built on first use or by {@link #prepareSearch}. */
    private CompletableFuture<TextSearchIndex> index;
    private volatile boolean closing;

    private ScannedRunView(RunColumns columns, InputTexts texts, ColumnReportSource source, Path dir) {
        this.columns = columns;
        this.texts = texts;
        this.source = source;
        this.dir = dir;
    }

    /**
     * Opens the columns of a scanned run ({@link org.admap.run.Run#hasColumns}) and its inputs,
     * which must be as they were (size and time; the caller checks the sampled blocks first).
     *
     * @throws InputChangedException naming a missing or changed input
     */
    public static ScannedRunView open(RunDirectory run) throws IOException {
        RunColumns columns = RunColumns.open(run.dir());
        try {
            InputTexts texts = new InputTexts(columns);
            return new ScannedRunView(columns, texts, new ColumnReportSource(run, columns, texts), run.dir());
        } catch (IOException | RuntimeException e) {
            columns.close();
            throw e;
        }
    }

    /** What the report reads, from the columns. */
    public ReportSource source() {
        return source;
    }

    /** The instructions of the run. */
    public int items() {
        return columns.items();
    }

    /** Instruction {@code key} with every text cut to {@code maxChars}, or empty when there is none. */
    public Optional<ItemDetails.Detail> item(int key, int maxChars) throws IOException {
        if (key < 0 || key >= columns.items()) {
            return Optional.empty();
        }
        return Optional.of(source.item(key, lines()[key], maxChars));
    }

    /**
     * The keys of the instructions whose id is {@code query} (stripped) or whose prompt or input
     * holds it, ignoring case: what the store's search finds. Answered from the run's
     * {@link TextSearchIndex} (built on the first search unless {@link #prepareSearch} began
     * it), or, where the index cannot be written, by reading every text ({@link #scan}).
     */
    public BitSet search(String query) throws IOException {
        if (query.isBlank() || !TextSearchIndex.answers(query)) {
            return scan(query);
        }
        TextSearchIndex ready;
        try {
            ready = searchIndex(s -> { }).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof InputChangedException changed) {
                throw changed;
            }
            return scan(query); // no index (a run directory that cannot be written): read every text
        }
        return ready.search(query);
    }

    /**
     * Begins opening or building the search index in the background, so that the first search
     * does not wait for it; {@code progress} is told how the building goes.
     */
    public void prepareSearch(Consumer<String> progress) {
        searchIndex(progress);
    }

    private synchronized CompletableFuture<TextSearchIndex> searchIndex(Consumer<String> progress) {
        if (index == null) {
            index = new CompletableFuture<>();
            CompletableFuture<TextSearchIndex> f = index;
            Thread t = new Thread(() -> {
                try {
                    f.complete(TextSearchIndex.openOrBuild(dir, columns, texts, progress, () -> closing));
                } catch (IOException | RuntimeException e) {
                    if (!closing && !(e instanceof InputChangedException)) {
                        progress.accept("no search index (" + e.getMessage() + "): each search reads every prompt");
                    }
                    f.completeExceptionally(e);
                }
            }, "admap-search-index");
            t.setDaemon(true);
            t.start();
        }
        return index;
    }

    /** What {@link #search} answers, found by reading every prompt and input from the inputs, each checked. */
    BitSet scan(String query) throws IOException {
        BitSet keys = new BitSet();
        if (query.isBlank()) {
            return keys;
        }
        String id = query.strip();
        String lower = query.toLowerCase(Locale.ROOT);
        boolean[] hit = new boolean[columns.items()];
        try {
            IntStream.range(0, columns.items()).parallel().forEach(key -> {
                if (columns.id(key).equals(id)) {
                    hit[key] = true;
                    return;
                }
                try {
                    String[] pi = texts.promptAndInput(key);
                    hit[key] = pi[0].toLowerCase(Locale.ROOT).contains(lower)
                            || pi[1].toLowerCase(Locale.ROOT).contains(lower);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (int key = 0; key < hit.length; key++) {
            if (hit[key]) {
                keys.set(key);
            }
        }
        return keys;
    }

    private long[] lines() throws IOException {
        long[] known = lines;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (lines == null) {
                lines = countLines();
            }
            return lines;
        }
    }

    /** Every item's line, as the full ingest numbers them: the line feeds before its prompt, plus one. */
    private long[] countLines() throws IOException {
        long[] out = new long[columns.items()];
        List<RunColumns.InputFile> files = columns.header().inputs();
        for (int f = 0; f < files.size(); f++) {
            int file = f;
            Integer[] keys = IntStream.range(0, columns.items()).filter(k -> columns.file(k) == file).boxed()
                    .toArray(Integer[]::new);
            if (keys.length == 0) {
                continue;
            }
            boolean ordered = true;
            for (int i = 1; i < keys.length && ordered; i++) {
                ordered = columns.promptOffset(keys[i - 1]) <= columns.promptOffset(keys[i]);
            }
            if (!ordered) {
                Arrays.sort(keys, (a, b) -> Long.compare(columns.promptOffset(a), columns.promptOffset(b)));
            }
            try (FileChannel ch = FileChannel.open(Path.of(files.get(f).path()), StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                byte[] b = buf.array();
                long pos = 0; // of b[0]
                long feeds = 0; // line feeds before pos + at
                int n = 0;
                int at = 0;
                for (int key : keys) {
                    long want = columns.promptOffset(key);
                    while (pos + n <= want) { // count the rest of this block, read the next
                        feeds += feeds(b, at, n);
                        pos += n;
                        buf.clear();
                        n = Math.max(0, ch.read(buf, pos));
                        at = 0;
                        if (n == 0) {
                            throw new InputChangedException(files.get(f).path() + " is shorter than when its map"
                                    + " was built; map it again with 'admap map'");
                        }
                    }
                    int to = (int) (want - pos);
                    feeds += feeds(b, at, to);
                    at = to;
                    out[key] = feeds + 1;
                }
            }
        }
        return out;
    }

    private static int feeds(byte[] b, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        closing = true;
        CompletableFuture<TextSearchIndex> f;
        synchronized (this) {
            f = index;
        }
        if (f != null) {
            try {
                f.handle((i, e) -> i).join(); // a build stops at its next block; its temporary file goes
                if (f.isDone() && !f.isCompletedExceptionally()) {
                    f.join().close();
                }
            } catch (java.util.concurrent.CancellationException ignored) {
                // nothing to close
            }
        }
        try {
            texts.close();
        } finally {
            columns.close();
        }
    }
}
