package org.admap.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The run store's record of OpenAI Batch API jobs (the {@code batches} table), so that a
 * restarted {@code score --batch} resumes its batches instead of submitting their requests
 * again. A batch is recorded the moment it is created, its status follows every poll, and
 * it is marked imported once its results are stored.
 *
 * <p>Uses a connection of its own, so it can be written while the store streams items.
 * Not thread-safe.
 */
public final class BatchLog implements AutoCloseable {

    /** The statuses after which a batch changes no more. */
    public static final Set<String> TERMINAL = Set.of("completed", "failed", "expired", "cancelled");

    /** OpenAI Batch API jobs, so a restarted 'score --batch' resumes them instead of resubmitting. */
    static final String BATCHES = """
            CREATE TABLE batches (
                batch_id       VARCHAR PRIMARY KEY,
                source         VARCHAR NOT NULL,
                fingerprint    VARCHAR NOT NULL,
                input_file_id  VARCHAR,
                status         VARCHAR NOT NULL,
                request_count  INTEGER,
                output_file_id VARCHAR,
                error_file_id  VARCHAR,
                imported       BOOLEAN NOT NULL,
                created        TIMESTAMP,
                updated        TIMESTAMP
            )""";

    /** The tables, in the order a new store creates them. */
    static final List<String> TABLES = List.of(BATCHES);

    /**
     * One batch.
     *
     * @param batchId      the Batch API's id
     * @param source       the score source its results belong to
     * @param fingerprint  the scorer configuration its requests were made with
     * @param inputFileId  the uploaded request file
     * @param status       the last status seen (validating, in_progress, finalizing, completed, failed,
     *                     expired, cancelling, cancelled)
     * @param requestCount the requests it holds
     * @param outputFileId the file of successful answers, once there is one
     * @param errorFileId  the file of failed requests, once there is one
     * @param imported     whether its results are stored
     * @param created      when it was created
     * @param updated      when its status was last seen
     */
    public record Entry(String batchId, String source, String fingerprint, String inputFileId, String status,
                        int requestCount, String outputFileId, String errorFileId, boolean imported, Instant created,
                        Instant updated) {

        /** Whether the batch has ended (its results, if any, can be imported). */
        public boolean terminal() {
            return TERMINAL.contains(status);
        }
    }

    private final Connection connection;
    private final Sql db;

    private BatchLog(Connection connection, java.nio.file.Path file) {
        this.connection = connection;
        this.db = new Sql(connection, file);
    }

    /** The batch log of a store, on a connection of its own. */
    public static BatchLog of(RunStore store) {
        try {
            return new BatchLog(store.connection().duplicate(), store.file());
        } catch (SQLException e) {
            throw new StoreException("run store " + store.file() + ": cannot open the batch log: " + e.getMessage(), e);
        }
    }

    /** Records a batch just created. */
    public void add(Entry e) {
        db.update("record batch " + e.batchId(), "INSERT INTO batches (batch_id, source, fingerprint, input_file_id,"
                + " status, request_count, output_file_id, error_file_id, imported, created, updated)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e.batchId(), e.source(), e.fingerprint(),
                e.inputFileId(), e.status(), e.requestCount(), e.outputFileId(), e.errorFileId(), e.imported(),
                Timestamp.from(e.created() == null ? Instant.now() : e.created()),
                Timestamp.from(e.updated() == null ? Instant.now() : e.updated()));
    }

    /** Records what a poll saw. */
    public void update(String batchId, String status, String outputFileId, String errorFileId) {
        db.update("update batch " + batchId, "UPDATE batches SET status = ?,"
                + " output_file_id = coalesce(?, output_file_id), error_file_id = coalesce(?, error_file_id),"
                + " updated = ? WHERE batch_id = ?", status, outputFileId, errorFileId, Timestamp.from(Instant.now()),
                batchId);
    }

    /** Marks a batch's results as stored: it is never imported or resumed again. */
    public void markImported(String batchId) {
        db.update("update batch " + batchId, "UPDATE batches SET imported = true, updated = ? WHERE batch_id = ?",
                Timestamp.from(Instant.now()), batchId);
    }

    /** The batches of a source whose results are not stored yet (open, or ended but not imported), oldest first. */
    public List<Entry> unimported(String source) {
        return select("WHERE source = ? AND NOT imported", source);
    }

    /** Every batch of a source, oldest first. */
    public List<Entry> all(String source) {
        return select("WHERE source = ?", source);
    }

    private List<Entry> select(String where, String source) {
        return db.query("read batches", "SELECT batch_id, source, fingerprint, input_file_id, status, request_count,"
                + " output_file_id, error_file_id, imported, created, updated FROM batches " + where
                + " ORDER BY created, batch_id", source).list(rs -> new Entry(rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6), rs.getString(7),
                        rs.getString(8), rs.getBoolean(9), instant(rs.getTimestamp(10)), instant(rs.getTimestamp(11))));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the batch log: " + e.getMessage(), e);
        }
    }
}
