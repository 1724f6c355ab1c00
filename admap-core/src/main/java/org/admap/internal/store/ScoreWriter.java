package org.admap.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/**
 * Writes scorer results into the run store from one thread, in small transactions, so each
 * result is durable moments after it arrives. A row replaces any earlier row of the same
 * response, source and sample (a retried failure). Uses its own connection, so scoring threads
 * never wait on the reader.
 */
public final class ScoreWriter implements AutoCloseable {

    /** How a score's value was obtained ({@code scores.method}). */
    public static final String PLAIN = "plain";

    /**
     * One score row; {@code value} is NaN for a failure.
     *
     * @param sample the 0-based index of a repeated judgment of the response (0 when judged once)
     * @param spread the standard deviation of the judge's score distribution, NaN when not computed
     * @param method how the value was obtained: {@code plain}, {@code logprobs} or {@code logprobs-fallback}
     */
    public record Row(int itemKey, int position, String source, String fingerprint, String promptHash,
                      String responseHash, double value, String error, String rawOutput, long tokensIn,
                      long tokensOut, double costUsd, long latencyMs, int attempts, String callOrder,
                      String endpoint, String model, Instant created, int sample, double spread, String method) {

        /** A row of sample 0, plain value, no spread. */
        public Row(int itemKey, int position, String source, String fingerprint, String promptHash,
                   String responseHash, double value, String error, String rawOutput, long tokensIn,
                   long tokensOut, double costUsd, long latencyMs, int attempts, String callOrder,
                   String endpoint, String model, Instant created) {
            this(itemKey, position, source, fingerprint, promptHash, responseHash, value, error, rawOutput, tokensIn,
                    tokensOut, costUsd, latencyMs, attempts, callOrder, endpoint, model, created, 0, Double.NaN,
                    PLAIN);
        }

        public boolean ok() {
            return error == null;
        }
    }

    private final Connection connection;
    private final PreparedStatement delete;
    private final PreparedStatement insert;

    ScoreWriter(Connection connection) throws SQLException {
        this.connection = connection;
        this.delete = connection.prepareStatement(
                "DELETE FROM scores WHERE item_key = ? AND position = ? AND source = ? AND sample = ?");
        this.insert = connection.prepareStatement("INSERT INTO scores (item_key, position, source, fingerprint,"
                + " prompt_hash, response_hash, value, status, error, raw_output, tokens_in, tokens_out, cost_usd,"
                + " latency_ms, attempts, call_order, endpoint, model, created, sample, spread, method)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    /** Writes rows in one transaction. */
    public void write(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try {
            connection.setAutoCommit(false);
            for (Row r : rows) {
                delete.setInt(1, r.itemKey());
                delete.setInt(2, r.position());
                delete.setString(3, r.source());
                delete.setInt(4, r.sample());
                delete.executeUpdate();
                int i = 1;
                insert.setInt(i++, r.itemKey());
                insert.setInt(i++, r.position());
                insert.setString(i++, r.source());
                insert.setString(i++, r.fingerprint());
                insert.setString(i++, r.promptHash());
                insert.setString(i++, r.responseHash());
                if (r.ok()) {
                    insert.setDouble(i++, r.value());
                } else {
                    insert.setNull(i++, Types.DOUBLE);
                }
                insert.setString(i++, r.ok() ? "ok" : "failed");
                insert.setString(i++, r.error());
                insert.setString(i++, r.rawOutput());
                insert.setLong(i++, r.tokensIn());
                insert.setLong(i++, r.tokensOut());
                insert.setDouble(i++, r.costUsd());
                insert.setLong(i++, r.latencyMs());
                insert.setInt(i++, r.attempts());
                insert.setString(i++, r.callOrder());
                insert.setString(i++, r.endpoint());
                insert.setString(i++, r.model());
                insert.setTimestamp(i++, Timestamp.from(r.created()));
                insert.setInt(i++, r.sample());
                if (Double.isNaN(r.spread())) {
                    insert.setNull(i++, Types.DOUBLE);
                } else {
                    insert.setDouble(i++, r.spread());
                }
                insert.setString(i, r.method());
                insert.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the write error is the one to report
            }
            throw new StoreException("cannot store " + rows.size() + " scores: " + e.getMessage(), e);
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // closing next anyway
            }
        }
    }

    @Override
    public void close() {
        try {
            delete.close();
            insert.close();
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the score writer: " + e.getMessage(), e);
        }
    }
}
