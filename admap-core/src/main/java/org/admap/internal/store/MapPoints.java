package org.admap.internal.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The current map in the run store ({@code map_points} table, one row per mapped
 * instruction): replaced whole by every {@code map}, read back by {@code select}, the
 * report and the viewer. Reached through {@link RunStore#map()}.
 *
 * <p>Uses the store's connection: one store, one thread.
 */
public final class MapPoints {

    /**
     * The current map: one row per mapped instruction (n >= 2 scored responses). Stores made
     * before region_p existed get it with their next map ({@link #replace}).
     */
    static final String MAP_POINTS = """
            CREATE TABLE map_points (
                item_key    INTEGER NOT NULL,
                n           INTEGER NOT NULL,
                mean        DOUBLE NOT NULL,
                variance    DOUBLE NOT NULL,
                std         DOUBLE NOT NULL,
                region      VARCHAR NOT NULL,
                correlation DOUBLE,
                region_p    DOUBLE
            )""";

    /** The tables, in the order a new store creates them. */
    static final List<String> TABLES = List.of(MAP_POINTS);

    private final RunStore store;

    MapPoints(RunStore store) {
        this.store = store;
    }

    /** Replaces the stored map with these points. */
    public void replace(Iterable<MapPoint> points) {
        DuckDBConnection connection = store.connection();
        try {
            addRegionPColumn();
        } catch (SQLException e) {
            throw StoreException.cannot(store.file(), "write the map", e);
        }
        store.atomically("write the map", () -> {
            store.sql().execute("DELETE FROM map_points");
            try (DuckDBAppender app = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "map_points")) {
                for (MapPoint p : points) {
                    app.beginRow().append(p.key()).append(p.n()).append(p.mean()).append(p.variance())
                            .append(p.std()).append(p.region().cliName());
                    if (Double.isNaN(p.correlation())) {
                        app.appendNull();
                    } else {
                        app.append(p.correlation());
                    }
                    if (Double.isNaN(p.regionP())) {
                        app.appendNull();
                    } else {
                        app.append(p.regionP());
                    }
                    app.endRow();
                }
            }
        });
    }

    /** The stored map's points in key order. */
    public List<MapPoint> points() {
        List<MapPoint> points = new ArrayList<>();
        boolean withRegionP = hasRegionPColumn();
        store.query("SELECT m.item_key, i.id, m.n, m.mean, m.variance, m.std, m.region, m.correlation, "
                + (withRegionP ? "m.region_p" : "NULL::DOUBLE")
                + " FROM map_points m JOIN items i USING (item_key) ORDER BY m.item_key", rs -> {
                    points.add(new MapPoint(rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getDouble(4),
                            rs.getDouble(5), rs.getDouble(6), Region.parse(rs.getString(7)), ScoreSql.nullable(rs, 8),
                            ScoreSql.nullable(rs, 9)));
                });
        return points;
    }

    /** Whether the stored map has a {@code region_p} column (stores made before it existed lack it). */
    private boolean hasRegionPColumn() {
        return store.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'map_points'"
                + " AND column_name = 'region_p'") > 0;
    }

    /** Adds the {@code region_p} column to the map of a store made before it existed. */
    private void addRegionPColumn() throws SQLException {
        if (!hasRegionPColumn()) {
            store.sql().execute("ALTER TABLE map_points ADD COLUMN IF NOT EXISTS region_p DOUBLE");
        }
    }
}
