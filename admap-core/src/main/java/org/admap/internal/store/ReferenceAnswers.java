package org.admap.internal.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The reference answers of a run, in the run store's {@code reference_answers} table: one per
 * (instruction text, writer), written once and reused by every later run and scorer of the
 * store. The writer is {@value #DATA} for references that came with the input, otherwise
 * the model that wrote them.
 *
 * <p>Thread-safe: scoring threads share one instance. It reads and writes on a connection
 * of its own, never on the store's. Which (instruction, writer) pairs have an answer is kept
 * in memory, so asking costs no query; texts are read when asked for.
 */
public final class ReferenceAnswers implements AutoCloseable {

    /** The writer of references that came with the data. */
    public static final String DATA = "data";

    /**
     * Reference answers for reference-based scoring, one per (instruction text, writer):
     * written once, reused by every later run and scorer. writer is 'data' for references that
     * came with the input, otherwise the generating model.
     */
    static final String REFERENCE_ANSWERS = """
            CREATE TABLE reference_answers (
                prompt_hash VARCHAR NOT NULL,
                writer      VARCHAR NOT NULL,
                text        VARCHAR NOT NULL,
                tokens_in   INTEGER,
                tokens_out  INTEGER,
                cost_usd    DOUBLE,
                created     TIMESTAMP
            )""";

    /** The tables, in the order a new store creates them. */
    static final List<String> TABLES = List.of(REFERENCE_ANSWERS);

    /**
     * One stored reference answer.
     *
     * @param promptHash the {@link org.admap.model.TextHash} of the full prompt it answers
     * @param writer     {@value #DATA} or the model that wrote it
     * @param text       the answer
     * @param tokensIn   prompt tokens its writing took (0 for data)
     * @param tokensOut  completion tokens
     * @param costUsd    what writing it cost
     * @param created    when it was stored
     */
    public record Answer(String promptHash, String writer, String text, long tokensIn, long tokensOut,
                         double costUsd, Instant created) {

        public Answer {
            Objects.requireNonNull(promptHash, "promptHash");
            Objects.requireNonNull(writer, "writer");
            Objects.requireNonNull(text, "text");
        }
    }

    private final Path file;
    private final Connection connection;
    private final Sql db;
    private Set<String> known;

    private ReferenceAnswers(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
        this.db = new Sql(connection, file);
    }

    /** The reference answers of a store, on a connection of their own. */
    public static ReferenceAnswers open(RunStore store) {
        try {
            return new ReferenceAnswers(store.file(), store.connection().duplicate());
        } catch (SQLException e) {
            throw new StoreException("run store " + store.file() + ": cannot open the reference answers: "
                    + e.getMessage(), e);
        }
    }

    /** Whether an answer by {@code writer} to the prompt with this hash is stored. */
    public synchronized boolean contains(String promptHash, String writer) {
        return known().contains(key(promptHash, writer));
    }

    /** The answer by {@code writer} to the prompt with this hash, if stored. */
    public synchronized Optional<Answer> get(String promptHash, String writer) {
        if (!contains(promptHash, writer)) {
            return Optional.empty();
        }
        return db.query("read a reference answer", "SELECT text, tokens_in, tokens_out, cost_usd, created"
                + " FROM reference_answers WHERE prompt_hash = ? AND writer = ? ORDER BY created LIMIT 1", promptHash,
                writer).first(rs -> {
                    Timestamp created = rs.getTimestamp(5);
                    return new Answer(promptHash, writer, rs.getString(1), rs.getLong(2), rs.getLong(3),
                            rs.getDouble(4), created == null ? null : created.toInstant());
                });
    }

    /** Stores an answer unless one by the same writer to the same prompt is stored; true when stored. */
    public synchronized boolean putIfAbsent(Answer a) {
        if (contains(a.promptHash(), a.writer())) {
            return false;
        }
        db.update("store a reference answer", "INSERT INTO reference_answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                a.promptHash(), a.writer(), a.text(), a.tokensIn(), a.tokensOut(), a.costUsd(),
                Timestamp.from(a.created() == null ? Instant.now() : a.created()));
        known.add(key(a.promptHash(), a.writer()));
        return true;
    }

    /**
     * How many instructions of a store came without a reference answer (none, or only
     * whitespace): those a reference writer must answer. Reads on the store's own connection,
     * so call it from the thread that uses the store.
     */
    public static long itemsWithoutReference(RunStore store) {
        return store.sql().query("count the items without a reference", "SELECT count(*) FROM items"
                + " WHERE reference IS NULL OR regexp_full_match(reference, '\\s*')").one(rs -> rs.getLong(1));
    }

    /** How many answers by {@code writer} are stored. */
    public synchronized long count(String writer) {
        String suffix = "\u0000" + writer;
        return known().stream().filter(k -> k.endsWith(suffix)).count();
    }

    private Set<String> known() {
        if (known == null) {
            Set<String> keys = new HashSet<>();
            db.query("read reference answers", "SELECT DISTINCT prompt_hash, writer FROM reference_answers")
                    .forEach(rs -> keys.add(key(rs.getString(1), rs.getString(2))));
            known = keys;
        }
        return known;
    }

    private static String key(String promptHash, String writer) {
        return promptHash + "\u0000" + writer;
    }

    /** Closes the connection (not the store). */
    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the reference answers of " + file + ": " + e.getMessage(), e);
        }
    }
}
