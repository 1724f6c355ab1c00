package org.admap.cli;

import org.admap.run.NewRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.admap.diagnose.Correlation;
import org.admap.diagnose.Diagnosis;
import org.admap.map.AlignmentMap;
import org.admap.score.ScoringReport;
import org.admap.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code admap run}: ingest, score, map and diagnose in one go. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Ingest, score, map and diagnose in one go.",
        description = {
                "",
                "The same as 'admap map INPUT --out DIR', then 'admap score DIR --scorer ...', then 'admap map"
                        + " DIR --scores NAME', 'admap diagnose DIR' and 'admap report DIR'. Interrupted or"
                        + " stopped by --max-cost, run 'admap score DIR ...' again with the same options to go on.",
                "",
                "Example:",
                "  admap run prefs.jsonl --out run/ --scorer judge --model gpt-4o-mini --max-cost 10",
                ""})
final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "INPUT",
            description = "Data files or Hub datasets (hf://datasets/OWNER/NAME[/PATH][@REVISION]), read into one run.")
    List<String> inputs;

    @Mixin
    HubFlags hub;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", required = true, description = "The run directory to create.")
    Path out;

    @Option(names = "--force", description = "Replace the run in DIR if there is one.")
    boolean force;

    @Mixin
    IngestFlags ingest;

    @Mixin
    ScorerFlags scorer;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        if (scorer.dryRun) {
            throw new UserException("--dry-run needs a run to count: 'admap map' it, then 'admap score DIR"
                    + " --dry-run'");
        }
        NewRun.Result created = NewRun.create(inputs, hub.resolver(), ingest.toOptions(), out, force, null,
                Correlation.COSINE, TerminalProgress.forStderr(quiet), false);
        ScoringReport report = ScoreCommand.score(created.run(), scorer, quiet, stdout, false);
        if (report.abortReason() != null) {
            throw new UserException("scoring stopped: " + report.abortReason() + " (the data is stored in " + out
                    + "; fix the problem and run 'admap score " + out + " ...' to go on)");
        }
        AlignmentMap map = MapCommand.remap(created.run(), scorer.source(), Correlation.COSINE);
        try (RunStore store = RunStore.open(created.run().store())) {
            SummaryPrinter.printMap(stdout, store, map, created.ingest().badRows().count());
        }
        Diagnosis diagnosis = DiagnoseCommand.diagnose(created.run(), Correlation.COSINE, 0.65, 0.01, 0.05);
        DiagnoseCommand.print(stdout, diagnosis);
        ReportCommand.render(created.run(), ReportCommand.Settings.defaults(created.run()),
                new PrintWriter(java.io.Writer.nullWriter()));
        stdout.println("wrote " + out + "/: run.duckdb, map.csv, summary.json, flags.csv, diagnosis.json, map.png,"
                + " map.svg, report.html");
        return ExitCodes.OK;
    }
}
