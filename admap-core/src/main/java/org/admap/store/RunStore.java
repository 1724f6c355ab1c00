package org.admap.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.admap.model.Item;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.admap.model.Response;
import org.admap.model.SourceLocation;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The run store: one embedded DuckDB file per run ({@code DIR/run.duckdb}) holding the
 * ingested items and responses, the scores of every source with their provenance, the
 * current map and the flags. Every command after ingest reads from here, never from the
 * input files again.
 *
 * <p>Score sources: {@value #INPUT} is the scores that came with the data,
 * {@value #LABELS} the data's labels used as scores; scorers add their own sources to the
 * {@code scores} table.
 *
 * <p>Not thread-safe: one store, one thread (DuckDB's own parallelism runs inside queries).
 */
public final class RunStore implements AutoCloseable {

    /** The store's file name inside a run directory. */
    public static final String FILE_NAME = "run.duckdb";
    /** The score source of the scores that came with the input data. */
    public static final String INPUT = "input";
    /** The score source that uses the data's labels as scores. */
    public static final String LABELS = "labels";

    static final String SCHEMA_VERSION = "1";

    private final Path file;
    private final DuckDBConnection connection;

    private RunStore(Path file, DuckDBConnection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Creates a new, empty store; fails if the file exists. */
    public static RunStore create(Path file) {
        if (Files.exists(file)) {
            throw new StoreException(file + " already exists");
        }
        RunStore store = connect(file);
        try (Statement st = store.connection.createStatement()) {
            for (String sql : schema()) {
                st.execute(sql);
            }
            store.putInfo("schema_version", SCHEMA_VERSION);
            return store;
        } catch (SQLException e) {
            store.close();
            throw new StoreException("cannot create the run store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Opens an existing store. */
    public static RunStore open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new StoreException("no run store at " + file + " (create one with 'admap map INPUT --out DIR')");
        }
        RunStore store = connect(file);
        String version;
        try {
            version = store.info("schema_version").orElse(null);
        } catch (StoreException e) {
            store.close();
            throw new StoreException(file + " is a DuckDB database but not an admap run store (it has no run_info"
                    + " table)", e);
        }
        if (!SCHEMA_VERSION.equals(version)) {
            store.close();
            throw new StoreException(file + " has run-store schema version " + version + ", this admap reads "
                    + SCHEMA_VERSION);
        }
        return store;
    }

    private static RunStore connect(Path file) {
        try {
            // Streamed results: reading a million items must not materialise their texts at once.
            java.util.Properties props = new java.util.Properties();
            props.setProperty("jdbc_stream_results", "true");
            Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), props);
            return new RunStore(file, c.unwrap(DuckDBConnection.class));
        } catch (SQLException e) {
            StoreBusyException busy = StoreBusyException.of(file, e);
            if (busy != null) {
                throw busy;
            }
            throw new StoreException("cannot open the run store " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> schema() {
        try (InputStream in = RunStore.class.getResourceAsStream("schema.sql")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> statements = new ArrayList<>();
            for (String part : text.split(";\\s*\\n")) {
                String sql = part.lines().filter(l -> !l.strip().startsWith("--"))
                        .reduce("", (a, b) -> a + b + "\n").strip();
                if (!sql.isEmpty()) {
                    statements.add(sql);
                }
            }
            return statements;
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("schema.sql is missing from the admap jar", e);
        }
    }

    /** The store's file. */
    public Path file() {
        return file;
    }

    /**
     * The connection, for the store's other table classes (scores, references, embeddings,
     * batches). Confined to the thread that uses the store.
     */
    DuckDBConnection connection() {
        return connection;
    }

    // ---- run information -------------------------------------------------------------

    /** Sets a provenance entry of the run. */
    public void putInfo(String key, String value) {
        update("INSERT OR REPLACE INTO run_info VALUES (?, ?)", key, value);
    }

    /** A provenance entry of the run. */
    public Optional<String> info(String key) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT value FROM run_info WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "read run info", e);
        }
    }

    /** All provenance entries, by key. */
    public Map<String, String> allInfo() {
        Map<String, String> all = new LinkedHashMap<>();
        query("SELECT key, value FROM run_info ORDER BY key", rs -> all.put(rs.getString(1), rs.getString(2)));
        return all;
    }

    // ---- ingest -----------------------------------------------------------------------

    /** Opens a writer that appends items after those already stored. */
    public ItemWriter openItemWriter() {
        try {
            return new ItemWriter(connection, (int) itemCount());
        } catch (SQLException e) {
            throw StoreException.cannot(file, "write items", e);
        }
    }

    /** Records an input file of the run. */
    public void addInput(InputFileRecord r) {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setInt(1, r.inputId());
            ps.setString(2, r.path());
            ps.setString(3, r.format());
            ps.setBoolean(4, r.gzip());
            ps.setString(5, r.layout());
            ps.setLong(6, r.bytes());
            ps.setTimestamp(7, r.modified() == null ? null : Timestamp.from(r.modified()));
            ps.setLong(8, r.rowsRead());
            ps.setLong(9, r.badRows());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.cannot(file, "record input " + r.path(), e);
        }
    }

    /** The run's input files. */
    public List<InputFileRecord> inputs() {
        List<InputFileRecord> list = new ArrayList<>();
        query("SELECT input_id, path, format, gzip, layout, bytes, modified, rows_read, bad_rows FROM inputs"
                + " ORDER BY input_id", rs -> {
                    Timestamp modified = rs.getTimestamp(7);
                    list.add(new InputFileRecord(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                            rs.getString(5), rs.getLong(6), modified == null ? null : modified.toInstant(),
                            rs.getLong(8), rs.getLong(9)));
                });
        return list;
    }

    // ---- counts and sources -----------------------------------------------------------

    public long itemCount() {
        return count("SELECT count(*) FROM items");
    }

    public long responseCount() {
        return count("SELECT count(*) FROM responses");
    }

    /** Whether any response has a score from the input data. */
    public boolean hasInputScores() {
        return count("SELECT count(*) FROM (SELECT 1 FROM responses WHERE score IS NOT NULL LIMIT 1)") > 0;
    }

    /** Whether any response has a label. */
    public boolean hasLabels() {
        return count("SELECT count(*) FROM (SELECT 1 FROM responses WHERE label IS NOT NULL LIMIT 1)") > 0;
    }

    /** Whether every response's label equals its score (labels were derived from scores). */
    public boolean labelsEqualScores() {
        return count("SELECT count(*) FROM responses WHERE score IS DISTINCT FROM label") == 0;
    }

    /** The score sources with at least one score: built-in ones first, then scorers'. */
    public List<String> scoreSources() {
        List<String> sources = new ArrayList<>();
        if (hasInputScores()) {
            sources.add(INPUT);
        }
        if (hasLabels()) {
            sources.add(LABELS);
        }
        query("SELECT DISTINCT source FROM scores WHERE value IS NOT NULL AND status = 'ok' ORDER BY source",
                rs -> sources.add(rs.getString(1)));
        return sources;
    }

    /** The lowest and highest score from a source over all responses, or NaNs when it has none. */
    public double[] scoreRange(String source) {
        String sql = "SELECT min(" + scoreExpression(source) + "), max(" + scoreExpression(source) + ")"
                + " FROM responses r" + scoreJoin(source);
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            if (!source.equals(INPUT) && !source.equals(LABELS)) {
                ps.setString(1, source);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new double[] {nullable(rs, 1), nullable(rs, 2)};
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "read the score range", e);
        }
    }

    // ---- reading scores and items -----------------------------------------------------

    /**
     * Streams every item's scores from one source, with its labels, in key order. Items
     * with no score at all from the source are still streamed (with NaN scores) so that
     * callers can count them.
     */
    public void forEachItemScores(String source, Consumer<ItemScores> consumer) {
        String scoreColumn = scoreExpression(source);
        String sql = "SELECT r.item_key, i.id, r.position, " + scoreColumn + ", r.label"
                + " FROM responses r JOIN items i USING (item_key)" + scoreJoin(source)
                + " ORDER BY r.item_key, r.position";
        ItemAssembler<ItemScores> assembler = new ItemAssembler<>() {
            final List<double[]> rows = new ArrayList<>();
            String id;

            @Override
            void row(ResultSet rs) throws SQLException {
                id = rs.getString(2);
                rows.add(new double[] {nullable(rs, 4), nullable(rs, 5)});
            }

            @Override
            ItemScores finish(int key) {
                double[] scores = new double[rows.size()];
                double[] labels = new double[rows.size()];
                for (int i = 0; i < rows.size(); i++) {
                    scores[i] = rows.get(i)[0];
                    labels[i] = rows.get(i)[1];
                }
                rows.clear();
                return new ItemScores(key, id, scores, labels);
            }
        };
        streamGrouped(sql, source, assembler, consumer);
    }

    /**
     * Streams the items whose keys are set in {@code keys} (all items when null), in key
     * order, with every response's score taken from {@code source}.
     */
    public void forEachItem(String source, BitSet keys, Consumer<KeyedItem> consumer) {
        String sql = "SELECT r.item_key, i.id, i.prompt, i.input, i.reference, inp.path, i.source_line,"
                + " r.text, r.model, " + scoreExpression(source) + ", r.label"
                + " FROM responses r JOIN items i USING (item_key) JOIN inputs inp USING (input_id)"
                + scoreJoin(source)
                + " ORDER BY r.item_key, r.position";
        ItemAssembler<KeyedItem> assembler = new ItemAssembler<>() {
            final List<Response> responses = new ArrayList<>();
            String id;
            String prompt;
            String input;
            String reference;
            SourceLocation location;

            @Override
            void row(ResultSet rs) throws SQLException {
                if (responses.isEmpty()) {
                    id = rs.getString(2);
                    prompt = rs.getString(3);
                    input = rs.getString(4);
                    reference = rs.getString(5);
                    location = SourceLocation.line(rs.getString(6), rs.getLong(7));
                }
                responses.add(new Response(rs.getString(8), nullable(rs, 10), nullable(rs, 11), rs.getString(9)));
            }

            @Override
            KeyedItem finish(int key) {
                Item item = new Item(id, prompt, input, reference, responses, location);
                responses.clear();
                return new KeyedItem(key, item);
            }
        };
        streamGrouped(sql, source, assembler, keys == null ? consumer : ki -> {
            if (keys.get(ki.key())) {
                consumer.accept(ki);
            }
        });
    }

    private String scoreExpression(String source) {
        return switch (source) {
            case INPUT -> "r.score";
            case LABELS -> "r.label";
            default -> "s.value";
        };
    }

    private String scoreJoin(String source) {
        return source.equals(INPUT) || source.equals(LABELS) ? ""
                : " LEFT JOIN scores s ON s.item_key = r.item_key AND s.position = r.position"
                        + " AND s.source = ? AND s.status = 'ok'";
    }

    /** Collects the rows of one item at a time from a result ordered by item key. */
    private abstract static class ItemAssembler<T> {
        abstract void row(ResultSet rs) throws SQLException;

        abstract T finish(int key);
    }

    private <T> void streamGrouped(String sql, String source, ItemAssembler<T> assembler, Consumer<T> consumer) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            if (!source.equals(INPUT) && !source.equals(LABELS)) {
                ps.setString(1, source);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int current = -1;
                while (rs.next()) {
                    int key = rs.getInt(1);
                    if (key != current && current >= 0) {
                        consumer.accept(assembler.finish(current));
                    }
                    current = key;
                    assembler.row(rs);
                }
                if (current >= 0) {
                    consumer.accept(assembler.finish(current));
                }
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "read items", e);
        }
    }

    private static double nullable(ResultSet rs, int column) throws SQLException {
        double d = rs.getDouble(column);
        return rs.wasNull() ? Response.ABSENT : d;
    }

    // ---- scorer sources and scores -------------------------------------------------------

    /** A scorer source of this run, if it exists. */
    public Optional<ScoreSourceInfo> scoreSource(String name) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT source, kind, fingerprint, endpoint, model,"
                + " prompt_version, parameters, created FROM score_sources WHERE source = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp created = rs.getTimestamp(8);
                return Optional.of(new ScoreSourceInfo(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                        created == null ? null : created.toInstant()));
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "read score source " + name, e);
        }
    }

    /** Every scorer source of this run, by name. */
    public List<ScoreSourceInfo> scoreSourceInfos() {
        List<ScoreSourceInfo> list = new ArrayList<>();
        List<String> names = new ArrayList<>();
        query("SELECT source FROM score_sources ORDER BY source", rs -> names.add(rs.getString(1)));
        for (String n : names) {
            scoreSource(n).ifPresent(list::add);
        }
        return list;
    }

    /** Records a new scorer source; fails if the name is taken. */
    public void addScoreSource(ScoreSourceInfo s) {
        if (s.source().equals(INPUT) || s.source().equals(LABELS)) {
            throw new IllegalArgumentException("'" + s.source() + "' is a built-in score source; choose another name");
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO score_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.source());
            ps.setString(2, s.kind());
            ps.setString(3, s.fingerprint());
            ps.setString(4, s.endpoint());
            ps.setString(5, s.model());
            ps.setString(6, s.promptVersion());
            ps.setString(7, s.parameters());
            ps.setTimestamp(8, Timestamp.from(s.created() == null ? Instant.now() : s.created()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.cannot(file, "record score source " + s.source(), e);
        }
    }

    /** Loads what is already scored under a source and its configuration. */
    public ScoreState loadScoreState(String source, String fingerprint) {
        ScoreState state = new ScoreState();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT item_key, position, status FROM scores WHERE source = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    state.putResponse(rs.getInt(1), rs.getInt(2), "ok".equals(rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "read scores", e);
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT prompt_hash, response_hash, value FROM scores"
                + " WHERE fingerprint = ? AND status = 'ok'")) {
            ps.setString(1, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    state.putContent(rs.getString(1), rs.getString(2), rs.getDouble(3));
                }
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "read scores", e);
        }
        return state;
    }

    /** Responses without a successful score from the source (and, unless counted, without a failed one). */
    public long responsesToScore(String source, boolean includingFailed) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM responses r WHERE NOT EXISTS"
                + " (SELECT 1 FROM scores s WHERE s.item_key = r.item_key AND s.position = r.position"
                + " AND s.source = ? AND (s.status = 'ok' OR NOT ?))")) {
            ps.setString(1, source);
            ps.setBoolean(2, includingFailed);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "count responses to score", e);
        }
    }

    /** Counts and spending of a source. */
    public record ScoreTotals(long ok, long failed, long tokensIn, long tokensOut, double costUsd) {
    }

    public ScoreTotals scoreTotals(String source) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FILTER (status = 'ok'),"
                + " count(*) FILTER (status = 'failed'), coalesce(sum(tokens_in), 0), coalesce(sum(tokens_out), 0),"
                + " coalesce(sum(cost_usd), 0) FROM scores WHERE source = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ScoreTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5));
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "count scores", e);
        }
    }

    /** The most frequent reasons of failed scores of a source, with their counts, most frequent first. */
    public Map<String, Long> scoreErrors(String source, int limit) {
        Map<String, Long> errors = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT error, count(*) AS n FROM scores"
                + " WHERE source = ? AND status = 'failed' GROUP BY error ORDER BY n DESC, error LIMIT ?")) {
            ps.setString(1, source);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    errors.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "read score errors", e);
        }
        return errors;
    }

    /** A writer for scores on its own connection, for a writer thread. */
    public ScoreWriter openScoreWriter() {
        try {
            return new ScoreWriter(connection.duplicate());
        } catch (SQLException e) {
            throw StoreException.cannot(file, "open a score writer", e);
        }
    }

    // ---- the map ----------------------------------------------------------------------

    /** Replaces the stored map with these points. */
    public void replaceMap(Iterable<MapPoint> points) {
        try {
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                st.execute("DELETE FROM map_points");
            }
            try (DuckDBAppender app = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "map_points")) {
                for (MapPoint p : points) {
                    app.beginRow().append(p.key()).append(p.n()).append(p.mean()).append(p.variance())
                            .append(p.std()).append(p.region().cliName());
                    if (Double.isNaN(p.correlation())) {
                        app.appendNull();
                    } else {
                        app.append(p.correlation());
                    }
                    app.endRow();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            rollback();
            throw StoreException.cannot(file, "write the map", e);
        } finally {
            autoCommit();
        }
    }

    /** The stored map's points in key order. */
    public List<MapPoint> mapPoints() {
        List<MapPoint> points = new ArrayList<>();
        query("SELECT m.item_key, i.id, m.n, m.mean, m.variance, m.std, m.region, m.correlation"
                + " FROM map_points m JOIN items i USING (item_key) ORDER BY m.item_key", rs -> {
                    double corr = rs.getDouble(8);
                    if (rs.wasNull()) {
                        corr = Double.NaN;
                    }
                    points.add(new MapPoint(rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getDouble(4),
                            rs.getDouble(5), rs.getDouble(6), Region.parse(rs.getString(7)), corr));
                });
        return points;
    }

    /** Streams (key, id, full prompt) of every item in key order, for writing tables. */
    public void forEachPrompt(PromptConsumer consumer) {
        query("SELECT item_key, id, prompt, input FROM items ORDER BY item_key",
                rs -> consumer.accept(rs.getInt(1), rs.getString(2), Item.fullPrompt(rs.getString(3), rs.getString(4))));
    }

    /** Receives one item's key, id and full prompt. */
    @FunctionalInterface
    public interface PromptConsumer {
        void accept(int key, String id, String prompt);
    }

    // ---- flags ------------------------------------------------------------------------

    /** One stored flag. */
    public record FlagRow(int key, String reason, double value, double threshold, String detail) {
    }

    /** Replaces the stored flags. */
    public void replaceFlags(Iterable<FlagRow> flags) {
        try {
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                st.execute("DELETE FROM flags");
            }
            try (DuckDBAppender app = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "flags")) {
                for (FlagRow f : flags) {
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
            connection.commit();
        } catch (SQLException e) {
            rollback();
            throw StoreException.cannot(file, "write flags", e);
        } finally {
            autoCommit();
        }
    }

    private static void appendDouble(DuckDBAppender app, double v) throws SQLException {
        if (Double.isNaN(v)) {
            app.appendNull();
        } else {
            app.append(v);
        }
    }

    // ---- plumbing ---------------------------------------------------------------------

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private void query(String sql, RowHandler handler) {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                handler.row(rs);
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "query", e);
        }
    }

    private long count(String sql) {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw StoreException.cannot(file, "count", e);
        }
    }

    private void update(String sql, String... args) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.cannot(file, "update", e);
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the original error is the one worth reporting
        }
    }

    private void autoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is unusable anyway
        }
    }

    /** Closes the store; DuckDB checkpoints it into the single file. */
    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the run store " + file + ": " + e.getMessage(), e);
        }
    }
}
