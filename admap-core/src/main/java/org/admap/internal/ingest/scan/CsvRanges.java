package org.admap.internal.ingest.scan;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads a CSV or TSV file's header and cuts the records after it into ranges of whole
 * records. A quoted cell may hold line breaks, so a line feed is a record's end only outside
 * quotes; and as quotes stand only at the edges of cells ({@link CsvRecords} refuses any
 * other), a line feed is outside quotes exactly when the quotes before it are even in number.
 * The file is counted in pieces on every core, each piece noting its first line feed after an
 * even and after an odd count of its own quotes; the counts before each piece then say which
 * of the two is a record's end.
 */
final class CsvRanges {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long QUOTES = 0x2222222222222222L;
    private static final long LINE_FEEDS = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOWS = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGHS = 0x8080808080808080L;
    private static final int WINDOW = 1 << 20;
    /** The most bytes a header may take. */
    static final int MAX_HEADER = 1 << 20;

    /** The header's column names and the offset where the records after it start. */
    record Start(List<String> names, long records) {
    }

    /** One piece's quotes: whether odd in number, and the offset after its first line feed at each parity (-1). */
    private record Piece(boolean odd, long afterEven, long afterOdd) {
    }

    private CsvRanges() {
    }

    /**
     * The header at the file's start, after a byte-order mark (Excel's "CSV UTF-8"), read as
     * {@link CsvRecords} reads a record.
     *
     * @throws NotScannable for an empty first line, an unterminated or malformed header
     */
    static Start header(FileChannel ch, byte delimiter) throws IOException, NotScannable {
        byte[] head = new byte[(int) Math.min(MAX_HEADER, ch.size())];
        int n = WholeRanges.readFully(ch, 0, head, head.length);
        return header(head, n, n < ch.size(), delimiter);
    }

    /**
     * As {@link #header(FileChannel, byte)}, from the table's first {@code n} bytes in
     * {@code head} ({@code more}: the table goes on after them), for a table read as a stream.
     */
    static Start header(byte[] head, int n, boolean more, byte delimiter) throws NotScannable {
        int i = n >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF ? 3 : 0;
        if (i >= n || head[i] == '\n' || head[i] == '\r') {
            throw new NotScannable("a CSV file that does not start with its header");
        }
        List<String> names = new ArrayList<>();
        while (true) {
            int end;
            String name;
            if (head[i] == '"') {
                int j = i + 1;
                while (true) {
                    while (j < n && head[j] != '"') {
                        j++;
                    }
                    if (j + 1 < n && head[j + 1] == '"') {
                        j += 2;
                        continue;
                    }
                    break;
                }
                if (j >= n) {
                    throw new NotScannable("a header that does not end");
                }
                name = new String(head, i + 1, j - i - 1, StandardCharsets.UTF_8).replace("\"\"", "\"");
                end = j + 1;
            } else {
                int j = i;
                while (j < n && head[j] != delimiter && head[j] != '\n' && head[j] != '\r') {
                    if (head[j] == '"') {
                        throw new NotScannable("a quote inside an unquoted column name");
                    }
                    j++;
                }
                name = new String(head, i, j - i, StandardCharsets.UTF_8);
                end = j;
            }
            names.add(name);
            if (end < n && head[end] == delimiter) {
                i = end + 1;
                continue;
            }
            if (end >= n && more) {
                throw new NotScannable("a header longer than " + MAX_HEADER + " bytes");
            }
            long records = end < n && head[end] == '\r' && end + 1 < n && head[end + 1] == '\n' ? end + 2
                    : Math.min(n, end + 1);
            if (end < n && head[end] != '\n' && head[end] != '\r') {
                throw new NotScannable("text after a quoted column name");
            }
            return new Start(names, records);
        }
    }

    /**
     * Offsets that cut {@code [from, size)} into about {@code ranges} ranges of whole records,
     * {@code from} first and {@code size} last.
     */
    static long[] cuts(FileChannel ch, long from, long size, int ranges, ExecutorService pool)
            throws IOException, NotScannable {
        if (ranges <= 1 || size - from < 2) {
            return new long[] {from, size};
        }
        long[] at = new long[ranges + 1];
        for (int p = 0; p <= ranges; p++) {
            at[p] = from + (size - from) * p / ranges;
        }
        List<Future<Piece>> pieces = new ArrayList<>();
        for (int p = 0; p < ranges; p++) {
            long a = at[p];
            long b = at[p + 1];
            pieces.add(pool.submit((Callable<Piece>) () -> piece(ch, a, b)));
        }
        List<Long> cuts = new ArrayList<>();
        cuts.add(from);
        boolean odd = false; // the quotes before the piece: none before the records' start
        for (int p = 0; p < ranges; p++) {
            Piece piece = await(pieces.get(p));
            if (p > 0) {
                long cut = odd ? piece.afterOdd() : piece.afterEven();
                if (cut > cuts.get(cuts.size() - 1) && cut < size) {
                    cuts.add(cut);
                }
            }
            odd ^= piece.odd();
        }
        cuts.add(size);
        return cuts.stream().mapToLong(Long::longValue).toArray();
    }

    /** Counts the quotes of {@code [a, b)}, noting its first line feed after an even and after an odd count. */
    private static Piece piece(FileChannel ch, long a, long b) throws IOException {
        byte[] window = new byte[WINDOW];
        long count = 0;
        long afterEven = -1;
        long afterOdd = -1;
        for (long pos = a; pos < b; ) {
            int n = WholeRanges.readFully(ch, pos, window, (int) Math.min(WINDOW, b - pos));
            if (n <= 0) {
                break;
            }
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                long w = (long) LONGS.get(window, i);
                long quotes = zeroBytes(w ^ QUOTES);
                if (afterEven >= 0 && afterOdd >= 0) {
                    count += Long.bitCount(quotes);
                    continue;
                }
                // a line feed matters only at a parity whose first one is still unknown
                boolean needed = (count & 1) == 0 ? afterEven < 0 : afterOdd < 0;
                if (quotes == 0 && (!needed || zeroBytes(w ^ LINE_FEEDS) == 0)) {
                    continue;
                }
                for (int k = i; k < i + 8; k++) {
                    byte c = window[k];
                    if (c == '"') {
                        count++;
                    } else if (c == '\n') {
                        if ((count & 1) == 0 && afterEven < 0) {
                            afterEven = pos + k + 1;
                        } else if ((count & 1) == 1 && afterOdd < 0) {
                            afterOdd = pos + k + 1;
                        }
                    }
                }
            }
            for (; i < n && (afterEven < 0 || afterOdd < 0); i++) {
                byte c = window[i];
                if (c == '"') {
                    count++;
                } else if (c == '\n') {
                    if ((count & 1) == 0 && afterEven < 0) {
                        afterEven = pos + i + 1;
                    } else if ((count & 1) == 1 && afterOdd < 0) {
                        afterOdd = pos + i + 1;
                    }
                }
            }
            for (; i < n; i++) {
                if (window[i] == '"') {
                    count++;
                }
            }
            pos += n;
        }
        return new Piece((count & 1) == 1, afterEven, afterOdd);
    }

    /** The high bit of each zero byte of {@code x}, exactly (no borrow crosses bytes). */
    static long zeroBytes(long x) {
        return ~(((x & LOWS) + LOWS) | x) & HIGHS;
    }

    private static Piece await(Future<Piece> f) throws IOException, NotScannable {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while cutting a CSV file");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
