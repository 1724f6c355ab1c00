package org.admap.internal.ingest.scan;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.admap.ingest.Layout;

/**
 * Reads the records of a CSV or TSV range as the full ingest's reader does (commons-csv's
 * RFC 4180 with a header row, empty lines skipped; {@code CsvReader}) and hands each to the
 * layout's row grammar written as the JSON object the full ingest makes of it: every cell a
 * string, but for the cells the layout reads as numbers, which are parsed here as the full
 * ingest parses a numeric string ({@code RowFields.number}) and written as the same double,
 * and the multi-response layout's {@code responses} cell, which holds JSON and is copied as
 * it is. So the grammars, their hashes, filters and kept literals are those of JSON rows.
 *
 * <p>Only the plain shape is read: a quote inside an unquoted cell, anything but a delimiter
 * or a line end after a quoted cell, a record whose cells do not match the header, or an
 * unterminated quote is {@link NotScannable}, and the full ingest reports it. As quotes then
 * stand only at the edges of cells, an even count of them from the header's end means "outside
 * a quoted cell", which is how {@link CsvRanges} cuts a file into ranges of whole records.
 *
 * <p>Not thread-safe: one per thread.
 */
final class CsvRecords {

    /** What a column is to the layout. */
    enum Role {
        /** A column the layout does not read: not written. */
        SKIP,
        /** A text: a JSON string. */
        TEXT,
        /** A score or label: a JSON number, or null for an empty or N/A cell. */
        NUMBER,
        /** A cell holding JSON (a {@code responses} list): copied as it is. */
        JSON
    }

    /**
     * A file's header: each column's name as a JSON member name (quotes and colon included)
     * and its role, and the delimiter.
     */
    record Header(byte[][] members, Role[] roles, byte delimiter) {

        /** The columns each layout reads, by role; other columns are skipped as the layouts skip them. */
        private static final Set<String> LONG_TEXT = Set.of("prompt", "response", "model");
        private static final Set<String> LONG_NUMBER = Set.of("score", "label");
        private static final Set<String> PAIR_TEXT = Set.of("prompt", "instruction", "question", "input", "chosen",
                "rejected", "id", "prompt_id", "chosen_model", "rejected_model");
        private static final Set<String> PAIR_NUMBER = Set.of("score_chosen", "score_rejected");
        private static final Set<String> MULTI_TEXT = Set.of("id", "prompt", "input", "reference");

        /**
         * The header of a file in {@code layout} with these column names.
         *
         * @throws NotScannable for a layout the CSV scan does not read, names given twice, or
         *         columns whose CSV cells the full ingest reads otherwise (a pair's system prompt
         *         or history, which may become turns)
         */
        static Header of(List<String> names, Layout layout, byte delimiter) throws NotScannable {
            if (new HashSet<>(names).size() != names.size()) {
                throw new NotScannable("a column name given twice");
            }
            byte[][] members = new byte[names.size()][];
            Role[] roles = new Role[names.size()];
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                roles[i] = switch (layout) {
                    case LONG -> LONG_TEXT.contains(n) ? Role.TEXT : LONG_NUMBER.contains(n) ? Role.NUMBER : Role.SKIP;
                    case PAIRWISE -> {
                        if (n.equals("system") || n.equals("history")) {
                            throw new NotScannable("a pair's '" + n + "' column: read by the full ingest");
                        }
                        yield PAIR_TEXT.contains(n) ? Role.TEXT : PAIR_NUMBER.contains(n) ? Role.NUMBER : Role.SKIP;
                    }
                    case MULTI -> MULTI_TEXT.contains(n) ? Role.TEXT : n.equals("responses") ? Role.JSON : Role.SKIP;
                    default -> throw new NotScannable("the CSV scan reads the multi-response, pairwise and long"
                            + " layouts, not " + layout.cliName());
                };
                JsonText name = new JsonText();
                byte[] utf8 = n.getBytes(StandardCharsets.UTF_8);
                name.string(utf8, 0, utf8.length, false);
                name.add((byte) ':');
                members[i] = name.bytes();
            }
            return new Header(members, roles, delimiter);
        }
    }

    private final Header header;
    /** The delimiter in each of eight bytes. */
    private final long delimiters;
    private final RowScanner rows;
    private final JsonText json = new JsonText();
    /** Each cell of the record being read: its content's start and end, and whether it was quoted. */
    private final int[] starts;
    private final int[] ends;
    private final boolean[] quoted;

    CsvRecords(Header header, RowScanner rows) {
        this.header = header;
        this.delimiters = (header.delimiter() & 0xFFL) * 0x0101010101010101L;
        this.rows = rows;
        int n = header.roles().length;
        this.starts = new int[n];
        this.ends = new int[n];
        this.quoted = new boolean[n];
    }

    /**
     * Reads the records in {@code buf[0, length)}, whole records starting at file offset
     * {@code base}, into {@code out}.
     */
    void scan(byte[] buf, int length, long base, ScannedChunk out) throws NotScannable {
        scan(buf, length, base, out, null);
    }

    /**
     * As {@link #scan(byte[], int, long, ScannedChunk)}; when {@code copy} is not null, each
     * record's JSON object is appended to it as a line, and the offsets {@code out} records
     * are offsets in {@code copy} (from its start), so that the texts can be read back from a
     * copy of the table as JSON lines.
     */
    void scan(byte[] buf, int length, long base, ScannedChunk out, JsonText copy) throws NotScannable {
        if (!Utf8Check.valid(buf, 0, length)) {
            throw new NotScannable("bytes that are not UTF-8");
        }
        byte delimiter = header.delimiter();
        int columns = starts.length;
        int i = 0;
        while (i < length) {
            byte b = buf[i];
            if (b == '\n' || b == '\r') {
                i++; // an empty line: skipped, as the full ingest skips it
                continue;
            }
            int record = i;
            int cell = 0;
            while (true) {
                if (cell == columns) {
                    throw new NotScannable("a record with more cells than the header, at byte " + (base + record));
                }
                int end;
                if (i < length && buf[i] == '"') {
                    int j = i + 1;
                    while (true) {
                        while (j + 8 <= length && CsvRanges.zeroBytes((long) LONGS.get(buf, j) ^ QUOTES) == 0) {
                            j += 8;
                        }
                        while (j < length && buf[j] != '"') {
                            j++;
                        }
                        if (j >= length) {
                            throw new NotScannable("a quoted cell that does not end, at byte " + (base + i));
                        }
                        if (j + 1 < length && buf[j + 1] == '"') {
                            j += 2; // an escaped quote
                            continue;
                        }
                        break;
                    }
                    starts[cell] = i + 1;
                    ends[cell] = j;
                    quoted[cell] = true;
                    end = j + 1;
                    if (end < length && buf[end] != delimiter && buf[end] != '\n' && buf[end] != '\r') {
                        throw new NotScannable("text after a quoted cell, at byte " + (base + end));
                    }
                } else {
                    int j = i;
                    while (j + 8 <= length && !cellEnd((long) LONGS.get(buf, j))) {
                        j += 8;
                    }
                    while (j < length) {
                        byte c = buf[j];
                        if (c == delimiter || c == '\n' || c == '\r') {
                            break;
                        }
                        if (c == '"') {
                            throw new NotScannable("a quote inside an unquoted cell, at byte " + (base + j));
                        }
                        j++;
                    }
                    starts[cell] = i;
                    ends[cell] = j;
                    quoted[cell] = false;
                    end = j;
                }
                cell++;
                if (end < length && buf[end] == delimiter) {
                    i = end + 1;
                    continue;
                }
                i = end < length && buf[end] == '\r' && end + 1 < length && buf[end + 1] == '\n' ? end + 2
                        : Math.min(length, end + 1);
                break;
            }
            if (cell != columns) {
                throw new NotScannable("a record with " + cell + " cells, the header has " + columns + ", at byte "
                        + (base + record));
            }
            if (copy == null) {
                json.clear();
                write(buf, json);
                rows.scanObject(json.buf, 0, json.size, base + record, out);
            } else {
                int start = copy.size;
                write(buf, copy);
                rows.scanObject(copy.buf, start, copy.size, 0, out);
                copy.add((byte) '\n');
            }
        }
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long QUOTES = 0x2222222222222222L;
    private static final long LINE_FEEDS = 0x0A0A0A0A0A0A0A0AL;
    private static final long RETURNS = 0x0D0D0D0D0D0D0D0DL;

    /** Whether one of eight bytes may end an unquoted cell (or be a quote in it): exact, no byte is missed. */
    private boolean cellEnd(long w) {
        return (CsvRanges.zeroBytes(w ^ delimiters) | CsvRanges.zeroBytes(w ^ LINE_FEEDS)
                | CsvRanges.zeroBytes(w ^ RETURNS) | CsvRanges.zeroBytes(w ^ QUOTES)) != 0;
    }

    /** The record's cells appended to {@code json} as the JSON object the full ingest reads: the layout's columns. */
    private void write(byte[] buf, JsonText json) throws NotScannable {
        json.add((byte) '{');
        boolean first = true;
        Role[] roles = header.roles();
        for (int c = 0; c < roles.length; c++) {
            Role role = roles[c];
            if (role == Role.SKIP) {
                continue;
            }
            if (!first) {
                json.add((byte) ',');
            }
            first = false;
            json.add(header.members()[c]);
            switch (role) {
                case TEXT -> json.string(buf, starts[c], ends[c], quoted[c]);
                case NUMBER -> {
                    if (!quoted[c] && JsonText.isJsonNumber(buf, starts[c], ends[c])) {
                        json.raw(buf, starts[c], ends[c], false); // read by the grammar as parseDouble reads it
                    } else {
                        json.number(cell(buf, c));
                    }
                }
                default -> json.raw(buf, starts[c], ends[c], quoted[c]);
            }
        }
        json.add((byte) '}');
    }

    /** Cell {@code c} decoded. */
    private String cell(byte[] buf, int c) {
        String s = new String(buf, starts[c], ends[c] - starts[c], StandardCharsets.UTF_8);
        return quoted[c] ? s.replace("\"\"", "\"") : s;
    }

    /** A growing buffer of JSON text. */
    static final class JsonText {
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        byte[] buf;
        int size;

        JsonText() {
            this(1 << 12);
        }

        /** @param capacity the bytes expected, to grow the buffer seldom */
        JsonText(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        void clear() {
            size = 0;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, size);
        }

        void add(byte b) {
            room(1);
            buf[size++] = b;
        }

        void add(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        /**
         * The cell {@code src[from, to)} as a JSON string; a quoted cell's doubled quotes are
         * one. Runs of bytes that need no escape are copied whole, found eight bytes at a time.
         */
        void string(byte[] src, int from, int to, boolean quotedCell) {
            room(2 + 6 * (to - from));
            byte[] out = buf;
            int n = size;
            out[n++] = '"';
            for (int i = from; i < to; i++) {
                int run = i;
                while (i + 8 <= to && !special((long) LONGS.get(src, i))) {
                    i += 8;
                }
                while (i < to && !special(src[i])) {
                    i++;
                }
                System.arraycopy(src, run, out, n, i - run);
                n += i - run;
                if (i >= to) {
                    break;
                }
                byte b = src[i];
                if (b == '"') {
                    if (quotedCell) {
                        i++; // "" in a quoted cell
                    }
                    out[n++] = '\\';
                    out[n++] = '"';
                } else if (b == '\\') {
                    out[n++] = '\\';
                    out[n++] = '\\';
                } else { // a control character
                    out[n++] = '\\';
                    switch (b) {
                        case '\n' -> out[n++] = 'n';
                        case '\r' -> out[n++] = 'r';
                        case '\t' -> out[n++] = 't';
                        case '\b' -> out[n++] = 'b';
                        case '\f' -> out[n++] = 'f';
                        default -> {
                            out[n++] = 'u';
                            out[n++] = '0';
                            out[n++] = '0';
                            out[n++] = HEX[b >> 4];
                            out[n++] = HEX[b & 15];
                        }
                    }
                }
            }
            out[n++] = '"';
            size = n;
        }

        /** A cell holding JSON, copied as it is (a quoted cell's doubled quotes made one). */
        void raw(byte[] src, int from, int to, boolean quotedCell) {
            room(to - from);
            for (int i = from; i < to; i++) {
                buf[size++] = src[i];
                if (quotedCell && src[i] == '"') {
                    i++;
                }
            }
        }

        /**
         * A numeric cell as {@code RowFields.number} reads a numeric string: trimmed, empty or
         * N/A or NA as none (null), else {@link Double#parseDouble}, written so that it reads
         * back as the same double; what the full ingest refuses is left to it.
         */
        void number(String cell) throws NotScannable {
            String s = cell.trim();
            if (s.isEmpty() || s.equalsIgnoreCase("N/A") || s.equalsIgnoreCase("NA")) {
                add(NULL);
                return;
            }
            if (s.startsWith("[")) {
                throw new NotScannable("a list of scores in a cell");
            }
            double d;
            try {
                d = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new NotScannable("a cell that is not a number: " + s.toLowerCase(Locale.ROOT));
            }
            if (Double.isNaN(d) || Double.isInfinite(d) || Math.abs(d) > 1e150) {
                throw new NotScannable("a number the full ingest refuses");
            }
            add(Double.toString(d).getBytes(StandardCharsets.US_ASCII));
        }

        private static final byte[] NULL = {'n', 'u', 'l', 'l'};
        private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
                .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
        private static final long ONES = 0x0101010101010101L;
        private static final long HIGHS = 0x8080808080808080L;

        /** Whether a byte of JSON text needs an escape: a quote, a backslash, a control character. */
        private static boolean special(byte b) {
            return b == '"' || b == '\\' || (b >= 0 && b < 0x20);
        }

        /** Whether one of eight bytes may need an escape: never false when one does (it may be true when none does). */
        private static boolean special(long w) {
            long quote = w ^ 0x2222222222222222L;
            long backslash = w ^ 0x5C5C5C5C5C5C5C5CL;
            long zeroQuote = (quote - ONES) & ~quote;
            long zeroBackslash = (backslash - ONES) & ~backslash;
            long control = (w - 0x2020202020202020L) & ~w; // a byte below 0x20 (high bit clear)
            return ((zeroQuote | zeroBackslash | control) & HIGHS) != 0;
        }

        /**
         * Whether {@code b[from, to)} is a number of JSON's grammar, which the grammar's lexer
         * reads as {@link Double#parseDouble} does: most numeric cells, copied as they are
         * instead of parsed and written again.
         */
        static boolean isJsonNumber(byte[] b, int from, int to) {
            int i = from;
            boolean negative = i < to && b[i] == '-';
            if (negative) {
                i++;
            }
            if (i >= to) {
                return false;
            }
            int digits = to - i;
            if (b[i] == '0') {
                i++;
            } else if (b[i] >= '1' && b[i] <= '9') {
                while (i < to && b[i] >= '0' && b[i] <= '9') {
                    i++;
                }
            } else {
                return false;
            }
            if (i == to) {
                // an integer: "-0" is one the grammar leaves to the general parser
                return digits <= 15 && !(negative && b[to - 1] == '0' && digits == 1);
            }
            if (b[i] != '.') {
                return false; // an exponent or anything else: parsed
            }
            int d = ++i;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            // at most 15 digits: the lexer's exact m / 10^k
            return i == to && i > d && digits - 1 <= 15;
        }

        private void room(int n) {
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }
    }
}
