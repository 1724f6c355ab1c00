package org.admap.internal.store;

import static org.admap.internal.store.RunStore.INPUT;
import static org.admap.internal.store.RunStore.LABELS;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.admap.model.Response;

/**
 * The SQL shared by the store's classes that read scores: how a source's score and standard
 * error are written as columns of {@code responses r}, and how absent numbers read back.
 */
final class ScoreSql {

    private ScoreSql() {
    }

    static double nullable(ResultSet rs, int column) throws SQLException {
        double d = rs.getDouble(column);
        return rs.wasNull() ? Response.ABSENT : d;
    }

    /**
     * The parameters of a statement over {@code source}'s scores: its name, for the one
     * {@code ?} of a scorer's {@link #scoreJoin}; none for the built-in sources.
     */
    static Object[] scorerParams(String source) {
        return source.equals(INPUT) || source.equals(LABELS) ? new Object[0] : new Object[] {source};
    }

    static String scoreExpression(String source) {
        return switch (source) {
            case INPUT -> "r.score";
            case LABELS -> "r.label";
            default -> "s.value";
        };
    }

    static String standardErrorExpression(String source) {
        return source.equals(INPUT) || source.equals(LABELS) ? "NULL::DOUBLE" : "s.se";
    }

    static String scoreJoin(String source) {
        return source.equals(INPUT) || source.equals(LABELS) ? ""
                : " LEFT JOIN " + responseScores("", true) + " s ON s.item_key = r.item_key AND s.position = " +
                        "r.position";
    }

    /**
     * One scorer source's successful scores as one row per response, for joining onto
     * {@code responses}: {@code (item_key, position, value, se)} where value is the mean of
     * the response's samples and se its standard error (see {@link Scores#forEachItemScores}); one
     * parameter, the source. With one sample and no spread, value is the stored value itself.
     *
     * @param schema    the schema to read ({@code ""}, or an attached store's {@code "other."})
     * @param withError whether to compute {@code se} (it needs the {@code spread} column, which
     *                  an attached store written before it existed lacks)
     */
    static String responseScores(String schema, boolean withError) {
        return responseScores(schema, withError, "");
    }

    /** Like {@link #responseScores(String, boolean)}, with more aggregate columns ({@code ", expr AS name"}). */
    static String responseScores(String schema, boolean withError, String moreColumns) {
        String se = withError ? ", CASE WHEN count(value) >= 2 THEN stddev_samp(value) / sqrt(count(value))"
                + " ELSE avg(spread) END AS se" : "";
        return "(SELECT item_key, position, CASE WHEN count(value) = 1 THEN any_value(value) ELSE avg(value) END"
                + " AS value" + se + moreColumns + " FROM " + schema + "scores WHERE source = ? AND status = 'ok'"
                + " AND value IS NOT NULL GROUP BY item_key, position)";
    }

    /**
     * The standard errors of the input's list-valued scores, {@code (item_key, position, se)}:
     * sd(samples, ddof=1) / sqrt(k) with k >= 2 samples, else NULL.
     */
    static String inputSampleErrors() {
        return "(SELECT item_key, position, CASE WHEN count(value) >= 2 THEN stddev_samp(value) / sqrt(count(value))"
                + " END AS se FROM input_samples GROUP BY item_key, position)";
    }
}
