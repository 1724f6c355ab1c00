package org.admap.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

    private Reviews(RunStore store) {
        this.store = store;
    }

    /** The marks of a store. */
    public static Reviews of(RunStore store) {
        return new Reviews(store);
    }

    /** Sets the mark of an instruction, or clears it when {@code mark} is null. */
    public void set(int key, String id, Mark mark) {
        try {
            ensureTable();
            try (PreparedStatement ps = store.connection().prepareStatement(
                    "DELETE FROM " + TABLE + " WHERE item_key = ?")) {
                ps.setInt(1, key);
                ps.executeUpdate();
            }
            if (mark != null) {
                try (PreparedStatement ps = store.connection().prepareStatement(
                        "INSERT INTO " + TABLE + " VALUES (?, ?, ?, ?)")) {
                    ps.setInt(1, key);
                    ps.setString(2, id);
                    ps.setString(3, mark.cliName());
                    ps.setTimestamp(4, Timestamp.from(Instant.now()));
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw StoreException.cannot(store.file(), "store the review of item " + id, e);
        }
    }

    /** Every mark, by item key (empty when nothing was reviewed). */
    public Map<Integer, Mark> all() {
        Map<Integer, Mark> marks = new TreeMap<>();
        if (!tableExists()) {
            return marks;
        }
        try (Statement st = store.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT item_key, mark FROM " + TABLE + " ORDER BY item_key")) {
            while (rs.next()) {
                marks.put(rs.getInt(1), Mark.parse(rs.getString(2)));
            }
        } catch (SQLException e) {
            throw StoreException.cannot(store.file(), "read the reviews", e);
        }
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
        try (PreparedStatement ps = store.connection().prepareStatement(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main'")) {
            ps.setString(1, TABLE);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw StoreException.cannot(store.file(), "look for the reviews table", e);
        }
    }

    private void ensureTable() throws SQLException {
        try (Statement st = store.connection().createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                    + " item_key INTEGER PRIMARY KEY,"
                    + " id       VARCHAR NOT NULL,"
                    + " mark     VARCHAR NOT NULL,"
                    + " updated  TIMESTAMP NOT NULL)");
        }
    }
}
