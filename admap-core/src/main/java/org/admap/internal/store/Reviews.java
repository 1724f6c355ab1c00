package org.admap.internal.store;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A person's verdicts on instructions, made in the web viewer ({@code admap serve}) and kept
 * in the run store's {@code reviews} table: one mark per instruction, {@code reviewed},
 * {@code keep} or {@code drop}. {@code admap select} leaves out every instruction marked
 * {@code drop}.
 *
 * <p>The table is created the first time a mark is set, so runs made before it existed,
 * and runs nobody reviewed, have none; reading never creates it. Marks are keyed by the
 * item's key and carry its id, so they survive a new map of the same run.
 *
 * <p>Uses the store's connection: one store, one thread.
 */
public final class Reviews {

    /** The table's name. */
    static final String TABLE = "reviews";

    /** The marks, one per instruction; made by the first {@link #set}, never by a new store. */
    static final String REVIEWS = "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
            + " item_key INTEGER PRIMARY KEY,"
            + " id       VARCHAR NOT NULL,"
            + " mark     VARCHAR NOT NULL,"
            + " updated  TIMESTAMP NOT NULL)";

    /** A verdict on one instruction. */
    public enum Mark {
        /** Looked at, no decision. */
        REVIEWED,
        /** Keep it in selections (what {@code select} does anyway; recorded for the reviewer). */
        KEEP,
        /** Leave it out of every selection. */
        DROP;

        /** The name in the viewer, the API and the table: {@code reviewed}, {@code keep}, {@code drop}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a mark's name. */
        public static Mark parse(String name) {
            for (Mark m : values()) {
                if (m.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown review mark '" + name + "': expected reviewed, keep or drop");
        }
    }

    private final RunStore store;
    private final Sql db;

    private Reviews(RunStore store) {
        this.store = store;
        this.db = store.sql();
    }

    /** The marks of a store. */
    public static Reviews of(RunStore store) {
        return new Reviews(store);
    }

    /** Sets the mark of an instruction, or clears it when {@code mark} is null. */
    public void set(int key, String id, Mark mark) {
        String what = "store the review of item " + id;
        try {
            db.execute(REVIEWS);
        } catch (SQLException e) {
            throw StoreException.cannot(store.file(), what, e);
        }
        db.update(what, "DELETE FROM " + TABLE + " WHERE item_key = ?", key);
        if (mark != null) {
            db.update(what, "INSERT INTO " + TABLE + " VALUES (?, ?, ?, ?)", key, id, mark.cliName(),
                    Timestamp.from(Instant.now()));
        }
    }

    /** Every mark, by item key (empty when nothing was reviewed). */
    public Map<Integer, Mark> all() {
        Map<Integer, Mark> marks = new TreeMap<>();
        if (!tableExists()) {
            return marks;
        }
        db.query("read the reviews", "SELECT item_key, mark FROM " + TABLE + " ORDER BY item_key")
                .forEach(rs -> marks.put(rs.getInt(1), Mark.parse(rs.getString(2))));
        return marks;
    }

    /** The keys of the instructions marked {@code drop}. */
    public BitSet dropped() {
        BitSet keys = new BitSet();
        all().forEach((key, mark) -> {
            if (mark == Mark.DROP) {
                keys.set(key);
            }
        });
        return keys;
    }

    /** How many instructions carry each mark. */
    public Map<Mark, Integer> counts() {
        Map<Mark, Integer> counts = new EnumMap<>(Mark.class);
        for (Mark m : Mark.values()) {
            counts.put(m, 0);
        }
        all().values().forEach(m -> counts.merge(m, 1, Integer::sum));
        return counts;
    }

    private boolean tableExists() {
        return db.query("look for the reviews table", "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?"
                + " AND schema_name = 'main'", TABLE).one(rs -> rs.getLong(1) > 0);
    }
}
