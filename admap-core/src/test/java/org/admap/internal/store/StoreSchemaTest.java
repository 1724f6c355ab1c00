package org.admap.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.admap.model.Item;
import org.admap.model.Response;
import org.admap.model.SourceLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog of a run store: a new store has exactly the tables, columns, types, defaults,
 * constraints, indexes and sequences recorded in {@code store-catalog.txt} (taken from a store
 * made by the single {@code schema.sql} that every feature's own tables were split from), and
 * a store from before the later columns and tables gains them through the migrations until its
 * catalog is the same.
 */
class StoreSchemaTest {

    /** What the catalog is read by: every query's rows, tab-separated, after a header line. */
    private static final List<String> CATALOG = List.of(
            "SELECT table_name, column_name, data_type, ordinal_position, is_nullable, column_default"
                    + " FROM information_schema.columns ORDER BY ALL",
            "SELECT table_name, constraint_type, constraint_column_names, constraint_text FROM duckdb_constraints()"
                    + " ORDER BY ALL",
            "SELECT table_name, index_name, is_unique, is_primary, expressions FROM duckdb_indexes() ORDER BY ALL",
            "SELECT sequence_name FROM duckdb_sequences() ORDER BY ALL",
            "SELECT table_name, sql FROM duckdb_tables() ORDER BY ALL",
            "SELECT key, value FROM run_info ORDER BY ALL");

    @TempDir
    Path dir;

    @Test
    void aNewStoreHasTheCatalogOfTheOneSchemaItWasSplitFrom() throws Exception {
        Path file = dir.resolve(RunStore.FILE_NAME);
        RunStore.create(file).close();
        assertThat(catalog(file)).isEqualTo(expected());
    }

    @Test
    void aStoreFromBeforeTheLaterColumnsAndTablesGainsThemUntilItsCatalogIsANewOnes() throws Exception {
        Path file = dir.resolve(RunStore.FILE_NAME);
        RunStore.create(file).close();
        execute(file, "DROP TABLE input_samples",
                "ALTER TABLE map_points DROP COLUMN region_p",
                "ALTER TABLE items DROP COLUMN images",
                "ALTER TABLE items DROP COLUMN turns",
                "ALTER TABLE scores DROP COLUMN method",
                "ALTER TABLE scores DROP COLUMN spread",
                "ALTER TABLE scores DROP COLUMN sample");
        assertThat(catalog(file)).isNotEqualTo(expected());
        try (RunStore store = RunStore.open(file)) {
            // open adds the items' and scores' columns; the map's region_p comes with the first map,
            // input_samples with the first score given as a list
            store.replaceMap(List.of());
            try (ItemWriter w = store.openItemWriter()) {
                w.setInput(0);
                w.add(new Item("a", "Pick.", "", null, List.of(new Response("x", 2, 1, null, List.of(1.0, 3.0)),
                        new Response("y", 1, 2, null)), SourceLocation.line("data.jsonl", 1)), false);
            }
        }
        assertThat(catalog(file)).isEqualTo(expected());
    }

    private static String expected() throws IOException {
        try (InputStream in = StoreSchemaTest.class.getResourceAsStream("store-catalog.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The store's catalog as text, one block per {@link #CATALOG} query. */
    static String catalog(Path file) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
             Statement st = c.createStatement()) {
            for (String sql : CATALOG) {
                text.append("# ").append(sql).append('\n');
                try (ResultSet rs = st.executeQuery(sql)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            text.append(i == 1 ? "" : "\t").append(rs.getString(i));
                        }
                        text.append('\n');
                    }
                }
            }
        }
        return text.toString();
    }

    private static void execute(Path file, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
             Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }
}
