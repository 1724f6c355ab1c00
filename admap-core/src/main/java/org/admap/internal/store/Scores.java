package org.admap.internal.store;

import static org.admap.internal.store.RunStore.INPUT;
import static org.admap.internal.store.RunStore.LABELS;
import static org.admap.internal.store.ScoreSql.inputSampleErrors;
import static org.admap.internal.store.ScoreSql.nullable;
import static org.admap.internal.store.ScoreSql.scoreExpression;
import static org.admap.internal.store.ScoreSql.scoreJoin;
import static org.admap.internal.store.ScoreSql.scorerParams;
import static org.admap.internal.store.ScoreSql.standardErrorExpression;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.admap.model.ItemScores;

/**
 * The scores as the map and the audits read them: every source's scores per item, per
 * sample or of the first samples, their standard errors and sample counts, ranges and
 * lengths, read from {@code responses}, {@code input_samples} and {@code scores}. What the
 * scorers write and resume from is {@link Scoring}'s. Reached through {@link RunStore#scores()}.
 *
 * <p>Score sources: {@value RunStore#INPUT} is the scores that came with the data,
 * {@value RunStore#LABELS} the data's labels used as scores; every other name is a scorer's.
 *
 * <p>Uses the store's connection: one store, one thread.
 */
public final class Scores {

    private final RunStore store;
    private final Sql db;

    Scores(RunStore store) {
        this.store = store;
        this.db = store.sql();
    }

    /** Whether any response has a score from the input data. */
    public boolean hasInputScores() {
        return store.count("SELECT count(*) FROM (SELECT 1 FROM responses WHERE score IS NOT NULL LIMIT 1)") > 0;
    }

    /** Whether any response has a label. */
    public boolean hasLabels() {
        return store.count("SELECT count(*) FROM (SELECT 1 FROM responses WHERE label IS NOT NULL LIMIT 1)") > 0;
    }

    /** Whether every response's label equals its score (labels were derived from scores). */
    public boolean labelsEqualScores() {
        return store.count("SELECT count(*) FROM responses WHERE score IS DISTINCT FROM label") == 0;
    }

    /** The score sources with at least one score: built-in ones first, then scorers'. */
    public List<String> sources() {
        List<String> sources = new ArrayList<>();
        if (hasInputScores()) {
            sources.add(INPUT);
        }
        if (hasLabels()) {
            sources.add(LABELS);
        }
        store.query("SELECT DISTINCT source FROM scores WHERE value IS NOT NULL AND status = 'ok' ORDER BY source",
                rs -> sources.add(rs.getString(1)));
        return sources;
    }

    /** The lowest and highest score from a source over all responses, or NaNs when it has none. */
    public double[] range(String source) {
        String sql = "SELECT min(" + scoreExpression(source) + "), max(" + scoreExpression(source) + ")"
                + " FROM responses r" + scoreJoin(source);
        return db.query("read the score range", sql, scorerParams(source))
                .one(rs -> new double[] {nullable(rs, 1), nullable(rs, 2)});
    }

    /**
     * Streams every item's scores from one source, with its labels, in key order. Items
     * with no score at all from the source are still streamed (with NaN scores) so that
     * callers can count them.
     *
     * <p>A response judged several times ({@code --samples K}) has the mean of its successful
     * samples as its score and sd(samples, ddof=1)/sqrt(k) as its standard error; one judged
     * once has the spread of its judge's score distribution as its standard error when that
     * was computed ({@code --logprobs}), else NaN. Scores with one sample and no spread are
     * exactly the stored values. The {@value RunStore#INPUT} source's scores given as lists have the
     * mean of their samples as the score (stored so at ingest) and sd(samples, ddof=1)/sqrt(k)
     * as the standard error ({@code input_samples}).
     */
    public void forEachItemScores(String source, Consumer<ItemScores> consumer) {
        boolean inputSamples = source.equals(INPUT) && hasInputSamples();
        String scoreColumn = scoreExpression(source);
        String sql = "SELECT r.item_key, i.id, r.position, " + scoreColumn + ", r.label, "
                + (inputSamples ? "q.se" : standardErrorExpression(source))
                + " FROM responses r JOIN items i USING (item_key)" + scoreJoin(source)
                + (inputSamples ? " LEFT JOIN " + inputSampleErrors() + " q USING (item_key, position)" : "")
                + " ORDER BY r.item_key, r.position";
        ItemAssembler.streamGrouped(store, sql, source, new ScoresAssembler(), consumer);
    }

    /**
     * Streams every item's scores as {@link #forEachItemScores} does, but with each score
     * the {@code sample}-th (0-based) of its response's repeated judgments alone: the map of
     * one judgment, as if no other had been made. The standard error of each score is then
     * one judgment's, the standard deviation of the response's samples (ddof=1), NaN with
     * fewer than two. Responses without that sample have no score. For {@value RunStore#INPUT}, the
     * samples of list-valued scores; for a scorer's source, its {@code --samples}.
     */
    public void forEachItemScoresOfSample(String source, int sample, Consumer<ItemScores> consumer) {
        if (sample < 0) {
            throw new IllegalArgumentException("the sample index is 0-based, got " + sample);
        }
        if (source.equals(LABELS)) {
            throw new IllegalArgumentException("labels have no samples");
        }
        String samples;
        if (source.equals(INPUT)) {
            if (!hasInputSamples()) {
                throw new IllegalArgumentException("the data's scores are single numbers, not lists of samples:"
                        + " there is no sample " + sample + " to map");
            }
            samples = "(SELECT item_key, position, sample, value FROM input_samples)";
        } else {
            samples = "(SELECT item_key, position, sample, value FROM scores WHERE source = ? AND status = 'ok'"
                    + " AND value IS NOT NULL)";
        }
        String sql = "WITH t AS " + samples + " SELECT r.item_key, i.id, r.position, one.value, r.label, e.se"
                + " FROM responses r JOIN items i USING (item_key)"
                + " LEFT JOIN (SELECT item_key, position, value FROM t WHERE sample = " + sample + ") one"
                + " USING (item_key, position)"
                + " LEFT JOIN (SELECT item_key, position, stddev_samp(value) AS se FROM t GROUP BY item_key, position)"
                + " e USING (item_key, position)"
                + " ORDER BY r.item_key, r.position";
        ItemAssembler.streamGrouped(store, sql, source, new ScoresAssembler(), consumer);
    }

    /**
     * Streams every item's scores from a scorer's source as {@link #forEachItemScores} does,
     * counting only each response's first {@code samples} judgments (sample indexes below it):
     * the scores as they stood before any later sample was added. {@code score --adaptive}
     * decides each round from these, so that a rerun makes the same decisions whatever the
     * later rounds stored.
     */
    public void forEachItemScoresOfFirstSamples(String source, int samples, Consumer<ItemScores> consumer) {
        if (source.equals(INPUT) || source.equals(LABELS)) {
            throw new IllegalArgumentException("'" + source + "' is not a scorer's source");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("at least one sample is needed, got " + samples);
        }
        String sql = "SELECT r.item_key, i.id, r.position, s.value, r.label, s.se"
                + " FROM responses r JOIN items i USING (item_key) LEFT JOIN (SELECT item_key, position,"
                + " CASE WHEN count(value) = 1 THEN any_value(value) ELSE avg(value) END AS value,"
                + " CASE WHEN count(value) >= 2 THEN stddev_samp(value) / sqrt(count(value)) ELSE avg(spread) END"
                + " AS se FROM scores WHERE source = ? AND status = 'ok' AND value IS NOT NULL AND sample < "
                + samples + " GROUP BY item_key, position) s ON s.item_key = r.item_key AND s.position = r.position"
                + " ORDER BY r.item_key, r.position";
        ItemAssembler.streamGrouped(store, sql, source, new ScoresAssembler(), consumer);
    }

    /**
     * {@link #samplesPerScore} counting only each response's first {@code samples} judgments
     * (see {@link #forEachItemScoresOfFirstSamples}).
     */
    public int samplesPerScoreOfFirstSamples(String source, int samples) {
        String sql = "SELECT k FROM (SELECT count(*) AS k FROM scores WHERE source = ? AND status = 'ok'"
                + " AND value IS NOT NULL AND sample < " + samples + " GROUP BY item_key, position)"
                + " GROUP BY k ORDER BY count(*) DESC, k DESC LIMIT 1";
        return db.query("count the samples of '" + source + "'", sql, source).first(rs -> rs.getInt(1)).orElse(1);
    }

    /** Receives one response's number of judgments; see {@link #forEachSampleCount}. */
    @FunctionalInterface
    public interface SampleCountConsumer {
        /**
         * @param itemKey the item's key
         * @param index   the response's index in the item's score arrays (responses in position order)
         * @param samples the number of judgments its score is the mean of (0: none)
         */
        void accept(int itemKey, int index, int samples);
    }

    /**
     * Every response's number of judgments behind its score from {@code source}, counting only
     * sample indexes below {@code below} (as {@link #forEachItemScoresOfFirstSamples}; any
     * number above the largest index counts all), in the order of {@link #forEachItemScores}:
     * items in key order, responses in position order. For {@value RunStore#INPUT}, the length of each
     * list-valued score (0 for a single number); for {@value RunStore#LABELS}, 0. The stability estimate
     * takes each response's own count from it once {@code score --adaptive} has judged some
     * responses more often than others.
     */
    public void forEachSampleCount(String source, int below, SampleCountConsumer consumer) {
        String counts;
        if (source.equals(LABELS) || (source.equals(INPUT) && !hasInputSamples())) {
            counts = "(SELECT NULL::INTEGER AS item_key, NULL::INTEGER AS position, 0 AS k WHERE false)";
        } else if (source.equals(INPUT)) {
            counts = "(SELECT item_key, position, count(*) AS k FROM input_samples WHERE sample < " + below
                    + " GROUP BY item_key, position)";
        } else {
            counts = "(SELECT item_key, position, count(*) AS k FROM scores WHERE source = ? AND status = 'ok'"
                    + " AND value IS NOT NULL AND sample < " + below + " GROUP BY item_key, position)";
        }
        String sql = "SELECT r.item_key, coalesce(c.k, 0) FROM responses r LEFT JOIN " + counts
                + " c ON c.item_key = r.item_key AND c.position = r.position ORDER BY r.item_key, r.position";
        int[] last = {Integer.MIN_VALUE, 0}; // the previous row's key, and its response's index
        db.query("count the samples of each response of '" + source + "'", sql, scorerParams(source)).forEach(rs -> {
            int k = rs.getInt(1);
            last[1] = k == last[0] ? last[1] + 1 : 0;
            last[0] = k;
            consumer.accept(k, last[1], rs.getInt(2));
        });
    }

    /**
     * How many responses have how many successful judgments from a scorer's source (number of
     * samples to number of responses, ascending), as {@code score --adaptive} reports it.
     */
    public java.util.SortedMap<Integer, Long> sampleCounts(String source) {
        String sql = "SELECT k, count(*) FROM (SELECT count(*) AS k FROM scores WHERE source = ? AND status = 'ok'"
                + " AND value IS NOT NULL GROUP BY item_key, position) GROUP BY k ORDER BY k";
        java.util.SortedMap<Integer, Long> counts = new java.util.TreeMap<>();
        db.query("count the samples of '" + source + "'", sql, source)
                .forEach(rs -> counts.put(rs.getInt(1), rs.getLong(2)));
        return counts;
    }

    /** Assembles {@code (item_key, id, position, score, label, se)} rows into {@link ItemScores}. */
    private static final class ScoresAssembler extends ItemAssembler<ItemScores> {
        private final List<double[]> rows = new ArrayList<>();
        private String id;
        private boolean uncertain;

        @Override
        void row(ResultSet rs) throws SQLException {
            id = rs.getString(2);
            double[] row = {nullable(rs, 4), nullable(rs, 5), nullable(rs, 6)};
            uncertain |= !Double.isNaN(row[2]);
            rows.add(row);
        }

        @Override
        ItemScores finish(int key) {
            double[] scores = new double[rows.size()];
            double[] labels = new double[rows.size()];
            double[] errors = uncertain ? new double[rows.size()] : null;
            for (int i = 0; i < rows.size(); i++) {
                scores[i] = rows.get(i)[0];
                labels[i] = rows.get(i)[1];
                if (errors != null) {
                    errors[i] = rows.get(i)[2];
                }
            }
            rows.clear();
            uncertain = false;
            return errors == null ? new ItemScores(key, id, scores, labels)
                    : new ItemScores(key, id, scores, labels, errors);
        }
    }

    /**
     * Whether the source's scores carry a known uncertainty: list-valued input scores, or a
     * scorer's repeated judgments of a response.
     */
    public boolean hasUncertainty(String source) {
        if (source.equals(LABELS)) {
            return false;
        }
        if (source.equals(INPUT)) {
            return hasInputSamples();
        }
        return db.query("read the samples of '" + source + "'", "SELECT (SELECT count(*) FROM (SELECT 1 FROM scores"
                + " WHERE source = ? AND status = 'ok' AND value IS NOT NULL GROUP BY item_key, position"
                + " HAVING count(*) > 1 LIMIT 1)) + (SELECT count(*) FROM (SELECT 1 FROM scores WHERE source = ?"
                + " AND status = 'ok' AND spread IS NOT NULL LIMIT 1))", source, source).one(rs -> rs.getLong(1) > 0);
    }

    /** The pattern whose matches count a text's tokens in the bias audit: words, numbers, punctuation marks. */
    public static final String TOKEN_PATTERN = "[\\p{L}\\p{M}]+|\\p{N}+|[^\\s\\p{L}\\p{M}\\p{N}]";

    /** One scored response's length and score. */
    @FunctionalInterface
    public interface LengthRow {
        void accept(int key, int position, long chars, long tokens, double value);
    }

    /**
     * Every response with a score from the source, with its length in characters and in
     * tokens ({@link #TOKEN_PATTERN}) and its score (a scorer's: the mean of its samples),
     * counted inside the store so that no text is read out.
     */
    public void forEachScoredLength(String source, LengthRow row) {
        String sql = "SELECT r.item_key, r.position, length(r.text),"
                + " len(regexp_extract_all(r.text, '" + TOKEN_PATTERN + "')), " + scoreExpression(source)
                + " FROM responses r" + scoreJoin(source) + " WHERE " + scoreExpression(source) + " IS NOT NULL"
                + " ORDER BY r.item_key, r.position";
        db.query("read the lengths of the responses scored by '" + source + "'", sql, scorerParams(source))
                .forEach(rs -> row.accept(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5)));
    }

    /** One score of a call that rated several responses, with the order they were shown in. */
    @FunctionalInterface
    public interface ShownRow {
        void accept(int key, int position, int sample, String callOrder, double value);
    }

    /**
     * The source's successful scores that record the order their call showed the responses
     * in ({@code call_order}, from {@code --per-call all}); none for the built-in sources.
     */
    public void forEachShownScore(String source, ShownRow row) {
        if (source.equals(INPUT) || source.equals(LABELS)) {
            return;
        }
        db.query("read the call orders of '" + source + "'", "SELECT item_key, position, sample, call_order, value"
                + " FROM scores WHERE source = ? AND status = 'ok' AND value IS NOT NULL AND call_order IS NOT NULL"
                + " ORDER BY item_key, sample, position", source)
                .forEach(rs -> row.accept(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getString(4), rs.getDouble(5)));
    }

    /** Whether the data gave any score as a list of samples. */
    public boolean hasInputSamples() {
        return store.count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'input_samples'") > 0
                && store.count("SELECT count(*) FROM (SELECT 1 FROM input_samples LIMIT 1)") > 0;
    }

    /**
     * The number of samples a score of the source is typically the mean of: the most common
     * count of samples per scored response (1 for scores judged once, and for the labels).
     */
    public int samplesPerScore(String source) {
        String counts;
        if (source.equals(LABELS) || (source.equals(INPUT) && !hasInputSamples())) {
            return 1;
        } else if (source.equals(INPUT)) {
            counts = "SELECT count(*) AS k FROM input_samples GROUP BY item_key, position";
        } else {
            counts = "SELECT count(*) AS k FROM scores WHERE source = ? AND status = 'ok' AND value IS NOT NULL"
                    + " GROUP BY item_key, position";
        }
        String sql = "SELECT k FROM (" + counts + ") GROUP BY k ORDER BY count(*) DESC, k DESC LIMIT 1";
        // LABELS has returned: the one parameter is a scorer's source
        return db.query("count the samples of '" + source + "'", sql, scorerParams(source))
                .first(rs -> rs.getInt(1)).orElse(1);
    }
}
