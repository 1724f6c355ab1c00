package org.admap.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.admap.model.ItemScores;
import org.admap.model.Response;

/**
 * Reads every instruction's labels together with its scores from several score sources at
 * once, in one streamed query, so that a diagnosis over judge, reward and reference scores
 * (or a comparison of them) passes over the run once and never holds more than one item.
 */
public final class SourceScores {

    /**
     * One instruction: its labels and, per source, one score per response (NaN where the
     * source has none).
     *
     * @param key    the run store's key of the item
     * @param id     the item's id
     * @param labels one label per response, NaN when absent
     * @param scores {@code scores[s][i]}: source s's score of response i
     * @param raw    {@code raw[s][i]}: the stored raw output of that score when it was asked for
     *               and mentions a confidence, else null (the raw outputs themselves are large
     *               and rarely needed)
     * @param standardErrors {@code standardErrors[s][i]}: that score's standard error, NaN when
     *               unknown (see {@link RunStore#forEachItemScores})
     */
    public record ScoredItem(int key, String id, double[] labels, double[][] scores, String[][] raw,
                             double[][] standardErrors) {

        /** The labels with the scores of source {@code s}. */
        public ItemScores of(int s) {
            return new ItemScores(key, id, scores[s], labels, standardErrors[s]);
        }
    }

    private SourceScores() {
    }

    /**
     * Streams every item in key order with its scores from each of {@code sources}
     * ({@link RunStore#INPUT}, {@link RunStore#LABELS} or scorer sources; successful scores
     * only).
     *
     * @param withConfidence read the raw outputs of scorer sources that mention a confidence
     */
    public static void forEach(RunStore store, List<String> sources, boolean withConfidence,
                               Consumer<ScoredItem> consumer) {
        int k = sources.size();
        StringBuilder select = new StringBuilder("SELECT r.item_key, i.id, r.label");
        StringBuilder joins = new StringBuilder();
        List<String> parameters = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            String source = sources.get(s);
            if (source.equals(RunStore.INPUT) && store.scores().hasInputSamples()) {
                // list-valued input scores: their samples' standard error, as a scorer's repeated judgments
                String alias = "s" + s;
                select.append(", r.score, NULL, ").append(alias).append(".se");
                joins.append(" LEFT JOIN ").append(ScoreSql.inputSampleErrors()).append(' ').append(alias)
                        .append(" ON ").append(alias).append(".item_key = r.item_key AND ").append(alias)
                        .append(".position = r.position");
                continue;
            }
            if (source.equals(RunStore.INPUT) || source.equals(RunStore.LABELS)) {
                select.append(source.equals(RunStore.INPUT) ? ", r.score" : ", r.label").append(", NULL, NULL");
                continue;
            }
            // One row per response: the mean of its samples, their standard error, and (when asked
            // for) the raw output of its first sample when it mentions a confidence.
            String alias = "s" + s;
            select.append(", ").append(alias).append(".value");
            select.append(withConfidence ? ", " + alias + ".raw" : ", NULL");
            select.append(", ").append(alias).append(".se");
            String raw = withConfidence ? ", arg_min(CASE WHEN raw_output LIKE '%confidence%' THEN raw_output END,"
                    + " sample) AS raw" : "";
            joins.append(" LEFT JOIN ").append(ScoreSql.responseScores("", true, raw)).append(' ')
                    .append(alias).append(" ON ").append(alias)
                    .append(".item_key = r.item_key AND ").append(alias).append(".position = r.position");
            parameters.add(source);
        }
        String sql = select + " FROM responses r JOIN items i USING (item_key)" + joins
                + " ORDER BY r.item_key, r.position";
        try (PreparedStatement ps = store.connection().prepareStatement(sql)) {
            for (int p = 0; p < parameters.size(); p++) {
                ps.setString(p + 1, parameters.get(p));
            }
            try (ResultSet rs = ps.executeQuery()) {
                int current = -1;
                String id = null;
                List<double[]> rows = new ArrayList<>();
                List<String[]> raws = new ArrayList<>();
                while (rs.next()) {
                    int key = rs.getInt(1);
                    if (key != current && current >= 0) {
                        consumer.accept(assemble(current, id, rows, raws, k));
                    }
                    current = key;
                    id = rs.getString(2);
                    double[] row = new double[2 * k + 1];
                    String[] raw = new String[k];
                    row[0] = nullable(rs, 3);
                    for (int s = 0; s < k; s++) {
                        row[s + 1] = nullable(rs, 4 + 3 * s);
                        raw[s] = rs.getString(5 + 3 * s);
                        row[k + s + 1] = nullable(rs, 6 + 3 * s);
                    }
                    rows.add(row);
                    raws.add(raw);
                }
                if (current >= 0) {
                    consumer.accept(assemble(current, id, rows, raws, k));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("run store " + store.file() + ": cannot read the scores of " + sources + ": "
                    + e.getMessage(), e);
        }
    }

    private static ScoredItem assemble(int key, String id, List<double[]> rows, List<String[]> raws, int k) {
        int n = rows.size();
        double[] labels = new double[n];
        double[][] scores = new double[k][n];
        double[][] errors = new double[k][n];
        String[][] raw = new String[k][n];
        for (int i = 0; i < n; i++) {
            labels[i] = rows.get(i)[0];
            for (int s = 0; s < k; s++) {
                scores[s][i] = rows.get(i)[s + 1];
                errors[s][i] = rows.get(i)[k + s + 1];
                raw[s][i] = raws.get(i)[s];
            }
        }
        rows.clear();
        raws.clear();
        return new ScoredItem(key, id, labels, scores, raw, errors);
    }

    private static double nullable(ResultSet rs, int column) throws SQLException {
        double d = rs.getDouble(column);
        return rs.wasNull() ? Response.ABSENT : d;
    }
}
