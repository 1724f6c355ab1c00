package org.admap.internal.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JDBC that every class of the store would otherwise write out again: prepare a
 * statement, bind its parameters in order, run it, read its rows, close both, and turn a
 * failure into a {@link StoreException} that names the store and what could not be done
 * ({@code "run store FILE: cannot WHAT: DuckDB's reason"}). Plain JDBC on DuckDB's driver, no
 * mapping library; bulk writes keep their appenders and reused statements.
 *
 * <pre>{@code
 * Optional<String> value = db.query("read run info", "SELECT value FROM run_info WHERE key = ?", key)
 *         .first(rs -> rs.getString(1));
 * }</pre>
 *
 * <p>Parameters are bound with {@link PreparedStatement#setObject}: DuckDB's driver binds
 * through its typed setters ({@code setString}, {@code setInt}, {@code setLong},
 * {@code setDouble}, {@code setBoolean}, {@code setTimestamp}, {@code setArray},
 * {@code setNull}) exactly so, with the boxed value, so a parameter binds as its typed setter
 * bound it when it has that setter's Java type (an {@code int} that was bound with
 * {@code setLong} is passed as a {@code long}).
 *
 * <p>On one connection: one thread, as the connection.
 */
final class Sql {

    /** Reads one row of a result. */
    @FunctionalInterface
    interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    /** Makes a value of one row of a result. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final Connection connection;
    private final Path file;

    /** Statements on {@code connection}, whose failures name the store {@code file}. */
    Sql(Connection connection, Path file) {
        this.connection = connection;
        this.file = file;
    }

    /**
     * A query with its parameters, run by the reader given next.
     *
     * @param what what the query does, in the words of the error when it fails ("read batches")
     */
    Query query(String what, String sql, Object... params) {
        return new Query(what, sql, params);
    }

    /** Runs an insert, update or delete with its parameters; the number of rows it changed. */
    int update(String what, String sql, Object... params) {
        try (PreparedStatement ps = prepare(sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.cannot(file, what, e);
        }
    }

    /**
     * Runs statements without parameters or results (DDL), in order, leaving their failure to
     * the caller: a store's tables are made and migrated inside errors of their own.
     */
    void execute(String... statements) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private PreparedStatement prepare(String sql, Object[] params) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    /** A query ready to run; each of its methods runs it once. */
    final class Query {

        private final String what;
        private final String sql;
        private final Object[] params;

        private Query(String what, String sql, Object[] params) {
            this.what = what;
            this.sql = sql;
            this.params = params;
        }

        /** Hands every row to {@code handler}, in the result's order, streaming. */
        void forEach(RowHandler handler) {
            read(rs -> {
                while (rs.next()) {
                    handler.row(rs);
                }
                return null;
            });
        }

        /** Every row, read by {@code reader}. */
        <T> List<T> list(RowReader<T> reader) {
            List<T> rows = new ArrayList<>();
            forEach(rs -> rows.add(reader.read(rs)));
            return rows;
        }

        /** The first row, read by {@code reader}; empty when there is none, or when it reads as null. */
        <T> Optional<T> first(RowReader<T> reader) {
            return read(rs -> rs.next() ? Optional.ofNullable(reader.read(rs)) : Optional.empty());
        }

        /** The one row of an aggregate ({@code count(*)}, {@code min}/{@code max}), read by {@code reader}. */
        <T> T one(RowReader<T> reader) {
            return read(rs -> {
                rs.next();
                return reader.read(rs);
            });
        }

        /** Runs the query and hands its whole result to {@code result}. */
        private <T> T read(RowReader<T> result) {
            try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
                return result.read(rs);
            } catch (SQLException e) {
                throw StoreException.cannot(file, what, e);
            }
        }
    }
}
