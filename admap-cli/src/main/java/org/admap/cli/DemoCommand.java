package org.admap.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.admap.Version;
import org.admap.compare.MapComparison;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.diagnose.Diagnosis;
import org.admap.embed.LocalEmbedder;
import org.admap.ingest.IngestOptions;
import org.admap.internal.compare.CompareJob;
import org.admap.internal.map.MapCsv;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.store.AtomicFile;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.map.AlignmentMap;
import org.admap.map.MapBuilder;
import org.admap.map.MapProvenance;
import org.admap.map.MapSummary;
import org.admap.model.Region;
import org.admap.report.Coloring;
import org.admap.report.MapPlot;
import org.admap.report.RunReport;
import org.admap.run.CreateOptions;
import org.admap.run.Run;
import org.admap.score.ScoringOptions;
import org.admap.score.ScoringReport;
import org.admap.score.reference.ReferenceScorer;
import org.admap.select.ExportFormat;
import org.admap.select.PairBuilder;
import org.admap.select.PairMode;
import org.admap.select.SelectionExport;
import org.admap.select.Target;
import org.admap.stats.Correlation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code admap demo}: the whole pipeline on the bundled example data, offline. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Run the whole pipeline on the bundled example data (offline, no API key).",
        description = {
                "",
                "Maps 50 hand-written instructions x 4 responses (with judge-style scores and 1-5 labels, three of " +
                        "them deliberately mis-annotated), diagnoses them, draws the map (map.png, map.svg), writes " +
                        "the interactive report (report.html), and exports each region and the high-avg DPO pairs. " +
                        "Everything lands in DIR (default admap-demo/).",
                ""
        })
final class DemoCommand implements Callable<Integer> {

    static final String RESOURCE = "demo.jsonl";

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "admap-demo",
            description = "Where to write the demo run (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        RunDirectory run = new RunDirectory(out);
        if (Files.isDirectory(out) && !run.exists() && !isEmpty(out)) {
            throw new UserException(out + " exists and holds something other than an admap run; choose another"
                    + " directory with --out");
        }
        Files.createDirectories(out);
        Path data = out.resolve(RESOURCE);
        try (InputStream in = DemoCommand.class.getResourceAsStream(RESOURCE); AtomicFile file = new AtomicFile(data)) {
            if (in == null) {
                throw new IllegalStateException("the example data is missing from the admap jar");
            }
            in.transferTo(file.stream());
            file.commit();
        }

        Run.Created result = Run.create(new CreateOptions(List.of(data.toString()), null, IngestOptions.defaults(),
                out, true, null, Correlation.COSINE, 1, true, true), TerminalProgress.forStderr(quiet));
        Run demo = result.run();
        Diagnosis diagnosis = demo.diagnose(DiagnoseOptions.paper(true), true, null).diagnosis();
        RunReport.render(demo, RunReport.Settings.defaults(run));
        Path regions = out.resolve("regions");
        for (Region r : List.of(Region.HIGH_AVG, Region.LOW_AVG, Region.HIGH_VAR)) {
            demo.select(Target.of(r), null, 42,
                    new SelectionExport.Options(PairMode.ALL, PairBuilder.By.LABELS, ExportFormat.MULTI),
                    regions.resolve(r.cliName() + ".jsonl"), true, spec.commandLine().getErr());
        }
        Path pairs = out.resolve("pairs").resolve("high-avg.trl.jsonl");
        SelectionExport.Result exported = demo.select(Target.of(Region.HIGH_AVG), null, 42,
                new SelectionExport.Options(PairMode.ALL, PairBuilder.By.LABELS, ExportFormat.TRL), pairs, true,
                spec.commandLine().getErr());

        ReferenceResult reference = referenceMap(run, quiet);

        stdout.println("admap demo: " + RESOURCE + " (bundled example data, written for admap)");
        SummaryPrinter.printMap(stdout, result.facts(), result.map(), 0);
        DiagnosisPrinter.print(stdout, diagnosis);
        stdout.printf(Locale.ROOT, "high-avg DPO pairs: %,d from %,d instructions%n", exported.records(),
                exported.instructions());
        stdout.printf(Locale.ROOT, "offline reference scores (%s in this process, cosine of each response to its"
                        + " instruction's reference): %,d scored in %.1f s; per-response Pearson with the data's"
                        + " scores %.2f; the same region on both maps for %d of %d instructions%n",
                reference.model(), reference.scored(), reference.seconds(), reference.pearson(), reference.sameRegion(),
                reference.mapped());
        MapSummary s = MapSummary.of(result.map());
        stdout.println();
        stdout.println("wrote " + out + "/:");
        stdout.println("  run.duckdb                 the run store (items, responses, scores, map, flags)");
        stdout.println("  map.csv, summary.json      the map: one row per instruction; counts and ranges");
        stdout.println("  map.png, map.svg           the map drawn");
        stdout.println("  report.html                the interactive map: open it in a browser (works offline)");
        stdout.println("  flags.csv, diagnosis.json  " + diagnosis.flags().size() + " flagged instructions");
        stdout.printf(Locale.ROOT, "  regions/*.jsonl            the three regions (%d / %d / %d instructions)%n",
                s.regions().get(Region.HIGH_AVG).count(), s.regions().get(Region.LOW_AVG).count(),
                s.regions().get(Region.HIGH_VAR).count());
        stdout.println("  pairs/high-avg.trl.jsonl   DPO pairs of high-avg, TRL format");
        stdout.println("  map-reference.csv, .png    the map on the offline reference scores (source 'reference')");
        stdout.println();
        stdout.println("Next: open " + run.reportHtml() + " in a browser (or 'admap serve " + out + "'), look at "
                + run.flagsCsv()
                + "; then try 'admap map YOUR_DATA --out run/'.");
        return ExitCodes.OK;
    }

    /** What the offline reference scoring gave. */
    record ReferenceResult(String model, long scored, double seconds, double pearson, int sameRegion, int mapped) {
    }

    /**
     * Scores the demo with the reference scorer and the in-process model (the example data
     * carries a reference answer per instruction), and maps on those scores beside the
     * run's current map, which stays the map on the data's own scores.
     */
    private static ReferenceResult referenceMap(RunDirectory run, boolean quiet)
            throws Exception {
        try (RunStore store = RunStore.open(run.store());
             LocalEmbedder model = LocalEmbedder.defaultModel();
             ReferenceScorer scorer = new ReferenceScorer(ReferenceScorer.ReferenceSettings.defaults(
                     ReferenceScorer.Similarity.COSINE), null, model, store)) {
            ScoringReport scored = new ScoringJob(store, scorer, "reference", new ScoringOptions(2, false, Double.NaN,
                    false), TerminalProgress.forStderr(quiet)).run();
            if (scored.signal() != 0) {
                throw new StoppedBySignal(scored.signal(), "interrupted: the demo stopped while scoring; run it"
                        + " again to start over");
            }
            MapBuilder builder = new MapBuilder(new MapProvenance("reference", null, Instant.now(), Version.get()),
                    null);
            store.forEachItemScores("reference", builder);
            AlignmentMap referenceMap = builder.build();
            MapCsv.write(store, referenceMap.points(), false, run.dir().resolve("map-reference.csv"));
            MapPlot.writePng(new MapPlot.Figure("Alignment data map: " + RESOURCE, "scores: reference ("
                    + model.model() + " cosine to each instruction's reference)    N = "
                    + referenceMap.points().size() + " instructions", referenceMap.points(),
                    Coloring.byRegion(referenceMap.points())), run.dir().resolve("map-reference.png"),
                            MapPlot.PNG_SCALE);
            MapComparison agreement = CompareJob.sources(store, RESOURCE, List.of(RunStore.INPUT, "reference")).get(0);
            return new ReferenceResult(model.model(), scored.scored() + scored.alreadyScored(),
                    scored.elapsed().toMillis() / 1000.0, agreement.responsePearson(),
                    (int) (agreement.joined() - agreement.regionChanges()), referenceMap.points().size());
        }
    }

    private static boolean isEmpty(Path dir) throws java.io.IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
