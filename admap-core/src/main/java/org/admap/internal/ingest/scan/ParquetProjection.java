package org.admap.internal.ingest.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Gives the scan a Parquet file as JSON lines of only the columns the multi-response layout
 * reads: DuckDB reads just those columns, renders them to JSON as the full ingest's Parquet
 * reader does, and writes them, in row order, to a file that the scan then reads like any
 * JSON lines. Prompts are read back from that file for {@code map.csv}.
 *
 * <p>For a run, the file is the run's copy of the input, so that the commands after
 * {@code map} read their texts from it instead of building the run store from the Parquet
 * (a minute and a half on a million instructions).
 */
final class ParquetProjection {

    /** DuckDB's memory while it writes the projection: the JVM's heap is the process's larger part. */
    private static final String MEMORY_LIMIT = "500MB";
    private static final Pattern FIELD = Pattern.compile("(?:^STRUCT\\(|, )\"?(score|label|model)\"? ([A-Z]+)");

    private ParquetProjection() {
    }

    /**
     * Whether the full ingest would read this Parquet file in the multi-response layout with
     * the default options: it has rows and, as its first row rendered to JSON then has, a
     * {@code responses} field. Asked of the file's metadata and schema only, where opening
     * the full ingest's reader would start rendering every row.
     */
    static boolean isMultiLayout(Path parquet) throws IOException {
        String file = parquet.toAbsolutePath().toString().replace("'", "''");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata('"
                    + file + "')")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return false;
                }
            }
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
                while (rs.next()) {
                    if (rs.getString(1).equals("responses")) {
                        return true;
                    }
                }
            }
            return false;
        } catch (SQLException e) {
            return false; // the full ingest says what is wrong with the file
        }
    }

    /**
     * Writes the projection of {@code parquet} to {@code out} (deleted again if this fails):
     * of the rows, the id, prompt, input and reference; of each response its text, score,
     * label and model, the fields the multi-response layout reads.
     *
     * @throws NotScannable when the columns are not those of the multi-response layout
     */
    static Path project(Path parquet, Path out) throws IOException, NotScannable {
        String file = parquet.toAbsolutePath().toString().replace("'", "''");
        boolean done = false;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            Map<String, String> columns = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
            String responses = columns.get("responses");
            if (!"VARCHAR".equals(columns.get("prompt")) || responses == null || !responses.startsWith("STRUCT(")
                    || !responses.endsWith(")[]") || !responses.matches("^STRUCT\\(\"?text\"? VARCHAR.*")
                    && !responses.contains(", \"text\" VARCHAR") && !responses.contains(", text VARCHAR")) {
                throw new NotScannable(parquet + ": columns other than prompt VARCHAR and responses"
                        + " STRUCT(text VARCHAR, ...)[]");
            }
            String reference = columns.get("reference");
            if (reference != null && !reference.equals("VARCHAR")) {
                throw new NotScannable(parquet + ": a reference column that is not text");
            }
            String input = columns.get("input");
            if (input != null && !input.equals("VARCHAR")) {
                throw new NotScannable(parquet + ": an input column that is not text");
            }
            StringBuilder response = new StringBuilder("{'text': r.text");
            var m = FIELD.matcher(responses.substring(0, responses.length() - 2));
            while (m.find()) {
                String field = m.group(1);
                response.append(", '").append(field).append("': r.").append(field);
            }
            response.append('}');
            StringBuilder select = new StringBuilder("SELECT ");
            if (columns.containsKey("id")) {
                select.append("id, ");
            }
            select.append("prompt, ");
            if (input != null) {
                select.append("input, ");
            }
            if (reference != null) {
                select.append("reference, ");
            }
            select.append("CASE WHEN responses IS NULL THEN NULL ELSE list_transform(responses, lambda r: ")
                    .append(response).append(") END AS responses FROM read_parquet('").append(file).append("')");
            // In row order, on one thread: on more, DuckDB holds rows back to write them in order (2.3 GB
            // resident for 1M x 4 on two threads) and takes longer; one writes them as it reads them.
            st.execute("SET preserve_insertion_order = true");
            st.execute("SET threads = 1");
            st.execute("SET memory_limit = '" + MEMORY_LIMIT + "'");
            st.execute("COPY (" + select + ") TO '" + out.toAbsolutePath().toString().replace("'", "''")
                    + "' (FORMAT json)");
            done = true;
            return out;
        } catch (SQLException e) {
            throw new NotScannable(parquet + ": " + e.getMessage());
        } finally {
            if (!done) {
                Files.deleteIfExists(out);
            }
        }
    }
}
