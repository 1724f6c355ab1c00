package org.admap.spark.score;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.admap.internal.score.http.RateLimiter;
import org.admap.model.Item;
import org.admap.model.TextHash;
import org.admap.score.ScoreTask;
import org.admap.score.Scorer;
import org.admap.spark.HadoopConf;
import org.admap.spark.KeyedItem;
import org.admap.spark.ResponseRow;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Scores every response of a job that has no stored successful score, on the executors,
 * with the core's scorers; then gives the instructions their scores from the store.
 * <ol>
 *   <li>every response becomes a {@link ResponseTask} keyed by (prompt hash, response hash),
 *       identical ones scored once, as on a single machine;</li>
 *   <li>keys already in the {@link ScoreStore} with a value are left out (a rerun, a
 *       resubmitted job or a retried task sends nothing twice, beyond the unfinished chunk
 *       of a task that died);</li>
 *   <li>the rest is spread over tasks, each scoring with its own client, {@code concurrency}
 *       calls in flight and the executor's share of the global rate limit.</li>
 * </ol>
 */
public final class SparkScoring {

    private SparkScoring() {
    }

    /**
     * What a scoring pass did.
     *
     * @param name        the score source's name
     * @param fingerprint the scorer configuration's fingerprint
     * @param store       the store's directory
     * @param responses   distinct (prompt, response) keys of the data
     * @param stored      of those, already scored before this pass
     * @param ok          scored successfully in this pass
     * @param failed      failed in this pass (tried again by the next)
     * @param executors   the number of executors the rate limit was divided among
     */
    public record Report(String name, String fingerprint, String store, long responses, long stored, long ok,
                         long failed, int executors) {
    }

    /** The fingerprint of a scorer's configuration (built without calling its server). */
    public static String fingerprint(ScorerSpec spec) {
        try (Scorer s = spec.create(RateLimiter.unlimited())) {
            return s.config().fingerprint();
        }
    }

    /**
     * Scores what the store lacks.
     *
     * @param root      the directory of the score stores (one subdirectory per fingerprint)
     * @param executors the number of executors sharing the rate limit
     */
    public static Report score(SparkSession spark, JavaRDD<KeyedItem> items, ScorerSpec spec, String root,
                               int executors) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String fingerprint = fingerprint(spec);
        ScoreStore store = new ScoreStore(root, fingerprint);
        JavaPairRDD<ResponseKey, ResponseTask> all = items.flatMapToPair(k -> {
            String prompt = Item.fullPrompt(k.prompt(), k.input());
            String promptHash = ScoreTask.promptHash(prompt, k.reference(), false);
            List<Tuple2<ResponseKey, ResponseTask>> out = new ArrayList<>();
            for (int i = 0; i < k.responses().size(); i++) {
                String text = k.responses().get(i).text();
                ResponseTask t = new ResponseTask(k.key(), k.id(), prompt, promptHash, k.reference(), i, text,
                        TextHash.of(text));
                out.add(new Tuple2<>(t.key(), t));
            }
            return out.iterator();
        }).reduceByKey((a, b) -> a.itemKey() < b.itemKey() || a.itemKey() == b.itemKey()
                && a.position() <= b.position() ? a : b); // the first in input order, as on a single machine
        long responses = all.count();
        JavaRDD<ResponseTask> pending = all.subtractByKey(store.ok(spark)).values();
        long toScore = pending.count();
        long ok = 0;
        long failed = 0;
        if (toScore > 0) {
            int partitions = (int) Math.max(1, Math.min(toScore, Math.max(sc.defaultParallelism(), toScore / 5000)));
            HadoopConf conf = new HadoopConf(sc.hadoopConfiguration());
            String dir = store.dir().toString();
            List<PartitionScoring.Counts> counts = pending.repartition(partitions).mapPartitions(it ->
                    List.of(PartitionScoring.run(it, spec, fingerprint, dir, conf.get(), executors)).iterator())
                    .collect();
            for (PartitionScoring.Counts c : counts) {
                ok += c.ok();
                failed += c.failed();
            }
        }
        return new Report(spec.name(), fingerprint, store.dir().toString(), responses, responses - toScore, ok, failed,
                executors);
    }

    /**
     * The instructions with every response's score replaced by the stored score of this
     * scorer (NaN where it has none or failed), labels untouched, partitions in key order.
     */
    public static JavaRDD<KeyedItem> withScores(SparkSession spark, JavaRDD<KeyedItem> items, ScorerSpec spec,
                                                String root) throws IOException {
        ScoreStore store = new ScoreStore(root, fingerprint(spec));
        JavaPairRDD<ResponseKey, Tuple2<Integer, Integer>> positions = items.flatMapToPair(k -> {
            String promptHash = ScoreTask.promptHash(Item.fullPrompt(k.prompt(), k.input()), k.reference(), false);
            List<Tuple2<ResponseKey, Tuple2<Integer, Integer>>> out = new ArrayList<>();
            for (int i = 0; i < k.responses().size(); i++) {
                out.add(new Tuple2<>(new ResponseKey(promptHash, TextHash.of(k.responses().get(i).text())),
                        new Tuple2<>(k.key(), i)));
            }
            return out.iterator();
        });
        JavaPairRDD<Integer, Iterable<Tuple2<Integer, Double>>> byItem = positions.join(store.ok(spark))
                .mapToPair(t -> new Tuple2<>(t._2()._1()._1(), new Tuple2<>(t._2()._1()._2(), t._2()._2())))
                .groupByKey();
        return items.mapToPair(k -> new Tuple2<>(k.key(), k)).leftOuterJoin(byItem).sortByKey().values().map(t -> {
            KeyedItem k = t._1();
            double[] scores = new double[k.responses().size()];
            java.util.Arrays.fill(scores, Double.NaN);
            if (t._2().isPresent()) {
                for (Tuple2<Integer, Double> s : t._2().get()) {
                    scores[s._1()] = s._2();
                }
            }
            List<ResponseRow> rs = new ArrayList<>(scores.length);
            for (int i = 0; i < scores.length; i++) {
                ResponseRow r = k.responses().get(i);
                rs.add(new ResponseRow(r.text(), scores[i], r.label(), r.model()));
            }
            return new KeyedItem(k.key(), k.id(), k.prompt(), k.input(), k.reference(), rs);
        });
    }
}
