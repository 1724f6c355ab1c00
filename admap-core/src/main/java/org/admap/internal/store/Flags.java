package org.admap.internal.store;

import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The diagnosis's flags in the run store ({@code flags} table, one row per instruction and
 * reason): written whole by {@code diagnose}, so that a store never holds the flags of two
 * diagnoses at once. Reached through {@link RunStore#flags()}.
 *
 * <p>Uses the store's connection: one store, one thread.
 */
public final class Flags {

    /** Flags from the diagnosis, one row per (instruction, reason). */
    static final String FLAGS = """
            CREATE TABLE flags (
                item_key  INTEGER NOT NULL,
                reason    VARCHAR NOT NULL,
                value     DOUBLE,
                threshold DOUBLE,
                detail    VARCHAR
            )""";

    /** The tables, in the order a new store creates them. */
    static final List<String> TABLES = List.of(FLAGS);

    private final RunStore store;

    Flags(RunStore store) {
        this.store = store;
    }

    /** Replaces the stored flags. */
    public void replace(Iterable<RunStore.StoredFlag> flags) {
        DuckDBConnection connection = store.connection();
        store.atomically("write flags", () -> {
            store.sql().execute("DELETE FROM flags");
            try (DuckDBAppender app = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "flags")) {
                for (RunStore.StoredFlag f : flags) {
                    app.beginRow().append(f.key()).append(f.reason());
                    appendDouble(app, f.value());
                    appendDouble(app, f.threshold());
                    if (f.detail() == null) {
                        app.appendNull();
                    } else {
                        app.append(f.detail());
                    }
                    app.endRow();
                }
            }
        });
    }

    private static void appendDouble(DuckDBAppender app, double v) throws SQLException {
        if (Double.isNaN(v)) {
            app.appendNull();
        } else {
            app.append(v);
        }
    }
}
