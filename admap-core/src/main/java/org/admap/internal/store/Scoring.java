package org.admap.internal.store;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/**
 * The scorers' side of the run store: their sources ({@code score_sources}) and what each
 * has scored, failed and spent ({@code scores}), so that {@code score} resumes where it
 * stopped and never pays twice for a judgment. The scores as a map reads them are
 * {@link Scores}'. Reached through {@link RunStore#scoring()}.
 *
 * <p>Uses the store's connection: one store, one thread.
 */
public final class Scoring {

    /**
     * Where scores come from. 'input' (scores in the data) and 'labels' (the data's labels used
     * as scores) are built in and not listed here; each scorer source adds one row: its name,
     * the fingerprint of its configuration (what makes two scores comparable) and provenance.
     */
    static final String SCORE_SOURCES = """
            CREATE TABLE score_sources (
                source         VARCHAR PRIMARY KEY,
                kind           VARCHAR NOT NULL,
                fingerprint    VARCHAR NOT NULL,
                endpoint       VARCHAR,
                model          VARCHAR,
                prompt_version VARCHAR,
                parameters     VARCHAR,
                created        TIMESTAMP
            )""";

    /**
     * Scores computed by scorers, one row per (response, source, sample), with full provenance.
     * A score is identified for caching by (fingerprint, prompt_hash, response_hash, sample): a
     * response whose instruction and text were already scored under the same configuration is
     * never sent again. Rows are committed as results arrive; status 'failed' keeps the error
     * and the raw output and has no value. call_order records how the responses of one call
     * were shuffled. sample is the 0-based index of a repeated judgment (--samples K); spread is
     * the standard deviation of the judge's score distribution from log-probabilities (NULL when
     * not computed); method says how value was obtained: plain, logprobs or logprobs-fallback
     * (NULL on rows written before the column existed means plain). Stores older than these
     * three columns get them when opened ({@link #migrate}).
     */
    static final String SCORES = """
            CREATE TABLE scores (
                item_key      INTEGER NOT NULL,
                position      INTEGER NOT NULL,
                source        VARCHAR NOT NULL,
                fingerprint   VARCHAR NOT NULL,
                prompt_hash   VARCHAR NOT NULL,
                response_hash VARCHAR NOT NULL,
                value         DOUBLE,
                status        VARCHAR NOT NULL,
                error         VARCHAR,
                raw_output    VARCHAR,
                tokens_in     INTEGER,
                tokens_out    INTEGER,
                cost_usd      DOUBLE,
                latency_ms    INTEGER,
                attempts      INTEGER,
                call_order    VARCHAR,
                endpoint      VARCHAR,
                model         VARCHAR,
                created       TIMESTAMP,
                sample        INTEGER NOT NULL DEFAULT 0,
                spread        DOUBLE,
                method        VARCHAR
            )""";

    /** The tables, in the order a new store creates them. */
    static final List<String> TABLES = List.of(SCORE_SOURCES, SCORES);

    private final DuckDBConnection connection;
    private final Path file;
    private final Sql db;

    Scoring(RunStore store) {
        this.connection = store.connection();
        this.file = store.file();
        this.db = store.sql();
    }

    /**
     * Adds the columns that later versions of admap added to the scores of a store made by an
     * earlier one ({@code sample}, {@code spread}, {@code method}); a no-op on a current store.
     * Old rows read as sample 0, no spread, method NULL (= plain).
     */
    static void migrate(RunStore store) throws SQLException {
        // JDBC of its own: a failure here is the open's ("cannot bring the run store up to date")
        try (var ps = store.connection().prepareStatement("SELECT count(*) FROM information_schema.columns"
                + " WHERE table_name = 'scores' AND column_name IN ('sample', 'spread', 'method')");
             var rs = ps.executeQuery()) {
            rs.next();
            if (rs.getInt(1) == 3) {
                return;
            }
        }
        // DuckDB cannot add a NOT NULL column with IF NOT EXISTS: add it, then constrain it.
        store.sql().execute("ALTER TABLE scores ADD COLUMN IF NOT EXISTS sample INTEGER DEFAULT 0",
                "UPDATE scores SET sample = 0 WHERE sample IS NULL",
                "ALTER TABLE scores ALTER COLUMN sample SET NOT NULL",
                "ALTER TABLE scores ADD COLUMN IF NOT EXISTS spread DOUBLE",
                "ALTER TABLE scores ADD COLUMN IF NOT EXISTS method VARCHAR");
    }

    /** A scorer source of this run, if it exists. */
    public Optional<ScoreSourceInfo> source(String name) {
        return db.query("read score source " + name, "SELECT source, kind, fingerprint, endpoint, model,"
                + " prompt_version, parameters, created FROM score_sources WHERE source = ?", name).first(rs -> {
                    Timestamp created = rs.getTimestamp(8);
                    return new ScoreSourceInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7),
                            created == null ? null : created.toInstant());
                });
    }

    /** Every scorer source of this run, by name. */
    public List<ScoreSourceInfo> sources() {
        List<ScoreSourceInfo> list = new ArrayList<>();
        List<String> names = db.query("query", "SELECT source FROM score_sources ORDER BY source")
                .list(rs -> rs.getString(1));
        for (String n : names) {
            source(n).ifPresent(list::add);
        }
        return list;
    }

    /** Records a new scorer source; fails if the name is taken. */
    public void addSource(ScoreSourceInfo s) {
        if (s.source().equals(RunStore.INPUT) || s.source().equals(RunStore.LABELS)) {
            throw new IllegalArgumentException("'" + s.source() + "' is a built-in score source; choose another name");
        }
        db.update("record score source " + s.source(), "INSERT INTO score_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                s.source(), s.kind(), s.fingerprint(), s.endpoint(), s.model(), s.promptVersion(), s.parameters(),
                Timestamp.from(s.created() == null ? Instant.now() : s.created()));
    }

    /** Loads what is already scored under a source and its configuration, per sample, from any endpoint. */
    public ScoreState loadState(String source, String fingerprint) {
        return loadState(source, fingerprint, endpoint -> true);
    }

    /**
     * Loads what is already scored under a source and its configuration, per sample: the
     * source's own rows, and the successful scores that an identical response may copy, of
     * any source with the same fingerprint whose recorded endpoint {@code madeAt} accepts.
     * Rows of every admap version qualify: each row has always recorded its endpoint.
     */
    public ScoreState loadState(String source, String fingerprint, java.util.function.Predicate<String> madeAt) {
        ScoreState state = new ScoreState();
        db.query("read scores", "SELECT item_key, position, sample, status FROM scores WHERE source = ?", source)
                .forEach(rs -> state.putResponse(rs.getInt(1), rs.getInt(2), rs.getInt(3),
                        "ok".equals(rs.getString(4))));
        db.query("read scores", "SELECT prompt_hash, response_hash, sample, value, spread, coalesce(method, 'plain'),"
                + " source, endpoint FROM scores WHERE fingerprint = ? AND status = 'ok'", fingerprint).forEach(rs -> {
                    String endpoint = rs.getString(8);
                    if (madeAt.test(endpoint)) {
                        state.putContent(rs.getString(1), rs.getString(2), rs.getInt(3), new ScoreState.Cached(
                                rs.getDouble(4), ScoreSql.nullable(rs, 5), rs.getString(6), rs.getString(7), endpoint));
                    }
                });
        return state;
    }

    /** Responses without a successful score from the source (and, unless counted, without a failed one). */
    public long toScore(String source, boolean includingFailed) {
        return toScore(source, includingFailed, 1);
    }

    /**
     * Judgments still to make for {@code samples} samples of every response: the (response,
     * sample) pairs without a successful score from the source (and, unless counted, without
     * a failed one).
     */
    public long toScore(String source, boolean includingFailed, int samples) {
        return db.query("count responses to score", "SELECT ? * (SELECT count(*) FROM responses)"
                + " - (SELECT count(*) FROM scores s WHERE s.source = ? AND s.sample < ?"
                + " AND (s.status = 'ok' OR NOT ?))", (long) samples, source, samples, includingFailed)
                .one(rs -> rs.getLong(1));
    }

    /**
     * The judgments of sample {@code sample} still to make, per instruction id: the responses
     * without a successful score of that sample from the source (and, unless counted, without
     * a failed one). For a scorer that judges only some instructions again
     * ({@link ScoreCalibration}).
     */
    public void forEachPendingOfSample(String source, boolean includingFailed, int sample,
                                       java.util.function.ObjLongConsumer<String> byId) {
        db.query("count responses to score", "SELECT i.id, count(*) FROM responses r"
                + " JOIN items i USING (item_key) WHERE NOT EXISTS (SELECT 1 FROM scores s WHERE s.source = ?"
                + " AND s.item_key = r.item_key AND s.position = r.position AND s.sample = ?"
                + " AND (s.status = 'ok' OR NOT ?)) GROUP BY i.id", source, sample, includingFailed)
                .forEach(rs -> byId.accept(rs.getString(1), rs.getLong(2)));
    }

    /** Counts and spending of a source. */
    public RunStore.ScoreTotals totals(String source) {
        return db.query("count scores", "SELECT count(*) FILTER (status = 'ok'), count(*) FILTER (status = 'failed'),"
                + " coalesce(sum(tokens_in), 0), coalesce(sum(tokens_out), 0), coalesce(sum(cost_usd), 0)"
                + " FROM scores WHERE source = ?", source).one(rs -> new RunStore.ScoreTotals(rs.getLong(1),
                        rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5)));
    }

    /** The most frequent reasons of failed scores of a source, with their counts, most frequent first. */
    public Map<String, Long> errors(String source, int limit) {
        Map<String, Long> errors = new LinkedHashMap<>();
        db.query("read score errors", "SELECT error, count(*) AS n FROM scores WHERE source = ? AND status = 'failed'"
                + " GROUP BY error ORDER BY n DESC, error LIMIT ?", source, limit)
                .forEach(rs -> errors.put(rs.getString(1), rs.getLong(2)));
        return errors;
    }

    /** A writer for scores on its own connection, for a writer thread. */
    public ScoreWriter openWriter() {
        try {
            return new ScoreWriter(connection.duplicate());
        } catch (SQLException e) {
            throw StoreException.cannot(file, "open a score writer", e);
        }
    }
}
