package org.admap.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The peer {@code admap map} is measured against: the map as one DuckDB SQL statement
 * ({@code bench/map.sql}: read the file with an explicit column schema, unnest the
 * responses, avg and var_pop per instruction, row_number() windows for the regions, COPY
 * to CSV), run through the DuckDB JDBC driver in this process on a fresh in-memory
 * database with DuckDB's default threads (one per core).
 */
public final class DuckDbReference {

    /** The reference query, as shipped in {@code bench/map.sql}. */
    public static final String QUERY = load("map.sql");

    private static final String JSON_COLUMNS = "columns={id: 'VARCHAR', prompt: 'VARCHAR',"
            + " responses: 'STRUCT(score DOUBLE, label DOUBLE)[]'}";

    private static final String JSON_COLUMNS_WITH_TEXTS = "columns={id: 'VARCHAR', prompt: 'VARCHAR',"
            + " responses: 'STRUCT(text VARCHAR, score DOUBLE, label DOUBLE)[]'}";

    private DuckDbReference() {
    }

    /** Runs the query on a file of admap's multi-response layout (JSON lines, plain or gzip, or Parquet). */
    public static void run(Path input, Path outputCsv) throws SQLException {
        String sql = QUERY.replace("${READ}", reader(input, false))
                .replace("${OUTPUT}", outputCsv.toAbsolutePath().toString().replace("'", "''"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * The reader call of a file of admap's multi-response layout: read_parquet, or read_json with
     * an explicit schema (texts included, for the pipeline script).
     */
    static String reader(Path input, boolean texts) {
        String in = input.toAbsolutePath().toString().replace("'", "''");
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".parquet") ? "read_parquet('" + in + "')"
                : "read_json('" + in + "', format = 'newline_delimited', "
                + (texts ? JSON_COLUMNS_WITH_TEXTS : JSON_COLUMNS) + ")";
    }

    /** Writes a JSON-lines file of the multi-response layout as Parquet (texts included), for the Parquet runs. */
    public static void toParquet(Path jsonl, Path parquet) throws SQLException {
        String in = jsonl.toAbsolutePath().toString().replace("'", "''");
        String out = parquet.toAbsolutePath().toString().replace("'", "''");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_json('" + in + "', format = 'newline_delimited', columns = {id:"
                    + " 'VARCHAR', prompt: 'VARCHAR', responses: 'STRUCT(text VARCHAR, score DOUBLE, label DOUBLE,"
                    + " model VARCHAR)[]'})) TO '" + out + "' (FORMAT parquet)");
        }
    }

    static String load(String resource) {
        try (InputStream in = DuckDbReference.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource org/admap/bench/" + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read org/admap/bench/" + resource, e);
        }
    }
}
