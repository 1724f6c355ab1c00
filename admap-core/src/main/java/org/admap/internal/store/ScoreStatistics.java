package org.admap.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.admap.model.Response;
import org.admap.stats.Pearson;

/**
 * Statistics over the responses' scores for the report's summary: the distribution of each
 * score source, how far two sources agree on the same responses (Pearson and Spearman), and
 * which source model's responses score best. Computed in the database, so a run with
 * millions of responses costs little memory here (the agreements hold two numbers per
 * response while they add them up, in a fixed order, so a report's numbers do not move).
 *
 * <p>A score source is {@value RunStore#INPUT} (the data's scores), {@value RunStore#LABELS}
 * (the data's labels) or a scorer's name; only successful scores count.
 *
 * <p>Uses the store's connection: one store, one thread.
 */
public final class ScoreStatistics {

    /**
     * A histogram: either {@code bins} equal bins between {@code edges[0]} and
     * {@code edges[bins]}, or, for a source with no more distinct values than bins (ratings
     * 1-5), one bar per value ({@code values} non-null, {@code edges} null).
     */
    public record Histogram(double[] edges, double[] values, long[] counts) {
    }

    /**
     * One source's scores over all responses.
     *
     * @param count how many responses it scored
     * @param mean  their mean, NaN when none
     */
    public record SourceStats(String source, long count, double mean, double min, double max, Histogram histogram) {
    }

    /**
     * Agreement of two sources over the responses both scored: Pearson's r of the values and
     * Spearman's rho (Pearson's r of their ranks, ties at their average rank). NaN when fewer
     * than two responses or a constant source make it undefined.
     */
    public record Agreement(String a, String b, long n, double pearson, double spearman) {
    }

    /**
     * One source model (the model that wrote responses).
     *
     * @param model     the model's name, or the empty string for responses with none
     * @param responses how many responses it wrote
     * @param items     in how many instructions
     * @param best      in how many mapped instructions its response scored highest on the
     *                  map's source (ties: the earlier response)
     * @param means     its mean score per source (sources that scored none of its responses are absent)
     */
    public record ModelStats(String model, long responses, long items, long best, Map<String, Double> means) {
    }

    private final RunStore store;
    private final Sql db;

    private ScoreStatistics(RunStore store) {
        this.store = store;
        this.db = store.sql();
    }

    /** The statistics of a store. */
    public static ScoreStatistics of(RunStore store) {
        return new ScoreStatistics(store);
    }

    /** The values of one source as a subquery (item_key, position, value) and its parameters. */
    private record Values(String sql, List<String> params) {
    }

    private static Values values(String source) {
        return switch (source) {
            case RunStore.INPUT -> new Values("SELECT item_key, position, score AS value FROM responses"
                    + " WHERE score IS NOT NULL", List.of());
            case RunStore.LABELS -> new Values("SELECT item_key, position, label AS value FROM responses"
                    + " WHERE label IS NOT NULL", List.of());
            // one value per response: the mean of its samples when judged more than once
            default -> new Values("SELECT item_key, position, value FROM " + ScoreSql.responseScores("", false),
                    List.of(source));
        };
    }

    /** A source's count, mean, range and histogram ({@code bins} bins, or one bar per value when it has no more). */
    public SourceStats source(String source, int bins) {
        Values v = values(source);
        Summary summary = db.query("summarise the scores of " + source, "SELECT count(*), avg(value), min(value),"
                + " max(value), count(DISTINCT value) FROM (" + v.sql() + ")", v.params().toArray())
                .one(rs -> new Summary(rs.getLong(1), number(rs, 2), number(rs, 3), number(rs, 4), rs.getLong(5)));
        long count = summary.count();
        double mean = summary.mean();
        double min = summary.min();
        double max = summary.max();
        long distinct = summary.distinct();
        if (count == 0) {
            return new SourceStats(source, 0, Double.NaN, Double.NaN, Double.NaN,
                    new Histogram(null, new double[0], new long[0]));
        }
        Histogram histogram;
        if (distinct <= bins) {
            List<double[]> rows = new ArrayList<>();
            query("SELECT value, count(*) FROM (" + v.sql() + ") GROUP BY value ORDER BY value", v.params(),
                    rs -> rows.add(new double[] {rs.getDouble(1), rs.getLong(2)}));
            double[] values = new double[rows.size()];
            long[] counts = new long[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                values[i] = rows.get(i)[0];
                counts[i] = (long) rows.get(i)[1];
            }
            histogram = new Histogram(null, values, counts);
        } else {
            double width = (max - min) / bins;
            double[] edges = new double[bins + 1];
            for (int i = 0; i <= bins; i++) {
                edges[i] = min + i * width;
            }
            edges[bins] = max;
            long[] counts = new long[bins];
            // Numbers, not text: inlining them is safe, and keeps the parameters those of the subquery.
            query("SELECT least(floor((value - (" + min + ")) / (" + width + "))::BIGINT, " + (bins - 1) + ") AS b,"
                    + " count(*) FROM (" + v.sql() + ") GROUP BY b", v.params(),
                    rs -> counts[(int) rs.getLong(1)] += rs.getLong(2));
            histogram = new Histogram(edges, null, counts);
        }
        return new SourceStats(source, count, mean, min, max, histogram);
    }

    /**
     * How far two sources agree over the responses both scored. The database joins the two
     * sources and ranks them (ranks are exact: whole numbers and halves); the sums are added
     * here, by {@link Pearson}, in the order of the responses (item key, position). The
     * database's own {@code corr()} adds them in the order its threads hand it rows, and so
     * moved in the last digit from one report to the next.
     */
    public Agreement agreement(String a, String b) {
        Values va = values(a);
        Values vb = values(b);
        List<String> params = new ArrayList<>(va.params());
        params.addAll(vb.params());
        String joined = "WITH a AS (" + va.sql() + "), b AS (" + vb.sql() + "),"
                + " j AS (SELECT item_key, position, a.value AS x, b.value AS y"
                + " FROM a JOIN b USING (item_key, position))";
        // Two passes, each holding two columns (one over four would hold twice as much).
        Correlated values = correlate("correlate " + a + " with " + b,
                joined + " SELECT x, y FROM j ORDER BY item_key, position", params);
        Correlated ranks = correlate("rank " + a + " and " + b, joined + ", r AS (SELECT item_key, position,"
                + "  rank() OVER (ORDER BY x) + (count(*) OVER (PARTITION BY x) - 1) / 2.0 AS rx,"
                + "  rank() OVER (ORDER BY y) + (count(*) OVER (PARTITION BY y) - 1) / 2.0 AS ry FROM j)"
                + " SELECT rx, ry FROM r ORDER BY item_key, position", params);
        return new Agreement(a, b, values.n(), values.r(), ranks.r());
    }

    /** How many pairs a query of two numbers gave and their Pearson's r (NaN where undefined). */
    private record Correlated(long n, double r) {
    }

    /** Pearson's r of the two numbers of every row of a query, added in the query's order. */
    private Correlated correlate(String what, String sql, List<String> params) {
        Pairs p = pairs(what, sql, params);
        int n = p.size();
        return new Correlated(n, n < 2 ? Double.NaN : finite(Pearson.of(p.x(), p.y(), 0, n)));
    }

    /** Every row of a query of two numbers, in its order. */
    private Pairs pairs(String what, String sql, List<String> params) {
        Pairs p = new Pairs();
        db.query(what, sql, params.toArray()).forEach(rs -> p.add(rs.getDouble(1), rs.getDouble(2)));
        return p;
    }

    /** Two growing columns of numbers. */
    private static final class Pairs {
        private double[] x = new double[1024];
        private double[] y = new double[1024];
        private int size;

        void add(double a, double b) {
            if (size == x.length) {
                x = Arrays.copyOf(x, 2 * size);
                y = Arrays.copyOf(y, 2 * size);
            }
            x[size] = a;
            y[size++] = b;
        }

        int size() {
            return size;
        }

        double[] x() {
            return x;
        }

        double[] y() {
            return y;
        }
    }

    /**
     * Every source model's counts and mean scores per source, most responses first; "best"
     * is judged on {@code bestBy} (the map's source) over the mapped instructions.
     */
    public List<ModelStats> models(List<String> sources, String bestBy) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        query("SELECT coalesce(model, '') AS m, count(*), count(DISTINCT item_key) FROM responses"
                + " GROUP BY m ORDER BY count(*) DESC, m", List.of(),
                rs -> counts.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)}));
        Map<String, Long> best = new HashMap<>();
        Values vb = values(bestBy);
        query("SELECT coalesce(model, '') AS m, count(*) FROM (" + bestSql(vb) + ") GROUP BY m", vb.params(),
                rs -> best.put(rs.getString(1), rs.getLong(2)));
        Map<String, Map<String, Double>> means = new HashMap<>();
        for (String source : sources) {
            Values v = values(source);
            query("SELECT coalesce(r.model, '') AS m, avg(v.value) FROM responses r JOIN (" + v.sql() + ") v"
                    + " USING (item_key, position) GROUP BY m", v.params(),
                    rs -> means.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .put(source, rs.getDouble(2)));
        }
        List<ModelStats> list = new ArrayList<>();
        counts.forEach((model, c) -> {
            Map<String, Double> m = new LinkedHashMap<>();
            for (String source : sources) {
                Double mean = means.getOrDefault(model, Map.of()).get(source);
                if (mean != null) {
                    m.put(source, mean);
                }
            }
            list.add(new ModelStats(model, c[0], c[1], best.getOrDefault(model, 0L), m));
        });
        return list;
    }

    /**
     * The model of each mapped instruction's best response on {@code source} (ties: the
     * earlier response), indexed by item key; null for unmapped instructions and responses
     * without a model. Equal names share one String.
     */
    public String[] bestModels(String source) {
        String[] models = new String[(int) store.itemCount()];
        Map<String, String> names = new HashMap<>();
        Values v = values(source);
        query("SELECT item_key, model FROM (" + bestSql(v) + ")", v.params(), rs -> {
            String m = rs.getString(2);
            models[rs.getInt(1)] = m == null ? null : names.computeIfAbsent(m, k -> k);
        });
        return models;
    }

    /** item_key, model of the best-scored response of every mapped instruction. */
    private static String bestSql(Values v) {
        return "SELECT item_key, model FROM (SELECT r.item_key, r.model, row_number() OVER"
                + " (PARTITION BY r.item_key ORDER BY v.value DESC, r.position) AS rn"
                + " FROM responses r JOIN (" + v.sql() + ") v USING (item_key, position)"
                + " JOIN map_points m ON m.item_key = r.item_key) WHERE rn = 1";
    }

    /** One source's count, mean, range and number of distinct values, as {@link #source} reads them. */
    private record Summary(long count, double mean, double min, double max, long distinct) {
    }

    private void query(String sql, List<String> params, Sql.RowHandler handler) {
        db.query("compute score statistics", sql, params.toArray()).forEach(handler);
    }

    private static double number(ResultSet rs, int column) throws SQLException {
        double d = rs.getDouble(column);
        return rs.wasNull() ? Response.ABSENT : d;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : Double.NaN;
    }
}
