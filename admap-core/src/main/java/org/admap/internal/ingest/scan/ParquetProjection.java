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
 * Gives the scan a Parquet file as JSON lines of only the columns the map needs: DuckDB
 * reads just those columns (and of the responses only score, label and model; each text
 * becomes {@code ""}, or null where it is null so that the scan refuses the row as the
 * full ingest would), renders them to JSON as the full ingest's Parquet reader does, and
 * writes them, in row order, to a temporary file that the scan then reads like any JSON
 * lines. Prompts are read back from that file for {@code map.csv}.
 */
final class ParquetProjection {

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
     * Whether every row group's statistics count no null in the responses' text column
     * (false when a row group has no statistics, or counts nulls, which may also be those of
     * null or empty lists).
     */
    private static boolean textsHaveNoNull(Statement st, String file) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*), count(stats_null_count), coalesce(sum(stats_null_count),"
                + " 0) FROM parquet_metadata('" + file + "') WHERE path_in_schema = 'responses, list, element, " +
                        "text'")) {
            rs.next();
            return rs.getLong(1) > 0 && rs.getLong(2) == rs.getLong(1) && rs.getLong(3) == 0;
        }
    }

    /**
     * Writes the projection of {@code parquet} to a new temporary file (the caller deletes it).
     *
     * @throws NotScannable when the columns are not those of the multi-response layout
     */
    static Path project(Path parquet) throws IOException, NotScannable {
        String file = parquet.toAbsolutePath().toString().replace("'", "''");
        Path out = Files.createTempFile("admap-scan-", ".jsonl");
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
            // Texts are only tested for null (the full ingest refuses a null text); when the file's
            // statistics say the text column holds no null at all, it is not read.
            StringBuilder response = new StringBuilder(textsHaveNoNull(st, file) ? "{'text': ''"
                    : "{'text': CASE WHEN r.text IS NULL THEN NULL ELSE '' END");
            var m = FIELD.matcher(responses.substring(0, responses.length() - 2));
            while (m.find()) {
                String field = m.group(1);
                // a text model is always what the scan accepts: only another type needs a look
                if (!field.equals("model") || !m.group(2).equals("VARCHAR")) {
                    response.append(", '").append(field).append("': r.").append(field);
                }
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
            select.append("CASE WHEN responses IS NULL THEN NULL ELSE list_transform(responses, lambda r: ")
                    .append(response).append(") END AS responses FROM read_parquet('").append(file).append("')");
            st.execute("SET preserve_insertion_order = true");
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
