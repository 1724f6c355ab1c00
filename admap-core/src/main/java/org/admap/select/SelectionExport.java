package org.admap.select;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.admap.Version;
import org.admap.internal.json.Json;
import org.admap.internal.store.AtomicFile;
import org.admap.internal.store.Reviews;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.model.MapPoint;
import org.admap.model.Region;

/**
 * Selects instructions of a run's map and writes them, or their preference pairs, to a file
 * with a provenance sidecar ({@code FILE.provenance.json}: which run, map, selection and
 * options made it). What {@code admap select} and the web viewer's export both do.
 *
 * <p>Instructions a reviewer marked {@code drop} ({@link Reviews}) are never exported; the
 * result says how many of the asked-for instructions were left out for that.
 * <pre>{@code
 * SelectionExport.Result r = SelectionExport.export(RunDirectory.existing(Path.of("run")),
 *         Target.of(Region.HIGH_AVG), null, 42,
 *         new SelectionExport.Options(PairMode.ALL, PairBuilder.By.LABELS, ExportFormat.TRL),
 *         Path.of("high-avg.jsonl"), new PrintWriter(System.err, true));
 * }</pre>
 */
public final class SelectionExport {

    private static final ObjectMapper JSON = Json.PRETTY;

    private SelectionExport() {
    }

    /**
     * How pairs are formed and written.
     *
     * @param maxPairsPerPrompt the most pairs one instruction gives (those of largest margin), 0 for all
     */
    public record Options(PairMode mode, PairBuilder.By by, ExportFormat format, int maxPairsPerPrompt) {

        public Options {
            if (maxPairsPerPrompt < 0) {
                throw new IllegalArgumentException("--max-pairs-per-prompt must be at least 1, got "
                        + maxPairsPerPrompt);
            }
        }

        /** Every pair of each instruction. */
        public Options(PairMode mode, PairBuilder.By by, ExportFormat format) {
            this(mode, by, format, 0);
        }
    }

    /**
     * What was exported.
     *
     * @param instructions   instructions selected and written
     * @param records        records written: pairs; instructions for {@link ExportFormat#MULTI} and
     *                       {@link ExportFormat#LISTWISE}; responses for {@link ExportFormat#KTO}
     * @param withoutPairs   selected instructions that gave no record (tied or identical responses)
     * @param skippedDropped instructions of the asked-for selection left out because a reviewer marked them drop
     * @param by             what ranked the pairs (labels fall back to scores when the data has none)
     * @param format         the file's format
     * @param datasetInfo    the LLaMA-Factory {@code dataset_info.json} the export was registered in, or null
     */
    public record Result(int instructions, long records, int withoutPairs, int skippedDropped, PairBuilder.By by,
                         ExportFormat format, Path datasetInfo) {
    }

    /** The provenance sidecar of an export file. */
    public static Path provenancePath(Path out) {
        return out.resolveSibling(out.getFileName() + ".provenance.json");
    }

    /**
     * Exports a region, all of the map, or the random baseline.
     *
     * @param fraction the share of the target to keep, or null for all of it (random: the size of high-avg)
     * @param notes    where notes for the user go (standard error)
     */
    public static Result export(RunDirectory run, Target target, Double fraction, long seed, Options options,
                                Path out, PrintWriter notes) throws IOException {
        return export(run, target, fraction, seed, Double.NaN, options, out, notes);
    }

    /**
     * {@link #export(RunDirectory, Target, Double, long, Options, Path, PrintWriter)} of the
     * stable instructions only: those whose {@code region_p} (the probability that they keep
     * their region when the scores are drawn again) is at least {@code minRegionP}, before
     * {@code fraction} is taken; NaN keeps every instruction.
     *
     * @throws IllegalArgumentException when a minimum is asked for and the map has no {@code region_p}
     */
    public static Result export(RunDirectory run, Target target, Double fraction, long seed, double minRegionP,
                                Options options, Path out, PrintWriter notes) throws IOException {
        try (RunStore store = RunStore.open(run.store())) {
            return export(run, SelectionSource.of(store), target, fraction, seed, minRegionP, options, out, notes);
        }
    }

    /**
     * {@link #export(RunDirectory, Target, Double, long, double, Options, Path, PrintWriter)}
     * reading the map and the items from {@code from}: the run's store, or its columns.
     */
    public static Result export(RunDirectory run, SelectionSource from, Target target, Double fraction, long seed,
                                double minRegionP, Options options, Path out, PrintWriter notes) throws IOException {
        List<MapPoint> points = from.points();
        boolean stableOnly = !Double.isNaN(minRegionP);
        if (stableOnly && points.stream().allMatch(p -> Double.isNaN(p.regionP()))) {
            throw new IllegalArgumentException("--min-region-p: the map has no region_p, because its scores"
                    + " carry no uncertainty; score with --samples K (or map data whose scores are lists of"
                    + " judgments) first");
        }
        BitSet dropped = from.dropped();
        List<MapPoint> kept = new ArrayList<>();
        int skipped = 0;
        int unstable = 0;
        for (MapPoint p : points) {
            boolean inTarget = target.region() == null || p.region() == target.region();
            if (dropped.get(p.key())) {
                skipped += inTarget ? 1 : 0;
            } else if (stableOnly && !(p.regionP() >= minRegionP)) {
                unstable += inTarget ? 1 : 0;
            } else {
                kept.add(p);
            }
        }
        if (stableOnly) {
            notes.printf(java.util.Locale.ROOT, "left out %,d instructions (%s) whose region_p is below %s%n",
                    unstable, target.cliName(), minRegionP);
        }
        double f = fraction != null ? fraction : target.random() && !kept.isEmpty()
                ? (double) kept.stream().filter(p -> p.region() == Region.HIGH_AVG).count() / kept.size()
                : 1.0;
        List<MapPoint> selected = Selector.chosen(kept, target, f, seed, from::id); // written in key order
        ObjectNode selection = JSON.createObjectNode();
        selection.put("region", target.cliName());
        selection.put("fraction", f);
        if (target.random()) {
            selection.put("seed", seed);
        }
        if (stableOnly) {
            selection.put("min_region_p", minRegionP);
            selection.put("unstable_left_out", unstable);
        }
        return write(run, from, selected, skipped, selection, options, out, notes);
    }

    /**
     * Exports the mapped instructions whose keys are set (a selection made in the web
     * viewer), in key order.
     *
     * @param description how they were selected, for the provenance (e.g. "lasso in admap serve")
     */
    public static Result exportKeys(RunDirectory run, BitSet keys, String description, Options options, Path out,
                                    PrintWriter notes) throws IOException {
        try (RunStore store = RunStore.open(run.store())) {
            return exportKeys(run, SelectionSource.of(store), keys, description, options, out, notes);
        }
    }

    /**
     * {@link #exportKeys(RunDirectory, BitSet, String, Options, Path, PrintWriter)} reading the
     * map, the reviews and the items from {@code from}: the run's store, or its columns.
     */
    public static Result exportKeys(RunDirectory run, SelectionSource from, BitSet keys, String description,
                                    Options options, Path out, PrintWriter notes) throws IOException {
        BitSet dropped = from.dropped();
        List<MapPoint> selected = new ArrayList<>();
        int skipped = 0;
        for (MapPoint p : from.points()) {
            if (keys.get(p.key())) {
                if (dropped.get(p.key())) {
                    skipped++;
                } else {
                    selected.add(p);
                }
            }
        }
        ObjectNode selection = JSON.createObjectNode();
        selection.put("region", "keys");
        selection.put("description", description);
        ArrayNode ids = selection.putArray("ids");
        selected.forEach(p -> ids.add(p.id()));
        return write(run, from, selected, skipped, selection, options, out, notes);
    }

    private static Result write(RunDirectory run, SelectionSource store, List<MapPoint> selected, int skipped,
                                ObjectNode selection, Options options, Path out, PrintWriter notes)
            throws IOException {
        String source = store.source();
        ExportFormat format = options.format();
        PairBuilder.By by = options.by();
        if (by == PairBuilder.By.LABELS && !store.hasLabels() && format.holdsPairs()) {
            notes.println("note: the data has no labels; pairs are ranked by the map's scores ('" + source + "')");
            by = PairBuilder.By.SCORES;
        }
        if (format.hasDatasetInfo()) {
            DatasetInfo.checkRegistrable(out); // before the export, so that a clash leaves nothing half done
        }
        BitSet keys = new BitSet();
        int maxKey = -1;
        for (MapPoint p : selected) {
            keys.set(p.key());
            maxKey = Math.max(maxKey, p.key());
        }
        MapPoint[] byKey = new MapPoint[maxKey + 1];
        for (MapPoint p : selected) {
            byKey[p.key()] = p;
        }
        if (by == PairBuilder.By.LABELS && !store.hasLabels() && format == ExportFormat.KTO) {
            notes.println("note: the data has no labels; completions are labelled by the map's scores ('" + source
                    + "')");
            by = PairBuilder.By.SCORES;
        }
        PairBuilder builder = new PairBuilder(options.mode(), by, options.maxPairsPerPrompt());
        // Instructions whose values all tie give no record in any format but multi: counted, not
        // read (the first one is, which decides a file's style); about half of a region's, often.
        int silent = 0;
        if (format != ExportFormat.MULTI) {
            int first = keys.nextSetBit(0);
            for (int k = first < 0 ? -1 : keys.nextSetBit(first + 1); k >= 0; k = keys.nextSetBit(k + 1)) {
                if (store.statesNoPreference(k, by)) {
                    keys.clear(k);
                    silent++;
                }
            }
        }
        int[] withoutPairs = {0};
        long records;
        boolean conversational;
        boolean images;
        try (PairExporter exporter = PairExporter.create(format, out)) {
            RecordWriter writer = new RecordWriter(exporter, format, builder, byKey);
            store.forEachItem(keys, writer::add);
            writer.flush();
            withoutPairs[0] = writer.withoutPairs() + silent;
            exporter.commit();
            records = exporter.records();
            conversational = exporter.conversational();
            images = exporter.wroteImages();
        }
        Path datasetInfo = null;
        ObjectNode entry = format.hasDatasetInfo() ? DatasetInfo.entry(format, out, conversational) : null;
        if (entry != null && images) {
            ((ObjectNode) entry.get("columns")).put("images", "images"); // LLaMA-Factory's multimodal column
        }
        if (entry != null) {
            Path dir = out.toAbsolutePath().getParent();
            datasetInfo = DatasetInfo.register(dir, DatasetInfo.name(out), entry);
        } else if (format == ExportFormat.KTO) {
            notes.println("note: the prompts are conversations, written in TRL's conversational unpaired style;"
                    + " LLaMA-Factory cannot read that style, so no dataset_info.json entry was written");
        }
        Result result = new Result(selected.size(), records, withoutPairs[0], skipped, by, format, datasetInfo);
        selection.put("instructions", result.instructions());
        selection.put("skipped_dropped", skipped);
        ObjectNode provenance = provenance(run, store, source, selection, options, result, out, entry,
                conversational);
        try (AtomicFile file = new AtomicFile(provenancePath(out))) {
            file.stream().write(JSON.writeValueAsBytes(provenance));
            file.stream().write('\n');
            file.commit();
        }
        return result;
    }

    private static ObjectNode provenance(RunDirectory run, SelectionSource store, String source, ObjectNode selection,
                                         Options options, Result r, Path out, ObjectNode datasetInfoEntry,
                                         boolean conversational) {
        PairMode mode = options.mode();
        ObjectNode root = JSON.createObjectNode();
        root.put("admap_version", Version.get());
        root.put("created", Instant.now().toString());
        root.put("file", out.getFileName().toString());
        root.put("format", r.format().cliName());
        root.put("run", run.dir().toAbsolutePath().normalize().toString());
        ObjectNode map = root.putObject("map");
        map.put("scores", source);
        map.put("created", store.mapCreated());
        root.set("selection", selection);
        if (r.format() != ExportFormat.MULTI) {
            root.put("style", conversational ? "conversational" : "standard");
        }
        if (r.format().holdsPairs()) {
            ObjectNode pairs = root.putObject("pairs");
            pairs.put("mode", mode.cliName());
            pairs.put("by", r.by().name().toLowerCase(Locale.ROOT));
            if (options.maxPairsPerPrompt() > 0) {
                pairs.put("max_per_prompt", options.maxPairsPerPrompt());
            }
            pairs.put("count", r.records());
            pairs.put("instructions_without_pairs", r.withoutPairs());
            pairs.put("score_chosen", "the chosen response's score on the map's source ('" + source
                    + "'), null when it has none");
        }
        if (r.format() == ExportFormat.KTO) {
            ObjectNode kto = root.putObject("completions");
            kto.put("by", r.by().name().toLowerCase(Locale.ROOT));
            kto.put("label", "true when the response's value is above the mean of its instruction's values");
            kto.put("count", r.records());
            kto.put("instructions_without_completions", r.withoutPairs());
        }
        if (datasetInfoEntry != null) {
            root.putObject("dataset_info").set(DatasetInfo.name(out), datasetInfoEntry);
        }
        return root;
    }
}
