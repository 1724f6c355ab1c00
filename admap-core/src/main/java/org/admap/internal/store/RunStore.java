package org.admap.internal.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;
import org.duckdb.DuckDBConnection;

/**
 * The run store: one embedded DuckDB file per run ({@code DIR/run.duckdb}) holding the
 * ingested items and responses, the scores of every source with their provenance, the
 * current map and the flags. Every command after ingest reads from here, never from the
 * input files again.
 *
 * <p>This class is the connection, the schema, the run information and the transactions;
 * each feature owns its tables, their DDL and their queries, reached through an accessor:
 * {@link #items()} (inputs, items, responses, input samples), {@link #scores()} and
 * {@link #scoring()} (score sources and scores), {@link #map()}, {@link #flags()},
 * {@link Reviews}, {@link BatchLog}, {@link EmbeddingCache} and {@link ReferenceAnswers}. Its
 * other public methods are one-line delegates to those, kept for their callers.
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

    /** Free-form provenance of the run: admap version, creation time, ingest options. */
    static final String RUN_INFO = """
            CREATE TABLE run_info (
                key   VARCHAR PRIMARY KEY,
                value VARCHAR
            )""";

    /**
     * Every feature's tables, in the order a new store creates them (the order of the one
     * schema file they were split from). {@link Reviews} makes its table when first written.
     */
    private static final List<List<String>> SCHEMA = List.of(List.of(RUN_INFO), Items.TABLES, Scoring.TABLES,
            ReferenceAnswers.TABLES, EmbeddingCache.TABLES, BatchLog.TABLES, MapPoints.TABLES, Flags.TABLES);

    private final Path file;
    private final DuckDBConnection connection;
    private final Sql db;
    private boolean inTransaction;

    private RunStore(Path file, DuckDBConnection connection) {
        this.file = file;
        this.connection = connection;
        this.db = new Sql(connection, file);
    }

    /** Creates a new, empty store; fails if the file exists. */
    public static RunStore create(Path file) {
        if (Files.exists(file)) {
            throw new StoreException(file + " already exists");
        }
        RunStore store = connect(file);
        try {
            store.db.execute(SCHEMA.stream().flatMap(List::stream).toArray(String[]::new));
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
     * (the items' {@code turns} and {@code images}, the scores' {@code sample}, {@code spread}
     * and {@code method}); a no-op on a current store. The tables that came later, and the
     * map's {@code region_p}, are made by their features when first written.
     */
    private void migrate() throws SQLException {
        Items.migrate(this);
        Scoring.migrate(this);
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
        try {
            return db.query("look for a table", "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                    name).first(rs -> rs.getLong(1) > 0).orElse(false);
        } catch (StoreException e) {
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

    /** The store's file. */
    public Path file() {
        return file;
    }

    /**
     * The connection, for the store's feature classes. Confined to the thread that uses the
     * store.
     */
    DuckDBConnection connection() {
        return connection;
    }

    /** Statements on the store's connection, for its feature classes. */
    Sql sql() {
        return db;
    }

    /** The ingested data: inputs, items, responses. */
    public Items items() {
        return new Items(this);
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

    /** The scores as the map reads them. */
    public Scores scores() {
        return new Scores(this);
    }

    // ---- run information -------------------------------------------------------------

    /** Sets a provenance entry of the run. */
    public void putInfo(String key, String value) {
        db.update("update", "INSERT OR REPLACE INTO run_info VALUES (?, ?)", key, value);
    }

    /** A provenance entry of the run. */
    public Optional<String> info(String key) {
        return db.query("read run info", "SELECT value FROM run_info WHERE key = ?", key).first(rs -> rs.getString(1));
    }

    /** All provenance entries, by key. */
    public Map<String, String> allInfo() {
        Map<String, String> all = new LinkedHashMap<>();
        query("SELECT key, value FROM run_info ORDER BY key", rs -> all.put(rs.getString(1), rs.getString(2)));
        return all;
    }

    // ---- the ingested data: delegates to Items ------------------------------------------

    /** Opens a writer that appends items after those already stored; delegates to {@link Items#openWriter}. */
    public ItemWriter openItemWriter() {
        return items().openWriter();
    }

    /** Records an input file of the run; delegates to {@link Items#addInput}. */
    public void addInput(InputFileRecord r) {
        items().addInput(r);
    }

    /** The run's input files; delegates to {@link Items#inputs}. */
    public List<InputFileRecord> inputs() {
        return items().inputs();
    }

    /** Delegates to {@link Items#count}. */
    public long itemCount() {
        return items().count();
    }

    /** Delegates to {@link Items#responseCount}. */
    public long responseCount() {
        return items().responseCount();
    }

    /** Delegates to {@link Items#forEachItem}. */
    public void forEachItem(String source, BitSet keys, Consumer<KeyedItem> consumer) {
        items().forEachItem(source, keys, consumer);
    }

    /** Delegates to {@link Items#forEachPrompt}. */
    public void forEachPrompt(Items.PromptConsumer consumer) {
        items().forEachPrompt(consumer);
    }

    // ---- reading scores: delegates to Scores ----------------------------------------------

    /** Delegates to {@link Scores#hasInputScores}. */
    public boolean hasInputScores() {
        return scores().hasInputScores();
    }

    /** Delegates to {@link Scores#hasLabels}. */
    public boolean hasLabels() {
        return scores().hasLabels();
    }

    /** Delegates to {@link Scores#labelsEqualScores}. */
    public boolean labelsEqualScores() {
        return scores().labelsEqualScores();
    }

    /** The score sources with at least one score; delegates to {@link Scores#sources}. */
    public List<String> scoreSources() {
        return scores().sources();
    }

    /** Delegates to {@link Scores#range}. */
    public double[] scoreRange(String source) {
        return scores().range(source);
    }

    /** Delegates to {@link Scores#forEachItemScores}. */
    public void forEachItemScores(String source, Consumer<ItemScores> consumer) {
        scores().forEachItemScores(source, consumer);
    }

    /** Delegates to {@link Scores#forEachItemScoresOfSample}. */
    public void forEachItemScoresOfSample(String source, int sample, Consumer<ItemScores> consumer) {
        scores().forEachItemScoresOfSample(source, sample, consumer);
    }

    /** Delegates to {@link Scores#forEachItemScoresOfFirstSamples}. */
    public void forEachItemScoresOfFirstSamples(String source, int samples, Consumer<ItemScores> consumer) {
        scores().forEachItemScoresOfFirstSamples(source, samples, consumer);
    }

    /** Delegates to {@link Scores#samplesPerScoreOfFirstSamples}. */
    public int samplesPerScoreOfFirstSamples(String source, int samples) {
        return scores().samplesPerScoreOfFirstSamples(source, samples);
    }

    /** Delegates to {@link Scores#forEachSampleCount}. */
    public void forEachSampleCount(String source, int below, Scores.SampleCountConsumer consumer) {
        scores().forEachSampleCount(source, below, consumer);
    }

    /** Delegates to {@link Scores#sampleCounts}. */
    public java.util.SortedMap<Integer, Long> sampleCounts(String source) {
        return scores().sampleCounts(source);
    }

    /** Delegates to {@link Scores#hasUncertainty}. */
    public boolean hasUncertainty(String source) {
        return scores().hasUncertainty(source);
    }

    /** The pattern whose matches count a text's tokens in the bias audit; {@link Scores#TOKEN_PATTERN}. */
    public static final String TOKEN_PATTERN = Scores.TOKEN_PATTERN;

    /** Delegates to {@link Scores#forEachScoredLength}. */
    public void forEachScoredLength(String source, Scores.LengthRow row) {
        scores().forEachScoredLength(source, row);
    }

    /** Delegates to {@link Scores#forEachShownScore}. */
    public void forEachShownScore(String source, Scores.ShownRow row) {
        scores().forEachShownScore(source, row);
    }

    /** Delegates to {@link Scores#hasInputSamples}. */
    public boolean hasInputSamples() {
        return scores().hasInputSamples();
    }

    /** Delegates to {@link Scores#samplesPerScore}. */
    public int samplesPerScore(String source) {
        return scores().samplesPerScore(source);
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

    // ---- flags ------------------------------------------------------------------------

    /** One stored flag (written by {@link Flags}; declared here, where its callers name it). */
    public record StoredFlag(int key, String reason, double value, double threshold, String detail) {
    }

    /** Replaces the stored flags; delegates to {@link Flags#replace}. */
    public void replaceFlags(Iterable<StoredFlag> flags) {
        flags().replace(flags);
    }

    // ---- plumbing ---------------------------------------------------------------------

    void query(String sql, Sql.RowHandler handler) {
        db.query("query", sql).forEach(handler);
    }

    long count(String sql) {
        return db.query("count", sql).one(rs -> rs.getLong(1));
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
