package org.admap.internal.store;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sentence embeddings of one embedding model kept in the run store's {@code embeddings}
 * table, keyed by text hash: a text is embedded once per run store, whatever scorer, source
 * or rerun asks for it again.
 *
 * <p>Thread-safe: scoring threads share one cache. It reads and writes on a connection of its
 * own, never on the store's, so it can be used while the store streams items on another
 * thread. The hashes it holds are kept in memory (about 100 bytes each), so asking whether a
 * text is cached costs no query; the vectors stay on disk until asked for.
 */
public final class EmbeddingCache implements AutoCloseable {

    /** Sentence embeddings, one per (text, model): a text is embedded once. */
    static final String EMBEDDINGS = """
            CREATE TABLE embeddings (
                text_hash VARCHAR NOT NULL,
                model     VARCHAR NOT NULL,
                vector    FLOAT[] NOT NULL,
                created   TIMESTAMP
            )""";

    /** The tables, in the order a new store creates them. */
    static final List<String> TABLES = List.of(EMBEDDINGS);

    /** Texts looked up in one query. */
    private static final int CHUNK = 500;

    private final Path file;
    private final Connection connection;
    private final Sql db;
    private final String model;
    private Set<String> known;

    private EmbeddingCache(Path file, Connection connection, String model) {
        this.file = file;
        this.connection = connection;
        this.db = new Sql(connection, file);
        this.model = model;
    }

    /** The cache of {@code model}'s embeddings in a store, on a connection of its own. */
    public static EmbeddingCache open(RunStore store, String model) {
        try {
            return new EmbeddingCache(store.file(), store.connection().duplicate(), model);
        } catch (SQLException e) {
            throw new StoreException("run store " + store.file() + ": cannot open the embedding cache: "
                    + e.getMessage(), e);
        }
    }

    /** The embedding models that have vectors in a store, in name order. */
    public static List<String> models(RunStore store) {
        return store.sql().query("list the embedding models", "SELECT DISTINCT model FROM embeddings ORDER BY model")
                .list(rs -> rs.getString(1));
    }

    /** The embedding model whose vectors this cache holds. */
    public String model() {
        return model;
    }

    /** Whether the text with this hash has a stored embedding. */
    public synchronized boolean contains(String textHash) {
        return known().contains(textHash);
    }

    /** How many texts have a stored embedding from this model. */
    public synchronized int size() {
        return known().size();
    }

    /** The stored embeddings of those of the texts that have one, by text hash. */
    public synchronized Map<String, float[]> get(Collection<String> textHashes) {
        List<String> wanted = new ArrayList<>();
        for (String h : new HashSet<>(textHashes)) {
            if (known().contains(h)) {
                wanted.add(h);
            }
        }
        Map<String, float[]> found = new HashMap<>();
        for (int from = 0; from < wanted.size(); from += CHUNK) {
            List<String> chunk = wanted.subList(from, Math.min(wanted.size(), from + CHUNK));
            Array hashes;
            try {
                hashes = connection.createArrayOf("VARCHAR", chunk.toArray(new String[0]));
            } catch (SQLException e) {
                throw StoreException.cannot(file, "read embeddings", e);
            }
            db.query("read embeddings", "SELECT text_hash, vector FROM embeddings WHERE model = ?"
                    + " AND list_contains(?, text_hash)", model, hashes)
                    .forEach(rs -> found.put(rs.getString(1), floats(rs.getArray(2))));
        }
        return found;
    }

    /** Stores embeddings by text hash, in one transaction; texts already stored are left as they are. */
    public synchronized void put(Map<String, float[]> vectors) {
        Map<String, float[]> fresh = new HashMap<>();
        vectors.forEach((h, v) -> {
            if (!known().contains(h)) {
                fresh.put(h, v);
            }
        });
        if (fresh.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO embeddings VALUES (?, ?, ?, ?)")) {
                for (Map.Entry<String, float[]> e : fresh.entrySet()) {
                    float[] v = e.getValue();
                    Float[] boxed = new Float[v.length];
                    for (int i = 0; i < v.length; i++) {
                        boxed[i] = v[i];
                    }
                    ps.setString(1, e.getKey());
                    ps.setString(2, model);
                    ps.setArray(3, connection.createArrayOf("FLOAT", boxed));
                    ps.setTimestamp(4, now);
                    ps.executeUpdate();
                }
            }
            connection.commit();
            known.addAll(fresh.keySet());
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the write error is the one to report
            }
            throw StoreException.cannot(file, "store " + fresh.size() + " embeddings", e);
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is unusable anyway
            }
        }
    }

    private Set<String> known() {
        if (known == null) {
            Set<String> hashes = new HashSet<>();
            db.query("read embeddings", "SELECT DISTINCT text_hash FROM embeddings WHERE model = ?", model)
                    .forEach(rs -> hashes.add(rs.getString(1)));
            known = hashes;
        }
        return known;
    }

    private static float[] floats(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        float[] v = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            v[i] = ((Number) values[i]).floatValue();
        }
        return v;
    }

    /** Closes the cache's connection (not the store). */
    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the embedding cache of " + file + ": " + e.getMessage(), e);
        }
    }
}
