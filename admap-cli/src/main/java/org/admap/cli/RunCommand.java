package org.admap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.admap.Progress;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.options.IngestFlags;
import org.admap.report.RunReport;
import org.admap.run.CreateOptions;
import org.admap.run.Run;
import org.admap.score.ScoringReport;
import org.admap.stats.Correlation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

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

    @Parameters(arity = "0..*", paramLabel = "INPUT",
            description = "Data files or Hub datasets (hf://datasets/OWNER/NAME[/PATH][@REVISION]), read into one run"
                    + " (none with --query).")
    List<String> inputs = new java.util.ArrayList<>();

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

    @Mixin
    CsvFlags csv;

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
        Progress.Factory progress = TerminalProgress.forStderr(quiet);
        Run.Created created = Run.create(new CreateOptions(inputs, hub.resolver(), ingest.toOptions(), out, force,
                null, Correlation.COSINE, Runtime.getRuntime().availableProcessors(), true, false, null,
                ingest.query()), csv.cells(),
                progress);
        Run run = created.run();
        ScoringReport report = ScoringPrinter.score(run, scorer, quiet, stdout, spec.commandLine().getErr(), false);
        if (report.abortReason() != null) {
            throw new UserException("scoring stopped: " + report.abortReason() + " (the data is stored in " + out
                    + "; fix the problem and run 'admap score " + out + " ...' to go on)");
        }
        if (report.signal() != 0) {
            return ExitCodes.signalled(report.signal()); // no map of a part of the scores
        }
        Run.Mapped mapped = run.map(scorer.source(), Correlation.COSINE);
        SummaryPrinter.printMap(stdout, mapped.facts(), mapped.map(), created.badRows());
        Run.Diagnosed diagnosed = run.diagnose(DiagnoseOptions.paper(true), true, null, progress);
        DiagnosisPrinter.print(stdout, diagnosed.diagnosis());
        RunReport.render(run, RunReport.Settings.defaults(run.directory()));
        stdout.println("wrote " + out + "/: run.duckdb, map.csv, summary.json, flags.csv, diagnosis.json, map.png,"
                + " map.svg, report.html");
        return ExitCodes.OK;
    }
}
