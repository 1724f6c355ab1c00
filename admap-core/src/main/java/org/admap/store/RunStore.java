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
import org.admap.model.Response;
import org.admap.model.SourceLocation;
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

    /** The table of the samples of list-valued input scores, made where a store lacks it. */
    static final String INPUT_SAMPLES_TABLE = "CREATE TABLE IF NOT EXISTS input_samples (item_key INTEGER NOT NULL,"
            + " position INTEGER NOT NULL, sample INTEGER NOT NULL, value DOUBLE NOT NULL)";

    private final Path file;
    private final DuckDBConnection connection;
    private boolean inTransaction;

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
            // A missing run_info is a foreign database; a run_info that cannot be read is a damaged store.
            boolean damaged = damaged(e) || !Boolean.FALSE.equals(store.hasTable("run_info"));
            store.close();
            if (damaged) {
                throw damagedStore(file, e);
            }
            throw new StoreException(file + " is a DuckDB database but not an admap run store (it has no run_info"
                    + " table)", e);
        }
        if (!SCHEMA_VERSION.equals(version)) {
            store.close();
            throw new StoreException(file + " has run-store schema version " + version + ", this admap reads "
                    + SCHEMA_VERSION);
        }
        try {
            store.migrate();
        } catch (SQLException e) {
            store.close();
            throw new StoreException("cannot bring the run store " + file + " up to date: " + e.getMessage(), e);
        }
        return store;
    }

    /**
     * Adds the columns that later versions of admap added to a store made by an earlier one
     * (the scores' {@code sample}, {@code spread} and {@code method}, the items' {@code turns});
     * a no-op on a current store. Old rows read as sample 0, no spread, method NULL (= plain),
     * and items without turns (plain prompts, as they were ingested then).
     */
    private void migrate() throws SQLException {
        if (count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items'"
                + " AND column_name = 'turns'") == 0) {
            try (Statement st = connection.createStatement()) {
                st.execute(TurnsColumn.ADD);
            }
        }
        if (count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items'"
                + " AND column_name = 'images'") == 0) {
            try (Statement st = connection.createStatement()) {
                st.execute(ImagesColumn.ADD);
            }
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM information_schema.columns"
                + " WHERE table_name = 'scores' AND column_name IN ('sample', 'spread', 'method')");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getInt(1) == 3) {
                return;
            }
        }
        try (Statement st = connection.createStatement()) {
            // DuckDB cannot add a NOT NULL column with IF NOT EXISTS: add it, then constrain it.
            st.execute("ALTER TABLE scores ADD COLUMN IF NOT EXISTS sample INTEGER DEFAULT 0");
            st.execute("UPDATE scores SET sample = 0 WHERE sample IS NULL");
            st.execute("ALTER TABLE scores ALTER COLUMN sample SET NOT NULL");
            st.execute("ALTER TABLE scores ADD COLUMN IF NOT EXISTS spread DOUBLE");
            st.execute("ALTER TABLE scores ADD COLUMN IF NOT EXISTS method VARCHAR");
        }
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
            if (damaged(e)) {
                throw damagedStore(file, e);
            }
            throw new StoreException("cannot open the run store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether the store's catalog lists the table; null when the catalog cannot be read. */
    private Boolean hasTable(String name) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            return null;
        }
    }

    /** Whether DuckDB failed because the file ends before its blocks do (a truncated copy or disk). */
    private static boolean damaged(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Could not read enough bytes")) {
                return true;
            }
        }
        return false;
    }

    private static StoreException damagedStore(Path file, Throwable e) {
        return new StoreException(file + " is damaged (truncated?): it ends before the data it indexes; restore"
                + " it from a copy, or build the run again with 'admap map INPUT --out DIR --force'", e);
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

    /** The current map. */
    public MapPoints map() {
        return new MapPoints(this);
    }

    /** The scorers' sources and their progress. */
    public Scoring scoring() {
        return new Scoring(this);
    }

    /** The diagnosis's flags. */
    public Flags flags() {
        return new Flags(this);
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
                return new double[] {ScoreSql.nullable(rs, 1), ScoreSql.nullable(rs, 2)};
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
     *
     * <p>A response judged several times ({@code --samples K}) has the mean of its successful
     * samples as its score and sd(samples, ddof=1)/sqrt(k) as its standard error; one judged
     * once has the spread of its judge's score distribution as its standard error when that
     * was computed ({@code --logprobs}), else NaN. Scores with one sample and no spread are
     * exactly the stored values. The {@value #INPUT} source's scores given as lists have the
     * mean of their samples as the score (stored so at ingest) and sd(samples, ddof=1)/sqrt(k)
     * as the standard error ({@code input_samples}).
     */
    public void forEachItemScores(String source, Consumer<ItemScores> consumer) {
        boolean inputSamples = source.equals(INPUT) && hasInputSamples();
        String scoreColumn = scoreExpression(source);
        String sql = "SELECT r.item_key, i.id, r.position, " + scoreColumn + ", r.label, "
                + (inputSamples ? "q.se" : standardErrorExpression(source))
                + " FROM responses r JOIN items i USING (item_key)" + scoreJoin(source)
                + (inputSamples ? " LEFT JOIN " + inputSampleErrors() + " q USING (item_key, position)" : "")
                + " ORDER BY r.item_key, r.position";
        streamGrouped(sql, source, new ScoresAssembler(), consumer);
    }

    /**
     * Streams every item's scores as {@link #forEachItemScores} does, but with each score
     * the {@code sample}-th (0-based) of its response's repeated judgments alone: the map of
     * one judgment, as if no other had been made. The standard error of each score is then
     * one judgment's, the standard deviation of the response's samples (ddof=1), NaN with
     * fewer than two. Responses without that sample have no score. For {@value #INPUT}, the
     * samples of list-valued scores; for a scorer's source, its {@code --samples}.
     */
    public void forEachItemScoresOfSample(String source, int sample, Consumer<ItemScores> consumer) {
        if (sample < 0) {
            throw new IllegalArgumentException("the sample index is 0-based, got " + sample);
        }
        if (source.equals(LABELS)) {
            throw new IllegalArgumentException("labels have no samples");
        }
        String samples;
        if (source.equals(INPUT)) {
            if (!hasInputSamples()) {
                throw new IllegalArgumentException("the data's scores are single numbers, not lists of samples:"
                        + " there is no sample " + sample + " to map");
            }
            samples = "(SELECT item_key, position, sample, value FROM input_samples)";
        } else {
            samples = "(SELECT item_key, position, sample, value FROM scores WHERE source = ? AND status = 'ok'"
                    + " AND value IS NOT NULL)";
        }
        String sql = "WITH t AS " + samples + " SELECT r.item_key, i.id, r.position, one.value, r.label, e.se"
                + " FROM responses r JOIN items i USING (item_key)"
                + " LEFT JOIN (SELECT item_key, position, value FROM t WHERE sample = " + sample + ") one"
                + " USING (item_key, position)"
                + " LEFT JOIN (SELECT item_key, position, stddev_samp(value) AS se FROM t GROUP BY item_key, position)"
                + " e USING (item_key, position)"
                + " ORDER BY r.item_key, r.position";
        streamGrouped(sql, source, new ScoresAssembler(), consumer);
    }

    /**
     * Streams every item's scores from a scorer's source as {@link #forEachItemScores} does,
     * counting only each response's first {@code samples} judgments (sample indexes below it):
     * the scores as they stood before any later sample was added. {@code score --adaptive}
     * decides each round from these, so that a rerun makes the same decisions whatever the
     * later rounds stored.
     */
    public void forEachItemScoresOfFirstSamples(String source, int samples, Consumer<ItemScores> consumer) {
        if (source.equals(INPUT) || source.equals(LABELS)) {
            throw new IllegalArgumentException("'" + source + "' is not a scorer's source");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("at least one sample is needed, got " + samples);
        }
        String sql = "SELECT r.item_key, i.id, r.position, s.value, r.label, s.se"
                + " FROM responses r JOIN items i USING (item_key) LEFT JOIN (SELECT item_key, position,"
                + " CASE WHEN count(value) = 1 THEN any_value(value) ELSE avg(value) END AS value,"
                + " CASE WHEN count(value) >= 2 THEN stddev_samp(value) / sqrt(count(value)) ELSE avg(spread) END"
                + " AS se FROM scores WHERE source = ? AND status = 'ok' AND value IS NOT NULL AND sample < "
                + samples + " GROUP BY item_key, position) s ON s.item_key = r.item_key AND s.position = r.position"
                + " ORDER BY r.item_key, r.position";
        streamGrouped(sql, source, new ScoresAssembler(), consumer);
    }

    /**
     * {@link #samplesPerScore} counting only each response's first {@code samples} judgments
     * (see {@link #forEachItemScoresOfFirstSamples}).
     */
    public int samplesPerScoreOfFirstSamples(String source, int samples) {
        String sql = "SELECT k FROM (SELECT count(*) AS k FROM scores WHERE source = ? AND status = 'ok'"
                + " AND value IS NOT NULL AND sample < " + samples + " GROUP BY item_key, position)"
                + " GROUP BY k ORDER BY count(*) DESC, k DESC LIMIT 1";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 1;
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "count the samples of '" + source + "'", e);
        }
    }

    /** Receives one response's number of judgments; see {@link #forEachSampleCount}. */
    @FunctionalInterface
    public interface SampleCountConsumer {
        /**
         * @param itemKey the item's key
         * @param index   the response's index in the item's score arrays (responses in position order)
         * @param samples the number of judgments its score is the mean of (0: none)
         */
        void accept(int itemKey, int index, int samples);
    }

    /**
     * Every response's number of judgments behind its score from {@code source}, counting only
     * sample indexes below {@code below} (as {@link #forEachItemScoresOfFirstSamples}; any
     * number above the largest index counts all), in the order of {@link #forEachItemScores}:
     * items in key order, responses in position order. For {@value #INPUT}, the length of each
     * list-valued score (0 for a single number); for {@value #LABELS}, 0. The stability estimate
     * takes each response's own count from it once {@code score --adaptive} has judged some
     * responses more often than others.
     */
    public void forEachSampleCount(String source, int below, SampleCountConsumer consumer) {
        String counts;
        if (source.equals(LABELS) || (source.equals(INPUT) && !hasInputSamples())) {
            counts = "(SELECT NULL::INTEGER AS item_key, NULL::INTEGER AS position, 0 AS k WHERE false)";
        } else if (source.equals(INPUT)) {
            counts = "(SELECT item_key, position, count(*) AS k FROM input_samples WHERE sample < " + below
                    + " GROUP BY item_key, position)";
        } else {
            counts = "(SELECT item_key, position, count(*) AS k FROM scores WHERE source = ? AND status = 'ok'"
                    + " AND value IS NOT NULL AND sample < " + below + " GROUP BY item_key, position)";
        }
        String sql = "SELECT r.item_key, coalesce(c.k, 0) FROM responses r LEFT JOIN " + counts
                + " c ON c.item_key = r.item_key AND c.position = r.position ORDER BY r.item_key, r.position";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            if (!source.equals(INPUT) && !source.equals(LABELS)) {
                ps.setString(1, source);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int key = Integer.MIN_VALUE;
                int index = 0;
                while (rs.next()) {
                    int k = rs.getInt(1);
                    index = k == key ? index + 1 : 0;
                    key = k;
                    consumer.accept(k, index, rs.getInt(2));
                }
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "count the samples of each response of '" + source + "'", e);
        }
    }

    /**
     * How many responses have how many successful judgments from a scorer's source (number of
     * samples to number of responses, ascending), as {@code score --adaptive} reports it.
     */
    public java.util.SortedMap<Integer, Long> sampleCounts(String source) {
        String sql = "SELECT k, count(*) FROM (SELECT count(*) AS k FROM scores WHERE source = ? AND status = 'ok'"
                + " AND value IS NOT NULL GROUP BY item_key, position) GROUP BY k ORDER BY k";
        java.util.SortedMap<Integer, Long> counts = new java.util.TreeMap<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getInt(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "count the samples of '" + source + "'", e);
        }
        return counts;
    }

    /** Assembles {@code (item_key, id, position, score, label, se)} rows into {@link ItemScores}. */
    private static final class ScoresAssembler extends ItemAssembler<ItemScores> {
        private final List<double[]> rows = new ArrayList<>();
        private String id;
        private boolean uncertain;

        @Override
        void row(ResultSet rs) throws SQLException {
            id = rs.getString(2);
            double[] row = {ScoreSql.nullable(rs, 4), ScoreSql.nullable(rs, 5), ScoreSql.nullable(rs, 6)};
            uncertain |= !Double.isNaN(row[2]);
            rows.add(row);
        }

        @Override
        ItemScores finish(int key) {
            double[] scores = new double[rows.size()];
            double[] labels = new double[rows.size()];
            double[] errors = uncertain ? new double[rows.size()] : null;
            for (int i = 0; i < rows.size(); i++) {
                scores[i] = rows.get(i)[0];
                labels[i] = rows.get(i)[1];
                if (errors != null) {
                    errors[i] = rows.get(i)[2];
                }
            }
            rows.clear();
            uncertain = false;
            return errors == null ? new ItemScores(key, id, scores, labels)
                    : new ItemScores(key, id, scores, labels, errors);
        }
    }

    /**
     * The standard errors of the input's list-valued scores, {@code (item_key, position, se)}:
     * sd(samples, ddof=1) / sqrt(k) with k >= 2 samples, else NULL.
     */
    static String inputSampleErrors() {
        return "(SELECT item_key, position, CASE WHEN count(value) >= 2 THEN stddev_samp(value) / sqrt(count(value))"
                + " END AS se FROM input_samples GROUP BY item_key, position)";
    }

    /**
     * Whether the source's scores carry a known uncertainty: list-valued input scores, or a
     * scorer's repeated judgments of a response.
     */
    public boolean hasUncertainty(String source) {
        if (source.equals(LABELS)) {
            return false;
        }
        if (source.equals(INPUT)) {
            return hasInputSamples();
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT (SELECT count(*) FROM (SELECT 1 FROM scores"
                + " WHERE source = ? AND status = 'ok' AND value IS NOT NULL GROUP BY item_key, position"
                + " HAVING count(*) > 1 LIMIT 1)) + (SELECT count(*) FROM (SELECT 1 FROM scores WHERE source = ?"
                + " AND status = 'ok' AND spread IS NOT NULL LIMIT 1))")) {
            ps.setString(1, source);
            ps.setString(2, source);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "read the samples of '" + source + "'", e);
        }
    }

    /** The pattern whose matches count a text's tokens in the bias audit: words, numbers, punctuation marks. */
    public static final String TOKEN_PATTERN = "[\\p{L}\\p{M}]+|\\p{N}+|[^\\s\\p{L}\\p{M}\\p{N}]";

    /** One scored response's length and score. */
    @FunctionalInterface
    public interface LengthRow {
        void accept(int key, int position, long chars, long tokens, double value);
    }

    /**
     * Every response with a score from the source, with its length in characters and in
     * tokens ({@link #TOKEN_PATTERN}) and its score (a scorer's: the mean of its samples),
     * counted inside the store so that no text is read out.
     */
    public void forEachScoredLength(String source, LengthRow row) {
        String sql = "SELECT r.item_key, r.position, length(r.text),"
                + " len(regexp_extract_all(r.text, '" + TOKEN_PATTERN + "')), " + scoreExpression(source)
                + " FROM responses r" + scoreJoin(source) + " WHERE " + scoreExpression(source) + " IS NOT NULL"
                + " ORDER BY r.item_key, r.position";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            if (!source.equals(INPUT) && !source.equals(LABELS)) {
                ps.setString(1, source);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5));
                }
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "read the lengths of the responses scored by '" + source + "'", e);
        }
    }

    /** One score of a call that rated several responses, with the order they were shown in. */
    @FunctionalInterface
    public interface ShownRow {
        void accept(int key, int position, int sample, String callOrder, double value);
    }

    /**
     * The source's successful scores that record the order their call showed the responses
     * in ({@code call_order}, from {@code --per-call all}); none for the built-in sources.
     */
    public void forEachShownScore(String source, ShownRow row) {
        if (source.equals(INPUT) || source.equals(LABELS)) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT item_key, position, sample, call_order, value"
                + " FROM scores WHERE source = ? AND status = 'ok' AND value IS NOT NULL AND call_order IS NOT NULL"
                + " ORDER BY item_key, sample, position")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getString(4), rs.getDouble(5));
                }
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "read the call orders of '" + source + "'", e);
        }
    }

    /** Whether the data gave any score as a list of samples. */
    public boolean hasInputSamples() {
        return count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'input_samples'") > 0
                && count("SELECT count(*) FROM (SELECT 1 FROM input_samples LIMIT 1)") > 0;
    }

    /**
     * The number of samples a score of the source is typically the mean of: the most common
     * count of samples per scored response (1 for scores judged once, and for the labels).
     */
    public int samplesPerScore(String source) {
        String counts;
        if (source.equals(LABELS) || (source.equals(INPUT) && !hasInputSamples())) {
            return 1;
        } else if (source.equals(INPUT)) {
            counts = "SELECT count(*) AS k FROM input_samples GROUP BY item_key, position";
        } else {
            counts = "SELECT count(*) AS k FROM scores WHERE source = ? AND status = 'ok' AND value IS NOT NULL"
                    + " GROUP BY item_key, position";
        }
        String sql = "SELECT k FROM (" + counts + ") GROUP BY k ORDER BY count(*) DESC, k DESC LIMIT 1";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            if (!source.equals(INPUT)) {
                ps.setString(1, source);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 1;
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "count the samples of '" + source + "'", e);
        }
    }

    /**
     * Streams the items whose keys are set in {@code keys} (all items when null), in key
     * order, with every response's score taken from {@code source}.
     */
    public void forEachItem(String source, BitSet keys, Consumer<KeyedItem> consumer) {
        String sql = "SELECT r.item_key, i.id, i.prompt, i.input, i.reference, inp.path, i.source_line,"
                + " r.text, r.model, " + scoreExpression(source) + ", r.label, i.turns, i.images"
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
            String turns;
            String images;

            @Override
            void row(ResultSet rs) throws SQLException {
                if (responses.isEmpty()) {
                    id = rs.getString(2);
                    prompt = rs.getString(3);
                    input = rs.getString(4);
                    reference = rs.getString(5);
                    location = SourceLocation.line(rs.getString(6), rs.getLong(7));
                    turns = rs.getString(12);
                    images = rs.getString(13);
                }
                responses.add(new Response(rs.getString(8), ScoreSql.nullable(rs, 10), ScoreSql.nullable(rs, 11),
                        rs.getString(9)));
            }

            @Override
            KeyedItem finish(int key) {
                Item item = new Item(id, prompt, input, reference, responses, location, TurnsColumn.decode(turns),
                        ImagesColumn.decode(images));
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

    private String standardErrorExpression(String source) {
        return source.equals(INPUT) || source.equals(LABELS) ? "NULL::DOUBLE" : "s.se";
    }

    private String scoreJoin(String source) {
        return source.equals(INPUT) || source.equals(LABELS) ? ""
                : " LEFT JOIN " + responseScores("", true) + " s ON s.item_key = r.item_key AND s.position = " +
                        "r.position";
    }

    /**
     * One scorer source's successful scores as one row per response, for joining onto
     * {@code responses}: {@code (item_key, position, value, se)} where value is the mean of
     * the response's samples and se its standard error (see {@link #forEachItemScores}); one
     * parameter, the source. With one sample and no spread, value is the stored value itself.
     *
     * @param schema    the schema to read ({@code ""}, or an attached store's {@code "other."})
     * @param withError whether to compute {@code se} (it needs the {@code spread} column, which
     *                  an attached store written before it existed lacks)
     */
    static String responseScores(String schema, boolean withError) {
        return responseScores(schema, withError, "");
    }

    /** Like {@link #responseScores(String, boolean)}, with more aggregate columns ({@code ", expr AS name"}). */
    static String responseScores(String schema, boolean withError, String moreColumns) {
        String se = withError ? ", CASE WHEN count(value) >= 2 THEN stddev_samp(value) / sqrt(count(value))"
                + " ELSE avg(spread) END AS se" : "";
        return "(SELECT item_key, position, CASE WHEN count(value) = 1 THEN any_value(value) ELSE avg(value) END"
                + " AS value" + se + moreColumns + " FROM " + schema + "scores WHERE source = ? AND status = 'ok'"
                + " AND value IS NOT NULL GROUP BY item_key, position)";
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

    // ---- scorer sources and scores: delegates to Scoring ------------------------------------

    /** A scorer source of this run, if it exists; delegates to {@link Scoring#source}. */
    public Optional<ScoreSourceInfo> scoreSource(String name) {
        return scoring().source(name);
    }

    /** Every scorer source of this run, by name; delegates to {@link Scoring#sources}. */
    public List<ScoreSourceInfo> scoreSourceInfos() {
        return scoring().sources();
    }

    /** Records a new scorer source; delegates to {@link Scoring#addSource}. */
    public void addScoreSource(ScoreSourceInfo s) {
        scoring().addSource(s);
    }

    /** Delegates to {@link Scoring#loadState(String, String)}. */
    public ScoreState loadScoreState(String source, String fingerprint) {
        return scoring().loadState(source, fingerprint);
    }

    /** Delegates to {@link Scoring#loadState(String, String, java.util.function.Predicate)}. */
    public ScoreState loadScoreState(String source, String fingerprint, java.util.function.Predicate<String> madeAt) {
        return scoring().loadState(source, fingerprint, madeAt);
    }

    /** Delegates to {@link Scoring#toScore(String, boolean)}. */
    public long responsesToScore(String source, boolean includingFailed) {
        return scoring().toScore(source, includingFailed);
    }

    /** Delegates to {@link Scoring#toScore(String, boolean, int)}. */
    public long responsesToScore(String source, boolean includingFailed, int samples) {
        return scoring().toScore(source, includingFailed, samples);
    }

    /** Delegates to {@link Scoring#forEachPendingOfSample}. */
    public void forEachPendingOfSample(String source, boolean includingFailed, int sample,
                                       java.util.function.ObjLongConsumer<String> byId) {
        scoring().forEachPendingOfSample(source, includingFailed, sample, byId);
    }

    /** Counts and spending of a source (counted by {@link Scoring#totals}). */
    public record ScoreTotals(long ok, long failed, long tokensIn, long tokensOut, double costUsd) {
    }

    /** Delegates to {@link Scoring#totals}. */
    public ScoreTotals scoreTotals(String source) {
        return scoring().totals(source);
    }

    /** Delegates to {@link Scoring#errors}. */
    public Map<String, Long> scoreErrors(String source, int limit) {
        return scoring().errors(source, limit);
    }

    /** A writer for scores on its own connection, for a writer thread; delegates to {@link Scoring#openWriter}. */
    public ScoreWriter openScoreWriter() {
        return scoring().openWriter();
    }

    // ---- the map ----------------------------------------------------------------------

    /** Replaces the stored map with these points; delegates to {@link MapPoints#replace}. */
    public void replaceMap(Iterable<MapPoint> points) {
        map().replace(points);
    }

    /** The stored map's points in key order; delegates to {@link MapPoints#points}. */
    public List<MapPoint> mapPoints() {
        return map().points();
    }

    /** Streams (key, id, full prompt) of every item in key order, for writing tables. */
    public void forEachPrompt(PromptConsumer consumer) {
        query("SELECT item_key, id, prompt, input FROM items ORDER BY item_key",
                rs -> consumer.accept(rs.getInt(1), rs.getString(2), Item.fullPrompt(rs.getString(3),
                        rs.getString(4))));
    }

    /** Receives one item's key, id and full prompt. */
    @FunctionalInterface
    public interface PromptConsumer {
        void accept(int key, String id, String prompt);
    }

    // ---- flags ------------------------------------------------------------------------

    /** One stored flag (written by {@link Flags}; declared here, where its callers name it). */
    public record FlagRow(int key, String reason, double value, double threshold, String detail) {
    }

    /** Replaces the stored flags; delegates to {@link Flags#replace}. */
    public void replaceFlags(Iterable<FlagRow> flags) {
        flags().replace(flags);
    }

    // ---- plumbing ---------------------------------------------------------------------

    interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    void query(String sql, RowHandler handler) {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                handler.row(rs);
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "query", e);
        }
    }

    long count(String sql) {
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

    /** Work done in one transaction of the store. */
    @FunctionalInterface
    public interface Work {
        void run() throws java.io.IOException;
    }

    /**
     * Runs {@code work} in one transaction: the map, the flags and run information it writes
     * are stored together when it returns, or not at all when it throws (or the process
     * dies first). Transactions do not nest.
     */
    public void inTransaction(Work work) throws java.io.IOException {
        if (inTransaction) {
            throw new IllegalStateException("transactions of the run store do not nest");
        }
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw StoreException.cannot(file, "begin a transaction", e);
        }
        inTransaction = true;
        boolean done = false;
        try {
            work.run();
            connection.commit();
            done = true;
        } catch (SQLException e) {
            throw StoreException.cannot(file, "commit", e);
        } finally {
            inTransaction = false;
            if (!done) {
                rollback();
            }
            autoCommit();
        }
    }

    /** A write of a feature's tables, in SQL. */
    @FunctionalInterface
    interface SqlWork {
        void run() throws SQLException;
    }

    /**
     * Runs a feature's write that replaces its table(s) whole: in a transaction of its own,
     * or inside the one {@link #inTransaction} has open; {@code what} names it in the error.
     */
    void atomically(String what, SqlWork work) {
        boolean own = !inTransaction;
        try {
            begin(own);
            work.run();
            end(own);
        } catch (SQLException e) {
            if (own) {
                rollback();
            }
            throw StoreException.cannot(file, what, e);
        } finally {
            if (own) {
                autoCommit();
            }
        }
    }

    private void begin(boolean own) throws SQLException {
        if (own) {
            connection.setAutoCommit(false);
        }
    }

    private void end(boolean own) throws SQLException {
        if (own) {
            connection.commit();
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

    /**
     * Another connection to the same open store, for another thread: DuckDB lets the
     * connections of one process read (and write) the database at the same time, where one
     * connection would make concurrent readers (the viewer's requests) take turns. The
     * database stays open until this store and every duplicate are closed.
     */
    public RunStore duplicate() {
        try {
            return new RunStore(file, (DuckDBConnection) connection.duplicate());
        } catch (SQLException e) {
            throw new StoreException("cannot open another connection to the run store " + file + ": "
                    + e.getMessage(), e);
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
