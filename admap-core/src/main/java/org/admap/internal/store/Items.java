package org.admap.internal.store;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;
import org.admap.model.Item;
import org.admap.model.Response;
import org.admap.model.SourceLocation;

/**
 * The ingested data in the run store: the files the run was built from ({@code inputs}), one
 * row per instruction ({@code items}), one per response ({@code responses}) and the samples of
 * scores the data gave as lists ({@code input_samples}). Written once by the ingest through
 * {@link ItemWriter}, read by every command after it. Reached through {@link RunStore#items()}.
 *
 * <p>Keys: an item is {@code item_key} (dense, 0..N-1 in input order); a response is
 * ({@code item_key}, {@code position}).
 *
 * <p>Uses the store's connection: one store, one thread.
 */
public final class Items {

    /** The files the run was built from. */
    static final String INPUTS = """
            CREATE TABLE inputs (
                input_id  INTEGER PRIMARY KEY,
                path      VARCHAR NOT NULL,
                format    VARCHAR NOT NULL,
                gzip      BOOLEAN NOT NULL,
                layout    VARCHAR NOT NULL,
                bytes     BIGINT,
                modified  TIMESTAMP,
                rows_read BIGINT,
                bad_rows  BIGINT
            )""";

    /**
     * One row per instruction. prompt is the instruction as text (a conversation flattened, as
     * the map and ids read it); turns is the prompt as chat messages when the input gave a
     * conversation, a JSON list of {"role", "content"}, NULL for a plain prompt. images is the
     * images the prompt carries, a JSON list of {"source", "kind", "location", "sha256"}
     * ({@link ImagesColumn}), NULL for text only. Stores older than the turns or images column
     * get it, NULL, when opened ({@link #migrate}).
     */
    static final String ITEMS = """
            CREATE TABLE items (
                item_key    INTEGER NOT NULL,
                id          VARCHAR NOT NULL,
                prompt      VARCHAR NOT NULL,
                input       VARCHAR NOT NULL,
                reference   VARCHAR,
                input_id    INTEGER NOT NULL,
                source_line BIGINT NOT NULL,
                turns       VARCHAR,
                images      VARCHAR
            )""";

    /** One row per response, with the score and label that came with the data (NULL when absent). */
    static final String RESPONSES = """
            CREATE TABLE responses (
                item_key INTEGER NOT NULL,
                position INTEGER NOT NULL,
                text     VARCHAR NOT NULL,
                model    VARCHAR,
                score    DOUBLE,
                label    DOUBLE
            )""";

    /**
     * The samples of scores that came with the data as lists (Prometheus' gpt4_score: three
     * GPT-4 grades per response), one row per (response, sample); responses.score holds their
     * mean. The 'input' source's standard errors come from here. Absent from stores made before
     * it existed: {@link ItemWriter} makes it there with the first score given as a list.
     */
    static final String INPUT_SAMPLES = """
            CREATE TABLE IF NOT EXISTS input_samples (
                item_key INTEGER NOT NULL,
                position INTEGER NOT NULL,
                sample   INTEGER NOT NULL,
                value    DOUBLE NOT NULL
            )""";

    /** The tables, in the order a new store creates them. */
    static final List<String> TABLES = List.of(INPUTS, ITEMS, RESPONSES, INPUT_SAMPLES);

    private final RunStore store;
    private final Sql db;

    Items(RunStore store) {
        this.store = store;
        this.db = store.sql();
    }

    /**
     * Adds the columns that later versions of admap added to the items of a store made by an
     * earlier one ({@code turns}, then {@code images}); a no-op on a current store. Old items
     * read as plain prompts without images, as they were ingested then.
     */
    static void migrate(RunStore store) throws SQLException {
        addColumn(store, "turns", TurnsColumn.ADD);
        addColumn(store, "images", ImagesColumn.ADD);
    }

    private static void addColumn(RunStore store, String column, String ddl) throws SQLException {
        if (store.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items'"
                + " AND column_name = '" + column + "'") == 0) {
            store.sql().execute(ddl);
        }
    }

    /** Opens a writer that appends items after those already stored. */
    public ItemWriter openWriter() {
        try {
            return new ItemWriter(store.connection(), (int) count());
        } catch (SQLException e) {
            throw StoreException.cannot(store.file(), "write items", e);
        }
    }

    /** Records an input file of the run. */
    public void addInput(InputFileRecord r) {
        db.update("record input " + r.path(), "INSERT INTO inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", r.inputId(),
                r.path(), r.format(), r.gzip(), r.layout(), r.bytes(),
                r.modified() == null ? null : Timestamp.from(r.modified()), r.rowsRead(), r.badRows());
    }

    /** The run's input files. */
    public List<InputFileRecord> inputs() {
        List<InputFileRecord> list = new ArrayList<>();
        store.query("SELECT input_id, path, format, gzip, layout, bytes, modified, rows_read, bad_rows FROM inputs"
                + " ORDER BY input_id", rs -> {
                    Timestamp modified = rs.getTimestamp(7);
                    list.add(new InputFileRecord(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                            rs.getString(5), rs.getLong(6), modified == null ? null : modified.toInstant(),
                            rs.getLong(8), rs.getLong(9)));
                });
        return list;
    }

    /** The number of instructions. */
    public long count() {
        return store.count("SELECT count(*) FROM items");
    }

    /** The number of responses. */
    public long responseCount() {
        return store.count("SELECT count(*) FROM responses");
    }

    /**
     * Streams the items whose keys are set in {@code keys} (all items when null), in key
     * order, with every response's score taken from {@code source}.
     */
    public void forEachItem(String source, BitSet keys, Consumer<KeyedItem> consumer) {
        String sql = "SELECT r.item_key, i.id, i.prompt, i.input, i.reference, inp.path, i.source_line,"
                + " r.text, r.model, " + ScoreSql.scoreExpression(source) + ", r.label, i.turns, i.images"
                + " FROM responses r JOIN items i USING (item_key) JOIN inputs inp USING (input_id)"
                + ScoreSql.scoreJoin(source)
                + " ORDER BY r.item_key, r.position";
        ItemAssembler.streamGrouped(store, sql, source, new KeyedItemAssembler(), keys == null ? consumer : ki -> {
            if (keys.get(ki.key())) {
                consumer.accept(ki);
            }
        });
    }

    /** Streams (key, id, full prompt) of every item in key order, for writing tables. */
    public void forEachPrompt(PromptConsumer consumer) {
        store.query("SELECT item_key, id, prompt, input FROM items ORDER BY item_key",
                rs -> consumer.accept(rs.getInt(1), rs.getString(2), Item.fullPrompt(rs.getString(3),
                        rs.getString(4))));
    }

    /** Receives one item's key, id and full prompt. */
    @FunctionalInterface
    public interface PromptConsumer {
        void accept(int key, String id, String prompt);
    }

    /** Assembles the rows of {@link #forEachItem} into one {@link KeyedItem} per item. */
    private static final class KeyedItemAssembler extends ItemAssembler<KeyedItem> {
        private final List<Response> responses = new ArrayList<>();
        private String id;
        private String prompt;
        private String input;
        private String reference;
        private SourceLocation location;
        private String turns;
        private String images;

        @Override
        void row(java.sql.ResultSet rs) throws SQLException {
            if (responses.isEmpty()) {
                id = rs.getString(2);
                prompt = rs.getString(3);
                input = rs.getString(4);
                reference = rs.getString(5);
                location = SourceLocation.line(rs.getString(6), rs.getLong(7));
                turns = rs.getString(12);
                images = rs.getString(13);
            }
            responses.add(new Response(rs.getString(8), ScoreSql.nullable(rs, 10), ScoreSql.nullable(rs, 11),
                    rs.getString(9)));
        }

        @Override
        KeyedItem finish(int key) {
            Item item = new Item(id, prompt, input, reference, responses, location, TurnsColumn.decode(turns),
                    ImagesColumn.decode(images));
            responses.clear();
            return new KeyedItem(key, item);
        }
    }
}
