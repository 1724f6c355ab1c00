package org.admap.internal.store;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * Reads instructions back for people to look at (the HTML report and the web viewer): the
 * full instruction with every response, its label, model and every score of every source
 * with that score's provenance; short prompt excerpts for hovering; the stored flags; text
 * search.
 *
 * <p>Texts can be huge (a dataset may hold megabytes in one response), so every text is cut
 * in the database to at most {@code maxChars} characters, and its full length is reported
 * beside it: the caller says how much it wants.
 *
 * <p>Uses the store's connection: one store, one thread.
 */
public final class ItemDetails {

    /**
     * A text, possibly cut.
     *
     * @param text   the text, at most the asked-for number of characters
     * @param length the full text's length in characters (code points)
     */
    public record Text(String text, long length) {

        /** Whether {@link #text()} is only the beginning of the text. */
        public boolean truncated() {
            return text.codePointCount(0, text.length()) < length;
        }
    }

    /**
     * One score of a response with its provenance, as stored by a scorer.
     *
     * @param source    the score source
     * @param value     the score, NaN when the scorer failed
     * @param status    {@code ok} or {@code failed}
     * @param error     why it failed, or null
     * @param rawOutput what the scorer answered (cut), or null
     * @param model     the model that scored
     * @param endpoint  where it was served
     * @param tokensIn  prompt tokens, or -1 when unknown
     * @param tokensOut completion tokens, or -1
     * @param costUsd   the call's cost, NaN when unknown
     * @param latencyMs the call's latency, or -1
     * @param attempts  calls made for it, or -1
     * @param created   when it was stored, or null
     */
    public record Score(String source, double value, String status, String error, Text rawOutput, String model,
                        String endpoint, long tokensIn, long tokensOut, double costUsd, long latencyMs, long attempts,
                        Instant created) {
    }

    /**
     * One response.
     *
     * @param position   its position in the instruction (0-based, input order)
     * @param text       its text
     * @param model      the model that wrote it, or null
     * @param inputScore the score that came with the data, NaN when none
     * @param label      the data's label, NaN when none
     * @param scores     the scores of every scorer source
     */
    public record ResponseDetails(int position, Text text, String model, double inputScore, double label,
                                  List<Score> scores) {
    }

    /**
     * One turn of a conversational prompt.
     *
     * @param role    its role ({@code system}, {@code user}, {@code assistant}, ...)
     * @param content its text, cut as every text is
     */
    public record Turn(String role, Text content) {
    }

    /**
     * One instruction.
     *
     * @param key       the item's key
     * @param id        its id
     * @param prompt    the instruction
     * @param input     the alpaca-style input (empty when none)
     * @param reference the reference answer that came with the data, or null
     * @param file      the input file it was read from
     * @param line      its line (or row) there
     * @param responses its responses in input order
     * @param turns     the prompt as chat turns when the input gave a conversation (then {@code prompt} is
     *                  them flattened), empty for a plain prompt
     * @param images    the images the prompt carries (references; read them with
     *                  {@link org.admap.internal.image.ImageFiles}), empty for a text-only prompt
     */
    public record Detail(int key, String id, Text prompt, Text input, Text reference, String file, long line,
                         List<ResponseDetails> responses, List<Turn> turns, List<org.admap.model.ImageRef> images) {

        public Detail {
            turns = List.copyOf(turns);
            images = images == null ? List.of() : List.copyOf(images);
        }

        /** A detail of a prompt without images. */
        public Detail(int key, String id, Text prompt, Text input, Text reference, String file, long line,
                      List<ResponseDetails> responses, List<Turn> turns) {
            this(key, id, prompt, input, reference, file, line, responses, turns, List.of());
        }

        /** Whether the prompt came as a conversation. */
        public boolean isConversation() {
            return !turns.isEmpty();
        }
    }

    /**
     * One stored flag row as the report and the viewer show it, read generically: whatever
     * columns the {@code flags} table has besides {@code item_key} and {@code reason} are in
     * {@code fields}.
     *
     * @param key    the item's key
     * @param reason why it is flagged
     * @param fields the other columns by name (numbers as Double or Long, texts as String, nulls omitted)
     */
    public record ViewerFlag(int key, String reason, Map<String, Object> fields) {
    }

    private final RunStore store;

    private ItemDetails(RunStore store) {
        this.store = store;
    }

    /** The details of a store. */
    public static ItemDetails of(RunStore store) {
        return new ItemDetails(store);
    }

    /**
     * How uncertain one response's score from one source is: the number of judgments it is
     * the mean of and its standard error ({@code sd(samples, ddof=1) / sqrt(k)} with two or
     * more, else the judge's log-probability spread, else NaN), as the map reads it.
     *
     * @param position the response's position in its instruction
     * @param source   the score source ({@value RunStore#INPUT} for list-valued input scores)
     * @param samples  the successful judgments (or the input list's length)
     * @param se       the standard error, NaN when unknown
     */
    public record Uncertainty(int position, String source, long samples, double se) {
    }

    /**
     * The uncertainty of every scored response of one instruction: each scorer source's
     * successful judgments, and the input's list-valued scores. Pages show it beside the
     * score, so a reader sees which scores rest on one judgment and which on several.
     */
    public List<Uncertainty> uncertainty(int key) {
        List<Uncertainty> list = new ArrayList<>();
        String scorers = "SELECT position, source, count(value), CASE WHEN count(value) >= 2 THEN"
                + " stddev_samp(value) / sqrt(count(value)) ELSE avg(spread) END FROM scores WHERE item_key = ?"
                + " AND status = 'ok' AND value IS NOT NULL GROUP BY position, source ORDER BY position, source";
        query(scorers, key, list);
        if (store.scores().hasInputSamples()) {
            query("SELECT position, '" + RunStore.INPUT + "', count(value), CASE WHEN count(value) >= 2 THEN"
                    + " stddev_samp(value) / sqrt(count(value)) END FROM input_samples WHERE item_key = ?"
                    + " GROUP BY position ORDER BY position", key, list);
        }
        list.sort(java.util.Comparator.comparingInt(Uncertainty::position));
        return List.copyOf(list);
    }

    private void query(String sql, int key, List<Uncertainty> into) {
        store.sql().query("read the score uncertainty of item " + key, sql, key)
                .forEach(rs -> into.add(new Uncertainty(rs.getInt(1), rs.getString(2), rs.getLong(3), number(rs, 4))));
    }

    /** One instruction, every text cut to {@code maxChars}; empty when there is no such key. */
    public Optional<Detail> item(int key, int maxChars) {
        BitSet keys = new BitSet();
        keys.set(key);
        List<Detail> list = new ArrayList<>();
        items(keys, maxChars, list::add);
        return list.stream().findFirst();
    }

    /** The instructions whose keys are set, in key order, every text cut to {@code maxChars}. */
    public void items(BitSet keys, int maxChars, Consumer<Detail> consumer) {
        if (keys.isEmpty()) {
            return;
        }
        // Keys are integers, so an inline list is safe; chunks keep the statements small.
        int[] all = keys.stream().toArray();
        for (int from = 0; from < all.length; from += 1000) {
            int to = Math.min(all.length, from + 1000);
            StringJoiner in = new StringJoiner(",", "(", ")");
            for (int i = from; i < to; i++) {
                in.add(Integer.toString(all[i]));
            }
            chunk(in.toString(), maxChars).forEach(consumer);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Detail> chunk(String keyList, int maxChars) {
        Map<Integer, Object[]> items = new LinkedHashMap<>();
        Map<Integer, List<ResponseDetails>> responses = new LinkedHashMap<>();
        Map<Long, List<Score>> scores = new LinkedHashMap<>();
        Sql db = store.sql();
        db.query("read items", "SELECT i.item_key, i.id, left(i.prompt, ?), length(i.prompt), left(i.input, ?),"
                + " length(i.input), left(i.reference, ?), length(i.reference), inp.path, i.source_line, i.turns,"
                + " i.images FROM items i JOIN inputs inp USING (input_id) WHERE i.item_key IN " + keyList
                + " ORDER BY i.item_key", maxChars, maxChars, maxChars).forEach(rs -> {
                    String reference = rs.getString(7);
                    items.put(rs.getInt(1), new Object[] {rs.getString(2), new Text(rs.getString(3), rs.getLong(4)),
                            new Text(rs.getString(5), rs.getLong(6)),
                            reference == null ? null : new Text(reference, rs.getLong(8)), rs.getString(9),
                            rs.getLong(10), turns(rs.getString(11), maxChars), ImagesColumn.decode(rs.getString(12))});
                });
        db.query("read items", "SELECT item_key, position, source, value, status, error, left(raw_output, ?),"
                + " length(raw_output), model, endpoint, tokens_in, tokens_out, cost_usd, latency_ms, attempts, created"
                + " FROM scores WHERE item_key IN " + keyList + " ORDER BY item_key, position, source",
                Math.min(maxChars, 4000)).forEach(rs -> {
                    String raw = rs.getString(7);
                    Timestamp created = rs.getTimestamp(16);
                    Score s = new Score(rs.getString(3), number(rs, 4), rs.getString(5), rs.getString(6),
                            raw == null ? null : new Text(raw, rs.getLong(8)), rs.getString(9), rs.getString(10),
                            whole(rs, 11), whole(rs, 12), number(rs, 13), whole(rs, 14), whole(rs, 15),
                            created == null ? null : created.toInstant());
                    scores.computeIfAbsent(responseKey(rs.getInt(1), rs.getInt(2)), k -> new ArrayList<>()).add(s);
                });
        db.query("read items", "SELECT item_key, position, left(text, ?), length(text), model, score, label"
                + " FROM responses WHERE item_key IN " + keyList + " ORDER BY item_key, position", maxChars)
                .forEach(rs -> {
                    int key = rs.getInt(1);
                    int position = rs.getInt(2);
                    responses.computeIfAbsent(key, k -> new ArrayList<>()).add(new ResponseDetails(position,
                            new Text(rs.getString(3), rs.getLong(4)), rs.getString(5), number(rs, 6),
                            number(rs, 7), scores.getOrDefault(responseKey(key, position), List.of())));
                });
        List<Detail> list = new ArrayList<>();
        items.forEach((key, v) -> list.add(new Detail(key, (String) v[0], (Text) v[1], (Text) v[2], (Text) v[3],
                (String) v[4], (Long) v[5], responses.getOrDefault(key, List.of()), (List<Turn>) v[6],
                (List<org.admap.model.ImageRef>) v[7])));
        return list;
    }

    /** The stored turns, each content cut to {@code maxChars} code points. */
    private static List<Turn> turns(String json, int maxChars) {
        List<Turn> turns = new ArrayList<>();
        for (org.admap.model.Turn t : TurnsColumn.decode(json)) {
            String c = t.content();
            turns.add(new Turn(t.role(), new Text(cutCodePoints(c, maxChars), c.codePointCount(0, c.length()))));
        }
        return turns;
    }

    private static long responseKey(int item, int position) {
        return ((long) item << 32) | position;
    }

    /** Receives one item's key, id and prompt excerpt. */
    @FunctionalInterface
    public interface ExcerptConsumer {
        void accept(int key, String id, String excerpt);
    }

    /**
     * Streams every item's key, id and the beginning of its full prompt (instruction, then
     * input), whitespace collapsed, cut to {@code maxChars} with "..." when longer, in key order.
     */
    public void forEachExcerpt(int maxChars, ExcerptConsumer consumer) {
        store.sql().query("read prompts", "SELECT item_key, id, left(prompt, ?), left(input, ?) FROM items"
                + " ORDER BY item_key", excerptSource(maxChars), excerptSource(maxChars)).forEach(rs -> {
                    String input = rs.getString(4);
                    String text = input.isEmpty() ? rs.getString(3) : rs.getString(3) + " " + input;
                    consumer.accept(rs.getInt(1), rs.getString(2), excerpt(text, maxChars));
                });
    }

    /**
     * The excerpt length for a map of {@code points} points when none is asked for: 160
     * characters up to 20,000 points, 64 up to 100,000, 40 beyond (a report embeds one per point).
     */
    public static int excerptChars(int points) {
        return points <= 20_000 ? 160 : points <= 100_000 ? 64 : 40;
    }

    /**
     * The code points of the instruction and of its input that an excerpt of {@code maxChars}
     * is made from ({@link #forEachExcerpt}): enough for any that is not mostly whitespace.
     */
    public static int excerptSource(int maxChars) {
        return maxChars + 64;
    }

    /**
     * An item's excerpt as {@link #forEachExcerpt} makes it: the instruction and the input
     * ({@code input} empty when none) each cut to {@link #excerptSource} code points, joined by a
     * space, then {@link #excerpt(String, int)}.
     */
    public static String excerpt(String prompt, String input, int maxChars) {
        String p = cutCodePoints(prompt, excerptSource(maxChars));
        return excerpt(input.isEmpty() ? p : p + " " + cutCodePoints(input, excerptSource(maxChars)), maxChars);
    }

    /** {@code s} cut to its first {@code maxCodePoints} code points. */
    public static String cutCodePoints(String s, int maxCodePoints) {
        return s.length() <= maxCodePoints || s.codePointCount(0, s.length()) <= maxCodePoints ? s
                : s.substring(0, s.offsetByCodePoints(0, maxCodePoints));
    }

    /** The text on one line, at most {@code maxChars} characters (never half a character) plus "...". */
    public static String excerpt(String text, int maxChars) {
        // text.strip().replaceAll("\\s+", " ") up to one character past the cut, without a regex:
        // a report makes one per point, hundreds of thousands
        String stripped = text.strip();
        StringBuilder b = new StringBuilder(Math.min(stripped.length(), maxChars + 1));
        boolean space = false;
        for (int i = 0; i < stripped.length() && b.length() <= maxChars; i++) {
            char c = stripped.charAt(i);
            boolean s = c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
            if (!s) {
                b.append(c);
            } else if (!space) {
                b.append(' '); // a stripped text ends with no space, so a run of them is followed by text
            }
            space = s;
        }
        String oneLine = b.toString();
        if (oneLine.length() <= maxChars) {
            return oneLine;
        }
        int end = maxChars;
        if (Character.isHighSurrogate(oneLine.charAt(end - 1))) {
            end--;
        }
        return oneLine.substring(0, end) + "...";
    }

    /**
     * The keys of the instructions whose id equals {@code query} or whose instruction or
     * input contains it, ignoring case.
     */
    public BitSet search(String query) {
        BitSet keys = new BitSet();
        if (query.isBlank()) {
            return keys;
        }
        store.sql().query("search the instructions", "SELECT item_key FROM items WHERE id = ?"
                + " OR strpos(lower(prompt), lower(?)) > 0 OR strpos(lower(input), lower(?)) > 0", query.strip(), query,
                query).forEach(rs -> keys.set(rs.getInt(1)));
        return keys;
    }

    /**
     * The stored flags, one row per (instruction, reason), in key order. Every column of the
     * {@code flags} table other than the key and the reason is passed on by name, so the
     * viewer shows what the diagnosis stores without knowing its columns.
     */
    public List<ViewerFlag> flags() {
        List<ViewerFlag> rows = new ArrayList<>();
        try (Statement st = store.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM flags ORDER BY item_key, reason")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                int key = -1;
                String reason = null;
                Map<String, Object> fields = new LinkedHashMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    String name = meta.getColumnLabel(c);
                    Object v = rs.getObject(c);
                    if (name.equals("item_key")) {
                        key = rs.getInt(c);
                    } else if (name.equals("reason")) {
                        reason = rs.getString(c);
                    } else if (v instanceof Number n) {
                        fields.put(name, v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal
                                ? (Object) n.doubleValue() : (Object) n.longValue());
                    } else if (v != null) {
                        fields.put(name, v.toString());
                    }
                }
                if (key >= 0 && reason != null) {
                    rows.add(new ViewerFlag(key, reason, fields));
                }
            }
        } catch (SQLException e) {
            throw StoreException.cannot(store.file(), "read the flags", e);
        }
        return rows;
    }

    private static double number(ResultSet rs, int column) throws SQLException {
        double d = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : d;
    }

    private static long whole(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? -1 : v;
    }
}
