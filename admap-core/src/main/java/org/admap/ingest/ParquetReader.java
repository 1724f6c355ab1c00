package org.admap.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.admap.model.SourceLocation;

/**
 * Reads Parquet through DuckDB's reader, which handles every Parquet encoding and nested
 * type the Hugging Face Hub uses, so no Hadoop stack is needed. Each row is rendered to
 * JSON by DuckDB ({@code to_json}), so lists of chat messages and structs reach the
 * layouts in the same shape as from a JSON file.
 */
final class ParquetReader implements RecordReader {

    private final String display;
    private final long fileSize;
    private final Connection connection;
    private final ResultSet rows;
    private final long totalRows;
    private long row;

    ParquetReader(Path path) throws IOException {
        this.display = path.toString();
        this.fileSize = Files.size(path);
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:duckdb:");
            this.connection = c;
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata(?)")) {
                count.setString(1, path.toAbsolutePath().toString());
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    this.totalRows = rs.getLong(1);
                }
            }
            String alias = rowAlias(connection, path.toAbsolutePath().toString());
            PreparedStatement query = connection.prepareStatement(
                    "SELECT to_json(" + alias + ")::VARCHAR FROM read_parquet(?) " + alias);
            query.setString(1, path.toAbsolutePath().toString());
            this.rows = query.executeQuery();
        } catch (SQLException e) {
            closeQuietly(c);
            throw IngestException.forFile(display, "cannot read as Parquet: " + firstLine(e.getMessage()));
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // reporting the original failure matters more
            }
        }
    }

    /**
     * A name for the whole row that no column has: DuckDB resolves a column before a table
     * alias of the same name (case-insensitively), so with a column {@code t} the alias
     * {@code t} would render that column instead of the row.
     */
    private static String rowAlias(Connection connection, String file) throws SQLException {
        Set<String> columns = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM read_parquet(?) LIMIT 0")) {
            ps.setString(1, file);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
                }
            }
        }
        String alias = "t";
        while (columns.contains(alias)) {
            alias += "_";
        }
        return alias;
    }

    @Override
    public SourceRecord next() throws IOException {
        try {
            if (!rows.next()) {
                return null;
            }
            row++;
            String json = rows.getString(1);
            try {
                return new SourceRecord(JsonSupport.MAPPER.readTree(json), SourceLocation.row(display, row));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("DuckDB rendered row " + row + " as invalid JSON", e);
            }
        } catch (SQLException e) {
            throw IngestException.forFile(display, "cannot read row " + (row + 1) + ": " + firstLine(e.getMessage()));
        }
    }

    @Override
    public long bytesRead() {
        // Parquet is read by columns, not front to back: estimate by the share of rows read.
        return totalRows == 0 ? fileSize : (long) (fileSize * ((double) row / totalRows));
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
