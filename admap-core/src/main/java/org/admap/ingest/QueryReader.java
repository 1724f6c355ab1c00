package org.admap.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.admap.model.Item;
import org.admap.model.SourceLocation;

/**
 * Reads the rows of a DuckDB query as the one-row-per-response layout, so that data split
 * over several tables (questions, answers and reviews joined by ids, as evaluation dumps
 * come) or of any other shape is read without a converter: DuckDB reads JSON lines, JSON,
 * CSV and Parquet, gzip included, and the query joins and reshapes them.
 * <pre>{@code
 * String sql = "SELECT q.text AS prompt, a.text AS response, a.model_id AS model, q.question_id AS id"
 *         + " FROM read_json('question.jsonl.gz') q JOIN read_json('answer/*.jsonl.gz') a USING (question_id)";
 * try (DatasetReader reader = QueryReader.open(sql, IngestOptions.defaults())) {
 *     for (Item item; (item = reader.next()) != null; ) {
 *         System.out.println(item.id() + ": " + item.responses().get(0).model());
 *     }
 * }
 * }</pre>
 *
 * <p>The query returns the columns {@code prompt} and {@code response}, and optionally
 * {@code id} (rows are then grouped by it, else by prompt), {@code score} (a number, or a
 * list: samples of one score), {@code label}, {@code model}, {@code input} and
 * {@code reference}; names are matched without regard to case, and any other column is an
 * error (a misnamed {@code scores} would otherwise read as "no score"). The options'
 * score transform and bad-row handling apply; their field names do not (the columns are
 * the fields). Errors name the query's row and column: {@code query row 7: column 'score':
 * expected a number, got "n/a"}.
 */
public final class QueryReader implements DatasetReader {

    /** The name errors and the run's inputs give the query's rows. */
    public static final String NAME = "query";

    /** The columns the query may return, in the order the long layout reads them. */
    public static final List<String> COLUMNS = List.of("prompt", "response", "id", "score", "label", "model",
            "input", "reference");

    private final Connection connection;
    private final Statement statement;
    private final ResultSet rows;
    private final RowLayout layout;
    private final boolean skipBadRows;
    private final BadRows badRows = new BadRows();
    private final Map<String, String> columns;
    private long row;

    private QueryReader(Connection connection, Statement statement, ResultSet rows, RowLayout layout,
                        boolean skipBadRows, Map<String, String> columns) {
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
        this.layout = layout;
        this.skipBadRows = skipBadRows;
        this.columns = columns;
    }

    /**
     * Runs the query (in an in-memory DuckDB database; paths in it are relative to the working
     * directory) and checks its columns.
     *
     * @throws IngestException when DuckDB cannot run it, or its columns are not the layout's
     */
    public static QueryReader open(String sql, IngestOptions options) throws IOException {
        String body = strip(sql);
        if (body.isEmpty()) {
            throw IngestException.forFile(NAME, "is empty: give a SELECT that returns the columns prompt and"
                    + " response (and optionally id, score, label, model)");
        }
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:duckdb:");
            Map<String, String> columns = columns(c, body);
            String alias = alias(columns);
            Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT to_json(" + alias + ")::VARCHAR FROM (\n" + body + "\n) "
                    + alias);
            IngestOptions o = new IngestOptions(Layout.LONG, null, columns.get("prompt"), columns.get("response"),
                    columns.getOrDefault("score", "score"), columns.getOrDefault("label", "label"),
                    columns.getOrDefault("model", "model"), columns.get("id"), columns.get("input"),
                    columns.get("reference"), options.scoreTransform(), false, options.skipBadRows());
            return new QueryReader(c, st, rs, LayoutDetector.create(Layout.LONG, o), options.skipBadRows(),
                    columns);
        } catch (SQLException e) {
            closeQuietly(c);
            throw IngestException.forFile(NAME, "DuckDB cannot run it: " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * The query without trailing semicolons and whole-line comments after them, so that it
     * can be wrapped in a SELECT.
     */
    private static String strip(String sql) {
        String s = sql == null ? "" : sql.strip();
        while (true) {
            if (s.endsWith(";")) {
                s = s.substring(0, s.length() - 1).strip();
                continue;
            }
            int nl = s.lastIndexOf('\n');
            if (s.substring(nl + 1).strip().startsWith("--")) {
                s = nl < 0 ? "" : s.substring(0, nl).strip();
                continue;
            }
            return s;
        }
    }

    /** The query's columns, ours by lower-case name to theirs; fails on a missing or unknown one. */
    private static Map<String, String> columns(Connection c, String body) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM (\n" + body + "\n) LIMIT 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                names.add(meta.getColumnName(i));
            }
        }
        for (String required : List.of("prompt", "response")) {
            if (names.stream().noneMatch(n -> n.equalsIgnoreCase(required))) {
                throw IngestException.forFile(NAME, "returns no column '" + required + "' (its columns: "
                        + String.join(", ", names) + "); name the column that holds the " + required + " with ... AS "
                        + required);
            }
        }
        Map<String, String> columns = new LinkedHashMap<>();
        for (String name : names) {
            String ours = name.toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(ours)) {
                String closest = FieldGuard.closest(ours, COLUMNS);
                throw IngestException.forFile(NAME, "returns a column '" + name + "' that admap does not read;"
                        + " the columns are " + String.join(", ", COLUMNS) + " (prompt and response required)"
                        + (closest != null ? ": did you mean '" + closest + "'? (... AS " + closest + ")"
                        : ": leave it out, or rename it with AS"));
            }
            if (columns.put(ours, name) != null) {
                throw IngestException.forFile(NAME, "returns the column '" + ours + "' twice");
            }
        }
        return columns;
    }

    /**
     * A name for the whole row that no column has: DuckDB resolves a column before a table
     * alias of the same name, so {@code to_json(alias)} would render that column instead.
     */
    private static String alias(Map<String, String> columns) {
        String alias = "admap_row";
        while (columns.containsKey(alias)) {
            alias += "_";
        }
        return alias;
    }

    /** The columns the query returned, by the long layout's name (lower case) to the query's own. */
    public Map<String, String> columns() {
        return java.util.Collections.unmodifiableMap(columns);
    }

    @Override
    public Item next() throws IOException {
        while (true) {
            String json;
            try {
                if (!rows.next()) {
                    return null;
                }
                json = rows.getString(1);
            } catch (SQLException e) {
                throw IngestException.forFile(NAME, "DuckDB failed at row " + (row + 1) + ": "
                        + firstLine(e.getMessage()));
            }
            row++;
            SourceLocation at = SourceLocation.row(NAME, row);
            try {
                SourceRecord record = new SourceRecord(JsonSupport.MAPPER.readTree(json), at);
                Item item = layout.read(record);
                // a query's relative image paths resolve against the working folder
                java.util.List<org.admap.model.ImageRef> refs = new PromptImages(null).of(record);
                return refs.isEmpty() ? item : item.withImages(refs);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("DuckDB rendered row " + row + " as invalid JSON", e);
            } catch (IngestException e) {
                // the query's rows have columns, not fields
                IngestException named = e.field() == null ? e
                        : new IngestException(at, null, "column '" + e.field() + "': " + e.problem());
                if (!skipBadRows || !named.isRowProblem()) {
                    throw named;
                }
                badRows.add(named);
            }
        }
    }

    @Override
    public Layout layout() {
        return Layout.LONG;
    }

    @Override
    public String layoutDescription() {
        return "long (DuckDB query: " + String.join(", ", columns.keySet()) + ")";
    }

    /** Null: a query is no file. */
    @Override
    public FileFormat.Detected format() {
        return null;
    }

    @Override
    public boolean groupsRows() {
        return true;
    }

    @Override
    public long rowsRead() {
        return row;
    }

    @Override
    public BadRows badRows() {
        return badRows;
    }

    /** Unknown for a query: 0. */
    @Override
    public long bytesRead() {
        return 0;
    }

    /** Unknown for a query: 0. */
    @Override
    public long totalBytes() {
        return 0;
    }

    @Override
    public void close() throws IOException {
        try {
            try {
                statement.close();
            } finally {
                connection.close();
            }
        } catch (SQLException e) {
            throw new IOException(e);
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

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
