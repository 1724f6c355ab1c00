package org.admap.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's JDBC helper: a parameter binds as the typed setter the store classes called
 * before it did (same DuckDB type, same value), rows read back in order, and a failure names
 * the store and what could not be done.
 */
class SqlTest {

    private static final Path FILE = Path.of("run", "run.duckdb");

    private Connection connection;
    private Sql db;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:duckdb:");
        db = new Sql(connection, FILE);
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void eachParameterBindsAsItsTypedSetterDid() throws SQLException {
        Timestamp t = Timestamp.from(Instant.parse("2024-05-06T07:08:09.123456Z"));
        assertThat(typed(ps -> ps.setInt(1, 7))).isEqualTo(helped(7));
        assertThat(typed(ps -> ps.setLong(1, 7))).isEqualTo(helped(7L)).isNotEqualTo(helped(7));
        assertThat(typed(ps -> ps.setDouble(1, 0.1))).isEqualTo(helped(0.1));
        assertThat(typed(ps -> ps.setBoolean(1, true))).isEqualTo(helped(true));
        assertThat(typed(ps -> ps.setString(1, "a'b"))).isEqualTo(helped("a'b"));
        assertThat(typed(ps -> ps.setString(1, null))).isEqualTo(helped((Object) null));
        assertThat(typed(ps -> ps.setNull(1, Types.VARCHAR))).isEqualTo(helped((Object) null));
        assertThat(typed(ps -> ps.setTimestamp(1, t))).isEqualTo(helped(t));
    }

    @Test
    void updatesCountTheirRowsAndQueriesReadThemInOrder() {
        db.update("make t", "CREATE TABLE t (k INTEGER, v VARCHAR)");
        assertThat(db.update("fill t", "INSERT INTO t VALUES (?, ?), (?, ?), (?, ?)", 2, "b", 1, "a", 3, null))
                .isEqualTo(3);
        assertThat(db.query("read t", "SELECT v FROM t WHERE k >= ? ORDER BY k", 1).list(rs -> rs.getString(1)))
                .containsExactly("a", "b", null);
        assertThat(db.query("read t", "SELECT k FROM t WHERE v = ?", "b").first(rs -> rs.getInt(1))).contains(2);
        assertThat(db.query("read t", "SELECT k FROM t WHERE v = ?", "z").first(rs -> rs.getInt(1))).isEmpty();
        assertThat(db.query("read t", "SELECT v FROM t WHERE k = 3").first(rs -> rs.getString(1)))
                .isEqualTo(Optional.empty());
        long count = db.query("count t", "SELECT count(*) FROM t").one(rs -> rs.getLong(1));
        assertThat(count).isEqualTo(3L);
    }

    @Test
    void aFailureNamesTheStoreAndWhatCouldNotBeDone() {
        assertThatThrownBy(() -> db.query("read the flags", "SELECT * FROM flags").forEach(rs -> { }))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("run store " + FILE + ": cannot read the flags: ")
                .hasMessageContaining("flags")
                .hasCauseInstanceOf(SQLException.class);
        assertThatThrownBy(() -> db.update("record input x", "INSERT INTO inputs VALUES (?)", 1))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("run store " + FILE + ": cannot record input x: ");
    }

    @Test
    void ddlRunsInOrderAndLeavesItsFailureToTheCaller() throws SQLException {
        db.execute("CREATE TABLE a (x INTEGER)", "INSERT INTO a VALUES (1)", "ALTER TABLE a ADD COLUMN y INTEGER");
        List<List<Object>> rows = db.query("read a", "SELECT x, y FROM a")
                .list(rs -> Arrays.asList(rs.getInt(1), rs.getObject(2)));
        assertThat(rows).containsExactly(Arrays.asList(1, null));
        assertThatThrownBy(() -> db.execute("CREATE TABLE a (x INTEGER)")).isInstanceOf(SQLException.class);
    }

    private interface Binding {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** What DuckDB received through a typed setter: the parameter's type and its value as text. */
    private List<String> typed(Binding binding) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT typeof(x), CAST(x AS VARCHAR) FROM"
                + " (SELECT ? AS x)")) {
            binding.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Arrays.asList(rs.getString(1), rs.getString(2));
            }
        }
    }

    /** What DuckDB received through the helper. */
    private List<String> helped(Object value) {
        return db.query("probe", "SELECT typeof(x), CAST(x AS VARCHAR) FROM (SELECT ? AS x)", value)
                .one(rs -> Arrays.asList(rs.getString(1), rs.getString(2)));
    }
}
