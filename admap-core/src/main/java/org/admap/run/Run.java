package org.admap.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.admap.Progress;
import org.admap.compare.MapComparison;
import org.admap.diagnose.BiasAudit;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.diagnose.Diagnosis;
import org.admap.diagnose.SelfValidation;
import org.admap.ingest.ReferenceFile;
import org.admap.internal.columns.ColumnDiagnosis;
import org.admap.internal.columns.ColumnSelection;
import org.admap.internal.columns.InputChangedException;
import org.admap.internal.columns.InputTexts;
import org.admap.internal.columns.RunColumns;
import org.admap.internal.compare.CompareJob;
import org.admap.internal.csv.CsvCells;
import org.admap.internal.diagnose.DiagnoseJob;
import org.admap.internal.diagnose.FlagsCsv;
import org.admap.internal.diagnose.FlipsCsv;
import org.admap.internal.ingest.hub.HubDataset;
import org.admap.internal.map.MapCsv;
import org.admap.internal.map.MapJob;
import org.admap.internal.run.ComparisonJson;
import org.admap.internal.run.DiagnosisJson;
import org.admap.internal.run.DiskFull;
import org.admap.internal.run.FullIngestRun;
import org.admap.internal.run.Outputs;
import org.admap.internal.run.RunCommit;
import org.admap.internal.run.ScannedRun;
import org.admap.internal.run.StoreFlags;
import org.admap.internal.run.StoreHydration;
import org.admap.internal.run.SummaryJson;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.store.DeferredStore;
import org.admap.internal.store.ItemReferences;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.StoreException;
import org.admap.map.AlignmentMap;
import org.admap.map.Degeneracy;
import org.admap.map.StabilityOptions;
import org.admap.model.Region;
import org.admap.score.Scorer;
import org.admap.score.ScoringOptions;
import org.admap.score.ScoringReport;
import org.admap.select.SelectionExport;
import org.admap.select.Target;

/**
 * A run: the directory {@code admap map} made, its store and the outputs derived from it,
 * and everything done to it. Every command goes through here (the command line only parses
 * options and prints), so that how a run is created, opened, mapped, diagnosed, scored and
 * selected from is decided in one place and the same for the CLI, the viewer and Spark.
 *
 * <p>{@link #create} picks the way itself: the parallel scan of ids and scores when every
 * input allows it (the store, with the texts, is then built when first needed), else the
 * full ingest. {@link #open} builds such a deferred store before returning.
 *
 * <p>From a preference-data file {@code input} to the high-quality third of its map in a new
 * run directory {@code dir}, as {@code admap map}, {@code admap diagnose} and {@code admap select}
 * do it (run as written by {@code ApiExamplesTest} on {@code examples/demo.jsonl}: 17/16/17
 * instructions per region, 3 flagged misannotated, 68 pairs):
 * <pre>{@code
 * Run.Created created = Run.create(CreateOptions.of(List.of(input.toString()), dir), Progress.Factory.NONE);
 * Map<Region, Long> regions = created.map().regionCounts();    // instructions per region
 * Run run = created.run();                                     // later: Run.open(dir, Progress.Factory.NONE)
 * Run.Diagnosed diagnosed = run.diagnose(DiagnoseOptions.paper(true), true, null);
 * Map<Reason, Long> flagged = diagnosed.diagnosis().countsByReason();
 * SelectionExport.Options trl = new SelectionExport.Options(PairMode.ALL, PairBuilder.By.LABELS,
 *         ExportFormat.TRL);
 * SelectionExport.Result pairs = run.select(Target.of(Region.HIGH_AVG), null, 0, trl,
 *         dir.resolve("high-avg.jsonl"), false, new PrintWriter(System.err, true));
 * }</pre>
 * {@link #score} gives the responses scores of a {@link Scorer} (see its example) and
 * {@link #map} maps on them. This class, {@link org.admap.map.AlignmentMap}, {@link Scorer},
 * {@link org.admap.ingest.DatasetReader} and {@link org.admap.select.PairExporter} are the
 * public API a library user starts from ({@code docs/architecture.md}).
 */
public final class Run {

    /** How a run was created. */
    public enum Way {
        /** From a scan of ids and scores; the store is built when a command first needs it. */
        SCAN,
        /** By the full ingest: the store holds every text. */
        FULL_INGEST
    }

    /**
     * A new run.
     *
     * @param run       the run
     * @param way       how it was made
     * @param map       its map, or null when the data has neither scores nor labels (see
     *                  {@link CreateOptions#mapRequired()})
     * @param facts     what it read: inputs, counts, score range
     * @param badRows   rows skipped (with {@code --skip-bad-rows})
     * @param downloads the Hub datasets it was made from
     */
    public record Created(Run run, Way way, AlignmentMap map, RunFacts facts, long badRows,
                          List<HubDataset.Download> downloads) {
    }

    /** A map rebuilt from the store, and the facts of its run. */
    public record Mapped(AlignmentMap map, RunFacts facts) {
    }

    /** The self-validation {@code diagnose --inject-flips} runs: which share to flip, the seed, k. */
    public record Flips(double percent, long seed, int atK) {
    }

    /**
     * A diagnosis written to the run.
     *
     * @param source     the score source of the map it judged
     * @param diagnosis  the flags and counts
     * @param validation the self-validation, or null
     * @param bias       the bias audit (length, shown position) of the map's scores and of each scorer's
     */
    public record Diagnosed(String source, Diagnosis diagnosis, SelfValidation.Result validation,
                            List<BiasAudit> bias) {

        public Diagnosed {
            bias = List.copyOf(bias);
        }
    }

    /**
     * A scoring pass over the run.
     *
     * @param report the pass
     * @param failed responses of the source with a failed score, this pass's and earlier ones
     * @param errors the most frequent reasons of those failures, with their counts
     * @param done   responses (judgments, with samples) that a rerun of the pass would not send
     *               again: scored, or failed without a retry of failures
     * @param total  responses (judgments) of the run
     */
    public record Scored(ScoringReport report, long failed, Map<String, Long> errors, long done, long total) {
    }

    /** Opens the scorer of a scoring pass on the run's store (a reference scorer reads the store). */
    @FunctionalInterface
    public interface ScorerFactory {
        Scorer open(RunStore store) throws Exception;
    }

    private final RunDirectory directory;
    /** How the CSV files this writes (map.csv, flags.csv, flips.csv) write their text cells. */
    private final CsvCells cells;
    /** What a deferred store's build reports to ({@link #openDeferred}). */
    private final Progress.Factory progress;

    private Run(RunDirectory directory) {
        this(directory, CsvCells.NEUTRALISED);
    }

    private Run(RunDirectory directory, CsvCells cells) {
        this(directory, cells, Progress.Factory.NONE);
    }

    private Run(RunDirectory directory, CsvCells cells, Progress.Factory progress) {
        this.directory = directory;
        this.cells = cells;
        this.progress = progress;
    }

    /**
     * This run, writing the text cells of its CSV files as {@code value} says: neutralised
     * against spreadsheet formulas (the default) or raw ({@code --csv-raw}).
     */
    public Run withCsvCells(CsvCells value) {
        return new Run(directory, value, progress);
    }

    /**
     * Creates a run from the inputs: all or nothing (a failure, Ctrl-C or bad input leaves no
     * run behind, and a directory this created is removed again).
     */
    public static Created create(CreateOptions o, Progress.Factory progress) throws IOException {
        return create(o, CsvCells.NEUTRALISED, progress);
    }

    /** {@link #create(CreateOptions, Progress.Factory)}, map.csv's text cells written as {@code cells} says. */
    public static Created create(CreateOptions o, CsvCells cells, Progress.Factory progress) throws IOException {
        try {
            return createRun(o, cells, progress);
        } catch (IOException | RuntimeException e) {
            String full = DiskFull.where(e);
            if (full != null && !(e instanceof RunException)) {
                throw new RunException(full + ": no space left on device (disk full) while writing the run;"
                        + " nothing of it was kept: free some space, or write the run elsewhere with --out");
            }
            throw e;
        }
    }

    private static Created createRun(CreateOptions o, CsvCells cells, Progress.Factory progress) throws IOException {
        // Tables to join read as if each were a dataset: said before either way reads anything,
        // or, for files whose layout is not recognised, in the error.
        List<Path> local = o.inputs().stream().filter(n -> !org.admap.internal.ingest.hub.HubUri.isHub(n)).map(Path::of)
                .filter(Files::isRegularFile).toList();
        org.admap.ingest.TableMix.check(local, o.ingest());
        try {
            return createRunChecked(o, cells, progress);
        } catch (org.admap.ingest.IngestException e) {
            throw org.admap.ingest.TableMix.explain(e, local, o.ingest());
        }
    }

    private static Created createRunChecked(CreateOptions o, CsvCells cells, Progress.Factory progress)
            throws IOException {
        // The scan maps the means of the scores only: a stability estimate or a map of one
        // judgment needs the store (the scores' samples and standard errors).
        if (!o.fullIngest() && o.stability().equals(StabilityOptions.DEFAULTS) && o.query() == null) {
            ScannedRun.Written scanned = ScannedRun.create(o.inputs(), o.ingest(), o.out(), o.force(), o.scores(),
                    o.correlation(), progress, o.threads(), cells);
            if (scanned != null) {
                return new Created(new Run(scanned.run(), cells), Way.SCAN, scanned.map().map(), scanned.facts(), 0,
                        List.of());
            }
        }
        FullIngestRun.Built r = FullIngestRun.create(o, progress, cells);
        RunFacts facts;
        try (RunStore store = RunStore.open(r.run().store())) {
            facts = RunFacts.of(store, r.map() != null ? r.map().provenance().scoreSource() : RunStore.INPUT);
        }
        return new Created(new Run(r.run(), cells), Way.FULL_INGEST, r.map(), facts, r.ingest().badRows().count(),
                r.downloads());
    }

    /**
     * Opens an existing run; when its store is deferred (the map came from a scan), builds it
     * first from the inputs, which must be as they were then.
     */
    public static Run open(Path dir, Progress.Factory progress) throws IOException {
        RunDirectory run = StoreHydration.existing(dir, progress);
        RunCommit.recoverRun(run);
        return new Run(run);
    }

    /**
     * Opens an existing run without building a deferred store: for commands that work from a
     * scanned run's columns ({@link #select}, {@link #degeneracy}); anything that needs the
     * store ({@link #openStore}) builds it then, as {@link #open} would have.
     */
    public static Run openDeferred(Path dir, Progress.Factory progress) throws IOException {
        RunDirectory run = RunDirectory.existing(dir);
        RunCommit.recoverRun(run);
        return new Run(run, CsvCells.NEUTRALISED, progress);
    }

    /**
     * Whether the run at {@code dir} can be diagnosed on its columns ({@link RunColumns}): it
     * was made by a scan of plain JSON lines, which kept them, and its store is not built yet.
     * Once the store exists it is the run's truth and the columns are left alone.
     */
    public static boolean hasColumns(Path dir) {
        RunDirectory d = new RunDirectory(dir);
        return Files.isRegularFile(dir.resolve(RunColumns.FILE)) && !Files.exists(d.store())
                && Files.isRegularFile(d.deferredStore());
    }

    /**
     * Diagnoses a run on its columns ({@link #hasColumns}) without building its store: the
     * numbers from the columns, the few texts the flags need read from the input by offset and
     * checked; writes flags.csv and diagnosis.json, the same as {@link #diagnose} writes, and
     * keeps the flags' rows for the store: when a later command builds it, they are stored and
     * the bias audit (which needs the texts) is added to diagnosis.json, so that the run is
     * then as a diagnosis on the store leaves it. Not for scorers or self-validation, which
     * need the store. Holds the store's build lock meanwhile; when another command built the
     * store in the meantime, diagnoses on the store instead ({@link #diagnose}).
     *
     * @throws RunException when an input is missing or changed since the map (naming it)
     */
    public static Diagnosed diagnoseOnColumns(Path dir, DiagnoseOptions options, boolean duplicates)
            throws IOException {
        return diagnoseOnColumns(dir, options, duplicates, CsvCells.NEUTRALISED);
    }

    /** {@link #diagnoseOnColumns(Path, DiagnoseOptions, boolean)}, flags.csv's text cells as {@code cells} says. */
    public static Diagnosed diagnoseOnColumns(Path dir, DiagnoseOptions options, boolean duplicates, CsvCells cells)
            throws IOException {
        RunDirectory directory = RunDirectory.existing(dir);
        // the store's build lock: a store being built meanwhile reads the flags this writes
        try (FileChannel channel = FileChannel.open(directory.dir().resolve(StoreHydration.LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            if (hasColumns(dir)) {
                return onColumns(directory, options, duplicates, cells);
            }
        }
        // another command built the store meanwhile: it is the run's truth now
        return open(dir, Progress.Factory.NONE).withCsvCells(cells).diagnose(options, duplicates, null);
    }

    private static Diagnosed onColumns(RunDirectory directory, DiagnoseOptions options, boolean duplicates,
                                       CsvCells cells) throws IOException {
        Path dir = directory.dir();
        RunCommit.recoverRun(directory); // what a killed command left: a commit under way, temporaries
        checkInputsUnchanged(directory);
        try (RunColumns columns = RunColumns.open(dir); InputTexts texts = new InputTexts(columns);
             RunCommit commit = new RunCommit(directory)) {
            RunColumns.Header h = columns.header();
            DiagnoseOptions o = options.withLabelsIndependent("independent".equals(h.labels()));
            Diagnosis d = ColumnDiagnosis.run(columns, texts, o, duplicates);
            // flags.csv and diagnosis.json change together at one commit point, as on the store's way
            FlagsCsv.write(d, texts::prompt, cells, commit.stage(directory.flagsCsv()));
            // the store's rows of the flags, for the store when it is built (StoreHydration)
            StoreFlags.write(d, commit.stage(StoreFlags.file(directory)));
            commit.delete(directory.storeFlagsJsonLines()); // an older admap's, of an earlier diagnosis
            DiagnosisJson.write(commit.stage(directory.diagnosisJson()), h.scoreSource(), h.mapCreated(), h.labels(),
                    d, null);
            commit.commit();
            return new Diagnosed(h.scoreSource(), d, null, List.of());
        } catch (InputChangedException e) {
            throw new RunException(e.getMessage());
        }
    }

    /** The run's directory and the names of its files. */
    public RunDirectory directory() {
        return directory;
    }

    /** Opens the run's store; the caller closes it. */
    public RunStore openStore() {
        if (!Files.isRegularFile(directory.store()) && Files.isRegularFile(directory.deferredStore())) {
            try {
                StoreHydration.existing(directory.dir(), progress); // opened deferred: the store is needed now
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return RunStore.open(directory.store());
    }

    /**
     * Rebuilds the map from the store on a score source (null: the current map's, else the
     * default), rewrites map.csv and summary.json, and removes the outputs derived from the
     * previous map (its flags included).
     */
    public Mapped map(String scores, org.admap.stats.Correlation correlation) throws IOException {
        return map(scores, correlation, StabilityOptions.DEFAULTS);
    }

    /**
     * {@link #map(String, org.admap.stats.Correlation)} with the regions' stability
     * estimated under {@code stability} when the scores carry uncertainty ({@code region_p}
     * in map.csv, {@code stability} in summary.json), or the map of one judgment
     * ({@link StabilityOptions#sample()}).
     */
    public Mapped map(String scores, org.admap.stats.Correlation correlation, StabilityOptions stability)
            throws IOException {
        return map(scores, correlation, stability, org.admap.map.Variability.SCORE);
    }

    /**
     * {@link #map(String, org.admap.stats.Correlation, StabilityOptions)} with the regions
     * ranked on {@code variability} ({@code comb}: the paper's variance of the responses'
     * pairwise embedding similarities, from the embedding scorer's stored vectors).
     */
    public Mapped map(String scores, org.admap.stats.Correlation correlation, StabilityOptions stability,
                      org.admap.map.Variability variability) throws IOException {
        try (RunStore store = openStore(); RunCommit commit = new RunCommit(directory)) {
            String source = scores != null ? scores
                    : store.info(MapJob.INFO_SCORES).orElseGet(() -> MapJob.defaultSource(store));
            AlignmentMap[] map = new AlignmentMap[1];
            RunFacts[] facts = new RunFacts[1];
            directory.derivedOutputs().forEach(commit::delete);
            commit.commit(store, () -> {
                map[0] = MapJob.run(store, source, correlation, stability, variability);
                store.replaceFlags(List.of());
                MapCsv.write(store, map[0].points(), map[0].provenance().correlation() != null,
                        map[0].stability() != null, cells, commit.stage(directory.mapCsv()));
                facts[0] = RunFacts.of(store, source);
                SummaryJson.write(commit.stage(directory.summaryJson()), SummaryJson.of(facts[0], map[0]));
            });
            return new Mapped(map[0], facts[0]);
        }
    }

    /**
     * Diagnoses the current map and writes the flags to the store, flags.csv and
     * diagnosis.json (and flips.csv with a self-validation); diagnosis.json also holds the
     * bias audit of the map's scores and the scorers' ({@code bias}). Whether the labels are
     * independent of the scores comes from the map, whatever {@code options} says; a
     * scorer list of {@code all} means every source but the labels.
     *
     * @param duplicates whether to read the texts for repeated responses and instructions
     * @param flips      the self-validation to run, or null
     */
    public Diagnosed diagnose(DiagnoseOptions options, boolean duplicates, Flips flips) throws IOException {
        return diagnose(options, duplicates, flips, Progress.Factory.NONE);
    }

    /**
     * Diagnoses as {@link #diagnose(DiagnoseOptions, boolean, Flips)} does, naming each phase
     * to {@code progress} (reading scores, reading texts, flagging, the self-validation,
     * writing flags.csv, storing the flags), so that no step of a large run is silent.
     */
    public Diagnosed diagnose(DiagnoseOptions options, boolean duplicates, Flips flips, Progress.Factory progress)
            throws IOException {
        try (RunStore store = openStore(); RunCommit commit = new RunCommit(directory)) {
            String source = MapJob.currentSource(store);
            DiagnoseOptions o = resolve(store, options);
            // Everything is computed and written under temporary names first; the flags in the
            // store and flags.csv, diagnosis.json (and flips.csv) then change at one commit point.
            Diagnosis d = DiagnoseJob.diagnose(store, source, o, duplicates, progress);
            SelfValidation.Result v = null;
            if (flips != null) {
                try (Progress phase = progress.start("diagnose: self-validation ("
                        + (flips.percent() == Math.rint(flips.percent()) ? Long.toString((long) flips.percent())
                        : Double.toString(flips.percent())) + "% flipped)", -1, "")) {
                    v = SelfValidation.run(store, source, o, flips.percent(), flips.seed(), flips.atK());
                }
            }
            try (Progress phase = progress.start("diagnose: writing " + directory.flagsCsv().getFileName(), -1, "")) {
                FlagsCsv.write(store, d, cells, commit.stage(directory.flagsCsv()));
            }
            if (v != null) {
                FlipsCsv.write(v, cells, commit.stage(directory.flipsCsv()));
            }
            List<BiasAudit> bias = BiasAudit.ofDiagnosis(store, source, o);
            DiagnosisJson.write(commit.stage(directory.diagnosisJson()), store, source, d, v, bias);
            try (Progress phase = progress.start(DiagnoseJob.storingPhase(d), -1, "")) {
                commit.commit(store, () -> store.replaceFlags(DiagnoseJob.flagRows(d)));
            }
            return new Diagnosed(source, d, v, bias);
        }
    }

    private DiagnoseOptions resolve(RunStore store, DiagnoseOptions options) {
        boolean independent = "independent".equals(store.info(MapJob.INFO_LABELS).orElse(""));
        DiagnoseOptions o = options.withLabelsIndependent(independent);
        if (o.scorers().size() == 1 && o.scorers().get(0).equals("all")) {
            List<String> sources = DiagnoseJob.availableScorers(store);
            if (sources.size() < 2) {
                throw new RunException("--scorers all: this run has " + (sources.isEmpty() ? "no score source"
                        : "one score source (" + sources.get(0) + ")") + " besides the labels; the scorers-disagree"
                        + " flag needs two (add one with 'admap score " + directory.dir()
                        + " --scorer judge|reward|reference')");
            }
            o = o.withScorers(sources, o.scorerQuorum(), o.minScorerAgreement());
        }
        return o;
    }

    /**
     * Exports the pairs (or instructions) of a region of the map to {@code out} and its
     * provenance beside it. {@code out} is never one of the run's own files or inputs, and
     * an existing file is replaced only with {@code force}.
     *
     * @param notes where notes for the user go (standard error)
     */
    public SelectionExport.Result select(Target target, Double fraction, long seed, SelectionExport.Options options,
                                         Path out, boolean force, PrintWriter notes) throws IOException {
        return select(target, fraction, seed, Double.NaN, options, out, force, notes);
    }

    /**
     * {@link #select(Target, Double, long, SelectionExport.Options, Path, boolean, PrintWriter)}
     * keeping only the stable instructions: those whose {@code region_p} (the probability that
     * they keep their region when the scores are drawn again) is at least {@code minRegionP},
     * before the fraction is taken.
     *
     * @param minRegionP a probability in [0, 1], or NaN for no such filter
     */
    public SelectionExport.Result select(Target target, Double fraction, long seed, double minRegionP,
                                         SelectionExport.Options options, Path out, boolean force, PrintWriter notes)
            throws IOException {
        if (!Double.isNaN(minRegionP) && !(minRegionP >= 0 && minRegionP <= 1)) {
            throw new RunException("--min-region-p must be a probability in [0, 1], got " + minRegionP);
        }
        Outputs.check(this, out, force);
        Outputs.check(this, SelectionExport.provenancePath(out), force);
        if (hasColumns(directory.dir())) {
            // A scanned run's columns and inputs, without its store. No lock: the columns are
            // replaced only by a rename (a map --force), which leaves this reading the old file,
            // and every text read is checked against them.
            checkInputsUnchanged(directory);
            try (RunColumns columns = RunColumns.open(directory.dir()); InputTexts texts = new InputTexts(columns)) {
                return SelectionExport.export(directory, new ColumnSelection(columns, texts), target, fraction, seed,
                        minRegionP, options, out, notes);
            } catch (InputChangedException e) {
                throw new RunException(e.getMessage());
            }
        }
        return SelectionExport.export(directory, target, fraction, seed, minRegionP, options, out, notes);
    }

    /**
     * Exports the mapped instructions whose keys are set (a selection made in the web viewer),
     * as {@link SelectionExport#exportKeys(RunDirectory, java.util.BitSet, String,
     * SelectionExport.Options, Path, PrintWriter)} does, from a scanned run's columns and inputs
     * while it has no store (then no reviews either), so that the viewer's first export builds
     * none: a minute and more on a million instructions.
     *
     * @param description how they were selected, for the provenance
     */
    public SelectionExport.Result exportKeys(java.util.BitSet keys, String description,
                                             SelectionExport.Options options, Path out, PrintWriter notes)
            throws IOException {
        if (hasColumns(directory.dir())) {
            checkInputsUnchanged(directory);
            try (RunColumns columns = RunColumns.open(directory.dir()); InputTexts texts = new InputTexts(columns)) {
                return SelectionExport.exportKeys(directory, new ColumnSelection(columns, texts), keys, description,
                        options, out, notes);
            } catch (InputChangedException e) {
                throw new RunException(e.getMessage());
            }
        }
        return SelectionExport.exportKeys(directory, keys, description, options, out, notes);
    }

    /**
     * Fails naming the first input of this run that changed since the scan, by the
     * sampled-block hash as well: what a command that reads a scanned run's columns and inputs
     * without its store ({@code report}) checks first, as {@link #select} does.
     *
     * @throws RunException naming the input
     */
    public void checkInputsUnchanged() throws IOException {
        checkInputsUnchanged(directory);
    }

    /**
     * Fails naming the first input that changed since the scan, by the sampled-block hash as
     * well: {@link InputTexts} checks size, time and every text it reads, but an edit elsewhere
     * on a line (an id) with the time put back would otherwise go unseen.
     */
    private static void checkInputsUnchanged(RunDirectory directory) throws IOException {
        try {
            DeferredStore.read(directory.deferredStore()).checkedFiles();
        } catch (StoreException e) {
            throw new RunException(e.getMessage());
        }
    }

    /** The {@link Degeneracy} test of the run's current map; fails when the run has no map yet. */
    public Degeneracy degeneracy() {
        if (hasColumns(directory.dir())) {
            try (RunColumns columns = RunColumns.open(directory.dir())) {
                double[][] mv = columns.meansAndVariances(); // the test needs no points
                return Degeneracy.of(mv[0], mv[1]);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        try (RunStore store = openStore()) {
            MapJob.currentSource(store);
            return Degeneracy.of(store.mapPoints());
        }
    }

    /**
     * Refuses a selection that the current map cannot make (what {@code select} checks before
     * {@link #select}): one of a region that a degenerate map decides by id alone, or a
     * {@code --fraction} of all instructions (ranked by mean) when every mean is the same,
     * unless {@code allowDegenerate}. {@code all} and {@code random} do not depend on the map's
     * order and are never refused.
     *
     * @return the map's degeneracy, for the caller to mention when it goes ahead anyway
     * @throws RunException when refused, saying why and how to go ahead
     */
    public Degeneracy checkSelectable(Target target, Double fraction, boolean allowDegenerate) {
        Degeneracy d = degeneracy();
        boolean depends = target.region() != null ? d.affects(target.region())
                : !target.random() && fraction != null && fraction < 1 && d.affects(Region.HIGH_AVG);
        if (depends && !allowDegenerate) {
            throw new RunException("refusing to select " + target.cliName() + ": " + d.message()
                    + "; --allow-degenerate selects anyway (--region all or random do not depend on the map)");
        }
        return d;
    }

    /** Stores the reference answers of a file (id or prompt, reference) on the run's instructions. */
    public ItemReferences.Result applyReferences(Path file) throws IOException {
        var entries = ReferenceFile.read(file);
        try (RunStore store = openStore()) {
            return ItemReferences.apply(store, entries, file.toString());
        }
    }

    /**
     * Scores the run's responses without a score of {@code source} (all of them with the
     * options' retry of failures); what arrives is stored as it arrives, so an interrupted
     * pass goes on where it stopped when run again.
     */
    public Scored score(ScorerFactory scorer, String source, ScoringOptions options, Progress.Factory progress)
            throws Exception {
        try (RunStore store = openStore(); Scorer s = scorer.open(store)) {
            ScoringReport r = new ScoringJob(store, s, source, options, progress).run();
            int samples = Math.max(1, s.samples());
            long total = samples * store.responseCount();
            return new Scored(r, store.scoreTotals(source).failed(), store.scoreErrors(source, 3),
                    total - store.responsesToScore(source, options.retryFailed(), samples), total);
        }
    }

    /** Compares this run's map with another run's, instruction by instruction. */
    public MapComparison compareWith(Run other, String name, String otherName) {
        try (RunStore store = openStore()) {
            return CompareJob.runs(store, name, other.directory.store(), otherName);
        }
    }

    /**
     * Compares the maps of score sources of this run pairwise ({@code all}: every source).
     */
    public List<MapComparison> compareSources(String name, List<String> sources) {
        try (RunStore store = openStore()) {
            List<String> list = sources.size() == 1 && sources.get(0).equals("all") ? store.scoreSources() : sources;
            if (list.size() < 2) {
                throw new RunException("--scores needs two or more sources; this run has "
                        + String.join(", ", store.scoreSources()));
            }
            return CompareJob.sources(store, name, list);
        }
    }

    /** Writes comparisons to {@code out} (never one of a run's files; an existing one only with {@code force}). */
    public void writeComparison(List<MapComparison> comparisons, Path out, boolean force) throws IOException {
        if (!out.toAbsolutePath().normalize().equals(directory.compareJson().toAbsolutePath().normalize())) {
            Outputs.check(this, out, force);
        }
        ComparisonJson.write(out, comparisons);
    }
}
