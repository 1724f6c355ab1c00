package org.admap.internal.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.admap.model.Region;

/**
 * Joins a run with another run's store, attached read-only inside DuckDB, so that two maps
 * of a million instructions are compared by one query each rather than by loading both.
 * Instructions are joined by id (the n-th instruction with an id in one run with the n-th
 * with that id in the other, so repeated ids still pair up); responses by instruction and
 * text (the n-th response with a text with the n-th with the same text), so the order of
 * responses in the two inputs does not matter.
 *
 * <p>Open one with {@link #attach}, read, and close it: the other store is detached.
 */
public final class CrossRun implements AutoCloseable {

    private static final String OTHER = "admap_other";

    private final RunStore store;
    private final Path other;

    private CrossRun(RunStore store, Path other) {
        this.store = store;
        this.other = other;
    }

    /** Attaches the other run's store (read-only) to this one's connection. */
    public static CrossRun attach(RunStore store, Path otherStore) {
        if (!Files.isRegularFile(otherStore)) {
            throw new StoreException("no run store at " + otherStore);
        }
        try {
            if (Files.isSameFile(store.file(), otherStore)) {
                throw new IllegalArgumentException("both runs are " + otherStore + ": to compare score sources of"
                        + " one run, use 'admap compare DIR --scores A,B'");
            }
        } catch (java.io.IOException e) {
            throw new StoreException("cannot read " + otherStore + ": " + e.getMessage(), e);
        }
        String path = otherStore.toAbsolutePath().toString().replace("'", "''");
        try (Statement st = store.connection().createStatement()) {
            st.execute("ATTACH '" + path + "' AS " + OTHER + " (READ_ONLY)");
        } catch (SQLException e) {
            throw new StoreException("cannot open the run store " + otherStore + ": " + e.getMessage(), e);
        }
        CrossRun cross = new CrossRun(store, otherStore);
        String version = cross.otherInfo("schema_version").orElse(null);
        if (!RunStore.SCHEMA_VERSION.equals(version)) {
            cross.close();
            throw new StoreException(otherStore + " has run-store schema version " + version + ", this admap reads "
                    + RunStore.SCHEMA_VERSION);
        }
        return cross;
    }

    /** A provenance entry of the other run. */
    public Optional<String> otherInfo(String key) {
        try (PreparedStatement ps = store.connection().prepareStatement(
                "SELECT value FROM " + OTHER + ".run_info WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException(other + " is not an admap run store: " + e.getMessage(), e);
        }
    }

    /**
     * The two current maps, joined by instruction id.
     *
     * @param pointsA   points on this run's map
     * @param pointsB   points on the other's
     * @param meanA     per joined instruction, in this run's id order, the mean on this map
     * @param varianceA its variance on this map
     * @param regionA   its region on this map
     * @param meanB     the same on the other map
     * @param varianceB ...
     * @param regionB   ...
     */
    public record JoinedMaps(long pointsA, long pointsB, double[] meanA, double[] varianceA, Region[] regionA,
                             double[] meanB, double[] varianceB, Region[] regionB) {
    }

    public JoinedMaps maps() {
        String points = "SELECT i.id, row_number() OVER (PARTITION BY i.id ORDER BY i.item_key) AS occ, m.mean,"
                + " m.variance, m.region FROM %1$smap_points m JOIN %1$sitems i USING (item_key)";
        String sql = "WITH a AS (" + String.format(points, "") + "), b AS (" + String.format(points, OTHER + ".")
                + ") SELECT a.mean, a.variance, a.region, b.mean, b.variance, b.region"
                + " FROM a JOIN b ON a.id = b.id AND a.occ = b.occ ORDER BY a.id, a.occ";
        long countA = count("SELECT count(*) FROM map_points");
        long countB = count("SELECT count(*) FROM " + OTHER + ".map_points");
        List<double[]> numbers = new ArrayList<>();
        List<Region[]> regions = new ArrayList<>();
        try (Statement st = store.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                numbers.add(new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(4), rs.getDouble(5)});
                regions.add(new Region[] {Region.parse(rs.getString(3)), Region.parse(rs.getString(6))});
            }
        } catch (SQLException e) {
            throw fail("join the maps", e);
        }
        int n = numbers.size();
        JoinedMaps j = new JoinedMaps(countA, countB, new double[n], new double[n], new Region[n], new double[n],
                new double[n], new Region[n]);
        for (int i = 0; i < n; i++) {
            double[] x = numbers.get(i);
            j.meanA()[i] = x[0];
            j.varianceA()[i] = x[1];
            j.meanB()[i] = x[2];
            j.varianceB()[i] = x[3];
            j.regionA()[i] = regions.get(i)[0];
            j.regionB()[i] = regions.get(i)[1];
        }
        return j;
    }

    /**
     * Per response present in both runs with a score from each source: the two scores, as
     * two parallel arrays.
     */
    public double[][] responseScores(String sourceA, String sourceB) {
        String responses = "SELECT i.id, i.occ, md5(r.text) AS h, row_number() OVER (PARTITION BY r.item_key,"
                + " md5(r.text) ORDER BY r.position) AS hocc, %2$s AS v FROM %1$sresponses r JOIN"
                + " (SELECT item_key, id, row_number() OVER (PARTITION BY id ORDER BY item_key) AS occ"
                + " FROM %1$sitems) i USING (item_key)%3$s";
        String sql = "WITH a AS (" + String.format(responses, "", expression(sourceA), join(sourceA, ""))
                + "), b AS (" + String.format(responses, OTHER + ".", expression(sourceB), join(sourceB, OTHER + "."))
                + ") SELECT a.v, b.v FROM a JOIN b ON a.id = b.id AND a.occ = b.occ AND a.h = b.h AND a.hocc = b.hocc"
                + " WHERE a.v IS NOT NULL AND b.v IS NOT NULL ORDER BY a.id, a.occ, a.h, a.hocc";
        List<double[]> rows = new ArrayList<>();
        try (PreparedStatement ps = store.connection().prepareStatement(sql)) {
            int p = 1;
            if (!builtIn(sourceA)) {
                ps.setString(p++, sourceA);
            }
            if (!builtIn(sourceB)) {
                ps.setString(p, sourceB);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new double[] {rs.getDouble(1), rs.getDouble(2)});
                }
            }
        } catch (SQLException e) {
            throw fail("join the responses' scores", e);
        }
        double[][] out = new double[2][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            out[0][i] = rows.get(i)[0];
            out[1][i] = rows.get(i)[1];
        }
        return out;
    }

    private static boolean builtIn(String source) {
        return source.equals(RunStore.INPUT) || source.equals(RunStore.LABELS);
    }

    private static String expression(String source) {
        return switch (source) {
            case RunStore.INPUT -> "r.score";
            case RunStore.LABELS -> "r.label";
            default -> "s.value";
        };
    }

    private static String join(String source, String schema) {
        return builtIn(source) ? "" : " LEFT JOIN " + ScoreSql.responseScores(schema, false)
                + " s ON s.item_key = r.item_key AND s.position = r.position";
    }

    private long count(String sql) {
        try (Statement st = store.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw fail("count", e);
        }
    }

    private StoreException fail(String what, SQLException e) {
        return new StoreException("cannot " + what + " of " + store.file() + " and " + other + ": " + e.getMessage(),
                e);
    }

    /** Detaches the other store. */
    @Override
    public void close() {
        try (Statement st = store.connection().createStatement()) {
            st.execute("DETACH " + OTHER);
        } catch (SQLException e) {
            throw new StoreException("cannot detach " + other + ": " + e.getMessage(), e);
        }
    }
}
