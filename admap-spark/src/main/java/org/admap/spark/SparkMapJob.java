package org.admap.spark;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.diagnose.Diagnoser;
import org.admap.diagnose.Diagnosis;
import org.admap.diagnose.Duplicates;
import org.admap.diagnose.Flag;
import org.admap.ingest.IngestOptions;
import org.admap.model.ItemScores;
import org.admap.model.Region;
import org.admap.select.Pair;
import org.admap.select.PairBuilder;
import org.admap.select.PairMode;
import org.admap.spark.score.ScorerSpec;
import org.admap.spark.score.SparkScoring;
import org.admap.stats.Correlation;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * admap's map, regions, diagnosis and pairs as one Spark job, with results equal to a
 * single machine's {@code admap map}, {@code admap diagnose} and {@code admap select} on the
 * same files:
 * <ol>
 *   <li>each input file is read with the core's reader, a big one by many tasks at once
 *       ({@link InputSplits}, {@link SplitRows});</li>
 *   <li>rows become instructions with the single machine's ids and keys ({@link ItemAssembly});</li>
 *   <li>optionally, responses are scored on the executors with the core's scorers, resumably
 *       ({@link SparkScoring}), and the map is built on those scores;</li>
 *   <li>each instruction's mean, variance and agreement come from the core's arithmetic
 *       ({@link PointStats}), where the instruction lives;</li>
 *   <li>regions come from global ranks: two exact order statistics over all points
 *       ({@link RegionBoundaries}), then one comparison per point;</li>
 *   <li>where the input gave scores as lists of samples, each point's {@code region_p} and
 *       each region's stability come from the core's estimator on the driver
 *       ({@link SparkStability}: the mapped scores are collected there);</li>
 *   <li>the diagnosis runs the core's {@link Diagnoser} on each partition with thresholds
 *       computed over the whole map;</li>
 *   <li>pairs of the chosen region come from the core's {@link PairBuilder};</li>
 *   <li>map, flags and pairs are written as Parquet ({@link ParquetOutput}), with a
 *       {@code summary.json}.</li>
 * </ol>
 * Texts are read once and kept (memory, spilling to disk) only as long as the job needs them.
 * Duplicate-text findings and extra scorers of the single machine's diagnosis are not part of
 * the job.
 * <pre>{@code
 * SparkMapResult r = SparkMapJob.run(spark, SparkMapOptions.defaults(
 *         List.of("s3a://bucket/prefs/*.parquet"), "s3a://bucket/admap-out"));
 * r.regionCounts();   // {high-avg=..., low-avg=..., high-var=...}
 * }</pre>
 */
public final class SparkMapJob {

    private SparkMapJob() {
    }

    /** Runs the job and writes its results under {@code options.out()}. */
    public static SparkMapResult run(SparkSession spark, SparkMapOptions options) throws IOException {
        SparkMapped mapped = map(spark, options);
        try {
            ParquetOutput.write(spark, mapped, options);
            return mapped.result();
        } finally {
            mapped.release();
        }
    }

    /**
     * Computes everything without writing: the map, flags and pairs as distributed data sets,
     * for callers (and tests) that want them in Spark rather than in files. Call
     * {@link SparkMapped#release()} when done.
     */
    public static SparkMapped map(SparkSession spark, SparkMapOptions options) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<InputFiles.Found> found = InputFiles.found(sc.hadoopConfiguration(), options.inputs());
        List<String> files = found.stream().map(InputFiles.Found::uri).toList();
        HadoopConf conf = new HadoopConf(sc.hadoopConfiguration());
        IngestOptions read = options.read();
        LongAccumulator badRows = sc.sc().longAccumulator("admap bad rows");
        CollectionAccumulator<MissingField> missing = sc.sc().collectionAccumulator("admap missing fields");
        List<InputSplit> splits = InputSplits.plan(sc.hadoopConfiguration(), found, InputSplits.splitBytes(spark));
        // One partition per split, splits in input order: the rows come out in input order.
        JavaRDD<InputRow> rows = sc.parallelize(splits, splits.size()).mapPartitions(it -> {
            if (!it.hasNext()) {
                return java.util.Collections.emptyIterator();
            }
            return SplitRows.open(it.next(), read, conf.get(), badRows, missing);
        }).persist(StorageLevel.MEMORY_AND_DISK_SER());

        ItemAssembly.Assembled assembled = ItemAssembly.assemble(sc, rows);
        JavaRDD<KeyedItem> items = assembled.items().persist(StorageLevel.MEMORY_AND_DISK_SER());
        items.count();
        MissingField.check(missing.value(), splits);
        long skipped = badRows.value(); // every split has been read once, by the assembly
        rows.unpersist(false);

        ScorerSpec scorer = options.scorer();
        SparkScoring.Report scoring = null;
        if (scorer != null) {
            int executors = options.executors() > 0 ? options.executors() : executors(sc);
            scoring = SparkScoring.score(spark, items, scorer, options.scoreStoreRoot(), executors);
            JavaRDD<KeyedItem> scored = SparkScoring.withScores(spark, items, scorer, options.scoreStoreRoot())
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            scored.count();
            items.unpersist(false);
            items = scored;
        }
        SourceFacts facts = items.map(SourceFacts::of).fold(SourceFacts.NONE, SourceFacts::merge);
        String source = scorer == null ? facts.source(options.scores()) : facts.scorerSource(scorer.name());
        String labels = scorer == null ? facts.labelRelation(source) : facts.hasLabels() ? "independent" : "none";
        boolean fromLabels = source.equals("labels");
        boolean independent = labels.equals("independent");
        DiagnoseOptions settings = options.diagnose();
        Correlation measure = independent ? settings.correlation() : null;

        JavaRDD<PointStats> points = items.flatMap(k -> {
            PointStats p = PointStats.of(k.scores(fromLabels), measure);
            return p == null ? java.util.Collections.<PointStats>emptyIterator() : List.of(p).iterator();
        }).persist(StorageLevel.MEMORY_AND_DISK());
        long itemCount = items.count();
        RegionBoundaries boundaries = RegionBoundaries.of(points);
        if (boundaries.points() == 0) {
            throw new IllegalArgumentException("no instruction has two or more responses scored by '" + source
                    + "': the map needs at least two scores per instruction");
        }
        // region_p as 'admap map' estimates it (its --stability-* options), where the input gave lists of samples
        SparkStability.Estimate stability = scorer != null ? null
                : SparkStability.estimate(items, fromLabels, boundaries, options.stability());
        SparkStability.ByKey regionP = stability == null ? null : stability.byKey();
        JavaRDD<MapRow> map = items.flatMap(k -> {
            PointStats p = PointStats.of(k.scores(fromLabels), measure);
            return p == null ? java.util.Collections.emptyIterator()
                    : List.of(MapRow.of(p.withRegion(boundaries.regionOf(p)),
                            org.admap.model.Item.fullPrompt(k.prompt(), k.input()),
                            regionP == null ? Double.NaN : regionP.of(k.key()))).iterator();
        });
        Map<Region, Long> regionCounts = new EnumMap<>(Region.class);
        for (Region r : Region.values()) {
            regionCounts.put(r, 0L);
        }
        points.map(boundaries::regionOf).countByValue().forEach(regionCounts::put);
        Instant created = Instant.now(); // when the map's regions are known, as a single machine's map.created
        MapRanges ranges = MapRanges.merge(items.mapPartitions(it -> MapRanges.of(it, fromLabels, boundaries))
                .collect());

        Diagnoser.Thresholds thresholds = thresholds(points, settings, independent);
        double bottom = thresholds.bottomCorrelation();
        double low = thresholds.lowImpactVariance();
        long defined = thresholds.correlationDefined();
        JavaRDD<FlagsCsvRow> flags = items.mapPartitions(it -> {
            Diagnoser diagnoser = new Diagnoser(settings.withLabelsIndependent(independent));
            while (it.hasNext()) {
                KeyedItem k = it.next();
                ItemScores s = k.scores(fromLabels);
                PointStats p = PointStats.of(s, measure);
                if (p != null) {
                    diagnoser.accept(p.withRegion(boundaries.regionOf(p)), s);
                }
            }
            Diagnosis d = diagnoser.finish(Duplicates.none(), new Diagnoser.Thresholds(bottom, low, defined));
            List<FlagsCsvRow> out = new ArrayList<>(d.flags().size());
            for (Flag f : d.flags()) {
                out.add(FlagsCsvRow.of(f));
            }
            return out.iterator();
        });

        // as 'admap select': pairs by the labels, by the map's scores when the data has none
        PairBuilder.By by = options.pairBy() == PairBuilder.By.SCORES || !facts.hasLabels() ? PairBuilder.By.SCORES
                : PairBuilder.By.LABELS;
        int maxPairs = options.maxPairsPerPrompt();
        Region target = options.pairsRegion();
        PairMode mode = options.pairMode();
        JavaRDD<PairRow> pairs = items.flatMap(k -> {
            PointStats p = PointStats.of(k.scores(fromLabels), measure);
            if (p == null || target != null && boundaries.regionOf(p) != target) {
                return java.util.Collections.emptyIterator();
            }
            org.admap.model.Item item = k.toItem(fromLabels);
            List<Pair> ps = new PairBuilder(mode, by, maxPairs).pairs(item);
            List<PairRow> out = new ArrayList<>(ps.size());
            for (int i = 0; i < ps.size(); i++) {
                Pair pr = ps.get(i);
                boolean both = pr.chosen().hasScore() && pr.rejected().hasScore(); // as the single machine writes
                out.add(new PairRow(k.key(), k.id(), i, item.fullPrompt(), pr.chosen().text(), pr.rejected().text(),
                        both ? pr.chosen().score() : Double.NaN, both ? pr.rejected().score() : Double.NaN));
            }
            return out.iterator();
        });

        SparkMapResult result = new SparkMapResult(files, itemCount, boundaries.points(),
                itemCount - boundaries.points(), skipped, assembled.renamedIds(), source, labels, regionCounts,
                boundaries, thresholds, by, scoring, created, ranges, stability == null ? null : stability.stability());
        return new SparkMapped(items, points, map, flags, pairs, result);
    }

    /**
     * The executors a scorer's rate limit is divided among: {@code spark.executor.instances}
     * when set, else the executors registered now (1 in local mode, where the driver scores).
     */
    static int executors(JavaSparkContext sc) {
        int configured = sc.getConf().getInt("spark.executor.instances", 0);
        if (configured > 0) {
            return configured;
        }
        return Math.max(1, sc.sc().getExecutorMemoryStatus().size() - 1);
    }

    /** The diagnosis thresholds over the whole map, as the core's {@link Diagnoser#thresholds()} computes them. */
    static Diagnoser.Thresholds thresholds(JavaRDD<PointStats> points, DiagnoseOptions settings,
                                           boolean independent) {
        JavaRDD<Double> variances = points.map(PointStats::variance);
        long lowRank = Diagnoser.Thresholds.rank(points.count(), settings.lowImpactFraction());
        double low = lowRank == 0 ? Double.NaN : GlobalRank.at(variances, lowRank - 1);
        if (!independent) {
            return new Diagnoser.Thresholds(Double.NaN, low, 0);
        }
        JavaRDD<Double> correlations = points.map(PointStats::correlation).filter(c -> !Double.isNaN(c));
        long defined = correlations.count();
        long bottomRank = Diagnoser.Thresholds.rank(defined, settings.bottomFraction());
        double bottom = bottomRank == 0 ? Double.NaN : GlobalRank.at(correlations, bottomRank - 1);
        return new Diagnoser.Thresholds(bottom, low, defined);
    }
}
