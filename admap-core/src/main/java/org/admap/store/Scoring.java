package org.admap.store;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

    private final RunStore store;
    private final DuckDBConnection connection;
    private final Path file;

    Scoring(RunStore store) {
        this.store = store;
        this.connection = store.connection();
        this.file = store.file();
    }

    /** A scorer source of this run, if it exists. */
    public Optional<ScoreSourceInfo> source(String name) {
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
    public List<ScoreSourceInfo> sources() {
        List<ScoreSourceInfo> list = new ArrayList<>();
        List<String> names = new ArrayList<>();
        store.query("SELECT source FROM score_sources ORDER BY source", rs -> names.add(rs.getString(1)));
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
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT item_key, position, sample, status FROM scores WHERE source = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    state.putResponse(rs.getInt(1), rs.getInt(2), rs.getInt(3), "ok".equals(rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "read scores", e);
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT prompt_hash, response_hash, sample, value,"
                + " spread, coalesce(method, 'plain'), source, endpoint FROM scores WHERE fingerprint = ?"
                + " AND status = 'ok'")) {
            ps.setString(1, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String endpoint = rs.getString(8);
                    if (!madeAt.test(endpoint)) {
                        continue;
                    }
                    state.putContent(rs.getString(1), rs.getString(2), rs.getInt(3), new ScoreState.Cached(
                            rs.getDouble(4), ScoreSql.nullable(rs, 5), rs.getString(6), rs.getString(7), endpoint));
                }
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "read scores", e);
        }
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
        try (PreparedStatement ps = connection.prepareStatement("SELECT ? * (SELECT count(*) FROM responses)"
                + " - (SELECT count(*) FROM scores s WHERE s.source = ? AND s.sample < ?"
                + " AND (s.status = 'ok' OR NOT ?))")) {
            ps.setLong(1, samples);
            ps.setString(2, source);
            ps.setInt(3, samples);
            ps.setBoolean(4, includingFailed);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "count responses to score", e);
        }
    }

    /**
     * The judgments of sample {@code sample} still to make, per instruction id: the responses
     * without a successful score of that sample from the source (and, unless counted, without
     * a failed one). For a scorer that judges only some instructions again
     * ({@link ScoreCalibration}).
     */
    public void forEachPendingOfSample(String source, boolean includingFailed, int sample,
                                       java.util.function.ObjLongConsumer<String> byId) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT i.id, count(*) FROM responses r"
                + " JOIN items i USING (item_key) WHERE NOT EXISTS (SELECT 1 FROM scores s WHERE s.source = ?"
                + " AND s.item_key = r.item_key AND s.position = r.position AND s.sample = ?"
                + " AND (s.status = 'ok' OR NOT ?)) GROUP BY i.id")) {
            ps.setString(1, source);
            ps.setInt(2, sample);
            ps.setBoolean(3, includingFailed);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byId.accept(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "count responses to score", e);
        }
    }

    public RunStore.ScoreTotals totals(String source) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FILTER (status = 'ok'),"
                + " count(*) FILTER (status = 'failed'), coalesce(sum(tokens_in), 0), coalesce(sum(tokens_out), 0),"
                + " coalesce(sum(cost_usd), 0) FROM scores WHERE source = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new RunStore.ScoreTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getDouble(5));
            }
        } catch (SQLException e) {
            throw StoreException.cannot(file, "count scores", e);
        }
    }

    /** The most frequent reasons of failed scores of a source, with their counts, most frequent first. */
    public Map<String, Long> errors(String source, int limit) {
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
    public ScoreWriter openWriter() {
        try {
            return new ScoreWriter(connection.duplicate());
        } catch (SQLException e) {
            throw StoreException.cannot(file, "open a score writer", e);
        }
    }
}
