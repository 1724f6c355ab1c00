package org.admap.internal.store;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.admap.model.InputScore;
import org.admap.model.Item;
import org.admap.model.RepeatedIds;
import org.admap.model.Response;
import org.admap.model.TextHash;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Appends ingested items to the run store as they stream in, through DuckDB's appender
 * (bulk, no SQL per row). Keeps only the ids seen, never the texts.
 *
 * <p>Items of one-row-per-response layouts arrive one response at a time; {@link #add}
 * with {@code merge} appends such a response to the item already stored under the same
 * id. Otherwise a repeated id is a second, distinct instruction and is stored as
 * {@code id#2}, {@code id#3}, ... (counted in {@link #renamedIds()}).
 */
public final class ItemWriter implements AutoCloseable {

    private final DuckDBConnection connection;
    private boolean closed;
    private final DuckDBAppender items;
    private final DuckDBAppender responses;
    /** The samples of scores given as lists; made on the first such response. */
    private DuckDBAppender samples;
    /** The scores of named input sources ({@code --score-field NAME=FIELD}); made on the first such score. */
    private DuckDBAppender sourceScores;
    /** Named source -> its fingerprint, for the {@code scores} rows. */
    private final Map<String, String> sourceFingerprints = new LinkedHashMap<>();
    /** Named source -> responses it scored. */
    private final Map<String, Long> sourceCounts = new LinkedHashMap<>();
    private final LocalDateTime created = LocalDateTime.now(ZoneOffset.UTC);
    /** id -> {item key, next response position}. */
    private final Map<String, int[]> seen = new HashMap<>();
    /** Repeated id -> the suffix to try first when it comes again (see {@link RepeatedIds}). */
    private final Map<String, Integer> nextCopy = new HashMap<>();
    private int nextKey;
    private long responseCount;
    private long renamedIds;
    private int inputId;

    ItemWriter(DuckDBConnection connection, int firstKey) throws SQLException {
        // One transaction for the whole ingest: in auto-commit mode each chunk the appenders
        // flush is committed on its own, which made writing the texts about twice as slow.
        this.connection = connection;
        try (Statement st = connection.createStatement()) {
            st.execute("BEGIN TRANSACTION");
        }
        this.items = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "items");
        this.responses = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "responses");
        this.nextKey = firstKey;
    }

    /**
     * Declares a named score source of the input ({@code --score-field NAME=FIELD}): the
     * responses' scores under that name are written to the {@code scores} table, as a scorer's
     * would be, under this fingerprint.
     */
    public void addSource(String name, String fingerprint) {
        sourceFingerprints.put(name, fingerprint);
        sourceCounts.put(name, 0L);
    }

    /** Responses scored by each declared named source so far. */
    public Map<String, Long> sourceCounts() {
        return Map.copyOf(sourceCounts);
    }

    /** Sets the input file the following items come from. */
    public void setInput(int inputId) {
        this.inputId = inputId;
    }

    /**
     * Stores an item, or with {@code merge} adds its responses to the stored item of the same id.
     *
     * @return the item's key
     */
    public int add(Item item, boolean merge) {
        try {
            String id = item.id();
            int[] state = seen.get(id);
            if (state != null && merge) {
                appendResponses(state, item);
                return state[0];
            }
            if (state != null) {
                id = RepeatedIds.rename(id, seen::containsKey, nextCopy);
                renamedIds++;
            }
            state = new int[] {nextKey++, 0};
            seen.put(id, state);
            items.beginRow()
                    .append(state[0])
                    .append(id)
                    .append(item.prompt())
                    .append(item.input());
            appendNullable(items, item.reference());
            items.append(inputId)
                    .append(item.source().line());
            appendNullable(items, TurnsColumn.encode(item.turns()));
            appendNullable(items, ImagesColumn.encode(item.images()));
            items.endRow();
            appendResponses(state, item);
            return state[0];
        } catch (SQLException e) {
            throw new StoreException("cannot store item " + item.id() + ": " + e.getMessage(), e);
        }
    }

    private void appendResponses(int[] state, Item item) throws SQLException {
        for (Response r : item.responses()) {
            responses.beginRow()
                    .append(state[0])
                    .append(state[1]++)
                    .append(r.text());
            appendNullable(responses, r.model());
            appendNullable(responses, r.score());
            appendNullable(responses, r.label());
            responses.endRow();
            appendSamples(state[0], state[1] - 1, r);
            if (!r.sources().isEmpty()) {
                appendSourceScores(state[0], state[1] - 1, item, r);
            }
            responseCount++;
        }
    }

    /** The response's named sources' scores, one {@code scores} row per sample. */
    private void appendSourceScores(int key, int position, Item item, Response r) throws SQLException {
        if (sourceScores == null) {
            sourceScores = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "scores");
        }
        String promptHash = TextHash.of(item.fullPrompt());
        String responseHash = TextHash.of(r.text());
        for (Map.Entry<String, InputScore> e : r.sources().entrySet()) {
            String fingerprint = sourceFingerprints.get(e.getKey());
            if (fingerprint == null) {
                throw new IllegalStateException("score source '" + e.getKey() + "' was not declared");
            }
            sourceCounts.merge(e.getKey(), 1L, Long::sum);
            InputScore score = e.getValue();
            int n = Math.max(1, score.samples().size());
            for (int s = 0; s < n; s++) {
                double value = score.samples().isEmpty() ? score.value() : score.samples().get(s);
                sourceScores.beginRow()
                        .append(key).append(position).append(e.getKey()).append(fingerprint)
                        .append(promptHash).append(responseHash).append(value).append("ok")
                        .appendNull().appendNull() // error, raw_output
                        .append(0).append(0).append(0.0).append(0).append(0) // tokens, cost, latency, attempts
                        .appendNull().appendNull().appendNull() // call_order, endpoint, model
                        .append(created).append(s).appendNull().append(ScoreWriter.PLAIN)
                        .endRow();
            }
        }
    }

    /** The response's samples, one row each in {@code input_samples}, when its score was a list. */
    private void appendSamples(int key, int position, Response r) throws SQLException {
        if (r.samples().isEmpty()) {
            return;
        }
        if (samples == null) {
            try (Statement st = connection.createStatement()) {
                st.execute(Items.INPUT_SAMPLES); // a store made before the table existed
            }
            samples = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "input_samples");
        }
        for (int s = 0; s < r.samples().size(); s++) {
            samples.beginRow().append(key).append(position).append(s).append(r.samples().get(s)).endRow();
        }
    }

    private static void appendNullable(DuckDBAppender appender, double value) throws SQLException {
        if (Double.isNaN(value)) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }

    private static void appendNullable(DuckDBAppender appender, String value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }

    /** Items stored so far. */
    public int itemCount() {
        return seen.size();
    }

    /** Responses stored so far. */
    public long responseCount() {
        return responseCount;
    }

    /** Items whose id repeated an earlier one and were stored with a {@code #n} suffix. */
    public long renamedIds() {
        return renamedIds;
    }

    /** Appends what is still buffered and commits every item written; on failure, commits none. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Statement st = connection.createStatement()) {
            boolean committed = false;
            try {
                items.close();
                responses.close();
                if (samples != null) {
                    samples.close();
                }
                if (sourceScores != null) {
                    sourceScores.close();
                }
                st.execute("COMMIT");
                committed = true;
            } finally {
                if (!committed) {
                    st.execute("ROLLBACK");
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot finish writing items: " + e.getMessage(), e);
        }
    }
}
