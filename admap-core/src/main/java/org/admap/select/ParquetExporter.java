package org.admap.select;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.admap.internal.store.AtomicFile;
import org.admap.model.Item;
import org.admap.model.MapPoint;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * TRL's standard columns ({@code id, prompt, chosen, rejected, score_chosen, score_rejected},
 * as {@link ExportFormat#TRL_STANDARD} writes them, an absent score as NULL) in a Parquet file, written by DuckDB's
 * Parquet writer (zstd) from an in-memory table, then
 * moved into place.
 */
final class ParquetExporter implements PairExporter {

    private final AtomicFile file;
    private final DuckDBConnection connection;
    private final DuckDBAppender appender;
    private long records;

    ParquetExporter(Path path) throws IOException {
        this.file = new AtomicFile(path);
        try {
            Connection c = DriverManager.getConnection("jdbc:duckdb:");
            this.connection = c.unwrap(DuckDBConnection.class);
            try (Statement st = connection.createStatement()) {
                st.execute("CREATE TABLE pairs (id VARCHAR, prompt VARCHAR, chosen VARCHAR, rejected VARCHAR,"
                        + " score_chosen DOUBLE, score_rejected DOUBLE)");
            }
            this.appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "pairs");
        } catch (SQLException e) {
            file.close();
            throw new IOException("cannot prepare the Parquet export: " + e.getMessage(), e);
        }
    }

    @Override
    public void write(Item item, MapPoint point, List<Pair> pairs) throws IOException {
        try {
            for (Pair p : pairs) {
                appender.beginRow()
                        .append(item.id())
                        .append(item.fullPrompt())
                        .append(p.chosen().text())
                        .append(p.rejected().text());
                boolean both = p.chosen().hasScore() && p.rejected().hasScore(); // a pair's scores go together
                appendScore(both ? p.chosen().score() : Double.NaN);
                appendScore(both ? p.rejected().score() : Double.NaN);
                appender.endRow();
                records++;
            }
        } catch (SQLException e) {
            throw new IOException("cannot write a pair: " + e.getMessage(), e);
        }
    }

    private void appendScore(double score) throws SQLException {
        if (Double.isNaN(score)) {
            appender.appendNull();
        } else {
            appender.append(score);
        }
    }

    @Override
    public long records() {
        return records;
    }

    @Override
    public void commit() throws IOException {
        try {
            appender.close();
            Files.deleteIfExists(file.tempPath()); // DuckDB writes the file itself
            try (Statement st = connection.createStatement()) {
                st.execute("COPY pairs TO '" + file.tempPath().toString().replace("'", "''")
                        + "' (FORMAT parquet, COMPRESSION zstd)");
            }
        } catch (SQLException e) {
            throw new IOException("cannot write Parquet: " + e.getMessage(), e);
        }
        file.commit();
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException(e);
        } finally {
            file.close();
        }
    }
}
