package org.admap.store;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.admap.model.Item;
import org.admap.model.RepeatedIds;
import org.admap.model.Response;
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
                    .append(item.source().line())
                    .endRow();
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
            responseCount++;
        }
    }

    /** The response's samples, one row each in {@code input_samples}, when its score was a list. */
    private void appendSamples(int key, int position, Response r) throws SQLException {
        if (r.samples().isEmpty()) {
            return;
        }
        if (samples == null) {
            try (Statement st = connection.createStatement()) {
                st.execute(RunStore.INPUT_SAMPLES_TABLE); // a store made before the table existed
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
