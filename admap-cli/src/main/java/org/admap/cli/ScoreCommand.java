package org.admap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.store.BatchLog;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.run.Run;
import org.admap.score.Scorer;
import org.admap.score.ScoringReport;
import org.admap.score.batch.BatchReport;
import org.admap.score.batch.BatchScoring;
import org.admap.score.batch.BatchableScorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code admap score}: gives the responses of a run alignment scores. */
@Command(name = "score",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Score the responses of a run with an LLM judge, a reward model, a reference or a likelihood.",
        description = {
                "",
                "Scores every response of the run that has no score yet from the source (--name, default the"
                        + " scorer kind), concurrently, and stores each result the moment it arrives: a rerun, a"
                        + " crash or Ctrl-C loses nothing, and no response already scored is sent again. Identical"
                        + " responses to the same instruction are scored once. Rate limits (429) are waited out,"
                        + " server errors retried with backoff; an answer that does not parse is asked again once,"
                        + " then stored as a failed score with its raw text (--retry-failed takes them again).",
                "",
                "With --batch, the judge's requests go through the OpenAI Batch API instead: half the price,"
                        + " answers within 24 hours. The requests are written to DIR/batches/, uploaded, and each batch"
                        + " is recorded in the run the moment it exists; admap then polls until they end and stores"
                        + " the answers as scores. A later 'score --batch' first collects the batches of earlier runs"
                        + " (never sending their requests again), so --no-wait (submit and exit) and Ctrl-C lose"
                        + " nothing. Requests of an expired or cancelled batch are pending again and go into a new"
                        + " batch.",
                "",
                "Then build the map on the scores: admap map DIR --scores NAME",
                "",
                "Examples:",
                "  export OPENAI_API_KEY=...",
                "  admap score run/ --scorer judge --dry-run          (calls, tokens, cost)",
                "  admap score run/ --scorer judge --max-cost 20",
                "  admap score run/ --scorer judge --per-call all --model gpt-4o-mini",
                "  admap score run/ --scorer judge --batch            (Batch API: half price)",
                "  admap score run/ --scorer judge --samples 2 --adaptive --max-cost 20",
                "  admap score run/ --scorer judge --base-url http://localhost:8000/v1 \\",
                "            --model Qwen/Qwen2.5-7B-Instruct --name qwen-judge",
                "  admap score run/ --scorer reward --base-url http://localhost:8000 \\",
                "            --model Skywork/Skywork-Reward-Llama-3.1-8B-v0.2",
                "  admap score run/ --scorer likelihood --base-url http://localhost:8000/v1 \\",
                "            --model 01choco/LLaMA-UltraFeedback-SFT-3-Full   (the paper's sft score)",
                "  admap score run/ --scorer reference    (GPT-4o writes missing references)",
                "  admap score run/ --scorer reference --similarity rouge-l --name rouge",
                "  admap score run/ --scorer reference --embedding-url http://localhost:8080/v1 \\",
                "            --embedding-model BAAI/bge-small-en-v1.5 --name ref-bge",
                ""})
final class ScoreCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
    Path dir;

    @Mixin
    ScorerFlags scorer;

    @CommandLine.Option(names = "--batch", description = "judge: send the requests through the OpenAI Batch API"
            + " (half price, answers within 24 h); resumable: a later --batch run collects earlier batches. With"
            + " --samples K each judgment is its own request, with the seed and temperature of its live call.")
    boolean batch;

    @CommandLine.Option(names = "--poll-interval", paramLabel = "SECONDS", defaultValue = "30",
            description = "--batch: seconds between two polls of the open batches (default ${DEFAULT-VALUE}).")
    double pollInterval;

    @CommandLine.Option(names = "--no-wait", description = "--batch: collect what earlier batches finished, submit"
            + " the rest and exit without waiting; run again later to collect.")
    boolean noWait;

    @CommandLine.Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Mixin
    AdaptiveFlags adaptive;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Run opened = Run.open(dir, TerminalProgress.forStderr(false));
        RunDirectory run = opened.directory();
        if (batch && scorer.calibrate != null) {
            throw new UserException("--calibrate scores live only (drop --batch, or score the calibration share"
                    + " live after the batch)");
        }
        if (adaptive.on && scorer.calibrate != null) {
            throw new UserException("--adaptive with --calibrate: --adaptive gives every response --samples"
                    + " judgments and its own standard error, so there is no single judgment to calibrate"
                    + " (drop one of them)");
        }
        if (batch && adaptive.on) {
            throw new UserException("--adaptive does not work with --batch: each round needs the last one's scores");
        }
        if (batch) {
            BatchReport report = scoreInBatches(run, spec.commandLine().getOut());
            if (report.abortReason() != null) {
                throw new UserException("batch scoring stopped: " + report.abortReason());
            }
            return ExitCodes.OK;
        }
        if (noWait) {
            throw new UserException("--no-wait works with --batch only");
        }
        try (RunStore store = RunStore.open(run.store()); BatchLog log = BatchLog.of(store)) {
            List<BatchLog.Entry> open = log.unimported(scorer.source());
            if (!open.isEmpty() && !scorer.dryRun) {
                throw new UserException("'" + scorer.source() + "' has " + open.size() + " Batch API batch"
                        + (open.size() == 1 ? "" : "es") + " not collected yet (" + open.get(0).batchId()
                        + (open.size() > 1 ? ", ..." : "") + "): scoring live would pay for their requests again."
                        + " Collect them first: admap score " + dir + " --scorer " + scorer.kind + " --batch"
                        + " (add --no-wait to only check on them)");
            }
        }
        if (adaptive.on) {
            var end = AdaptivePrinter.score(opened, scorer, adaptive, quiet, spec.commandLine().getOut());
            if (end != null && end.stop() == org.admap.score.AdaptiveSampling.Stop.INCOMPLETE) {
                ScoringReport last = end.rounds().get(end.rounds().size() - 1).report();
                if (last.signal() != 0) { // Ctrl-C or SIGTERM: the same exit as without --adaptive
                    return ExitCodes.signalled(last.signal());
                }
                String why = last.abortReason();
                throw new UserException("scoring stopped: " + (why != null ? why : "interrupted"));
            }
            return ExitCodes.OK;
        }
        ScoringReport report = ScoringPrinter.score(opened, scorer, quiet, spec.commandLine().getOut(),
                spec.commandLine().getErr(), true);
        if (report.abortReason() != null) {
            throw new UserException("scoring stopped: " + report.abortReason());
        }
        return report.signal() != 0 ? ExitCodes.signalled(report.signal()) : ExitCodes.OK;
    }

    /** Scores a run through the Batch API and prints what happened. */
    private BatchReport scoreInBatches(RunDirectory run, PrintWriter out) throws Exception {
        if (pollInterval < 0 || Double.isNaN(pollInterval)) {
            throw new UserException("--poll-interval must be 0 or more seconds, got " + pollInterval);
        }
        try (RunStore store = RunStore.open(run.store()); Scorer s = scorer.scorer(store)) {
            if (!(s instanceof BatchableScorer batchable)) {
                throw new UserException("--batch works with --scorer judge only");
            }
            scorer.endpoints().forEach(e -> out.println("endpoint " + e));
            out.flush();
            ApiClient.ApiSettings live = scorer.client(scorer.baseUrl()).settings();
            // Request files of up to 190 MB go up and down in one request each: allow them time.
            Duration timeout = live.timeout().compareTo(FILE_TIMEOUT) < 0 ? FILE_TIMEOUT : live.timeout();
            // Result files are larger than any live answer: at least BATCH_FILE_LIMIT may be read.
            ApiClient client = new ApiClient(new ApiClient.ApiSettings(live.baseUrl(), live.apiKey(), timeout,
                    live.retry(), live.limiter(), live.headers(), Math.max(live.maxBodyBytes(), BATCH_FILE_LIMIT)));
            BatchScoring.Options options = BatchScoring.Options.defaults()
                    .withPollInterval(Duration.ofMillis(Math.round(pollInterval * 1000)))
                    .withWaitForResults(!noWait)
                    .withRetryFailed(scorer.retryFailed)
                    .withMaxCost(scorer.maxCost == null ? Double.NaN : scorer.maxCost)
                    .withDryRun(scorer.dryRun)
                    .withReuseAcrossEndpoints(scorer.reuseAcrossEndpoints);
            PrintWriter err = spec.commandLine().getErr();
            BatchReport r = new BatchScoring(store, batchable, client, scorer.source(), options,
                    TerminalProgress.forStderr(quiet)).onEvent(e -> {
                        if (!quiet) {
                            err.println(e);
                            err.flush();
                        }
                    }).run();
            printBatch(out, r, run.dir());
            return r;
        }
    }

    private static final Duration FILE_TIMEOUT = Duration.ofMinutes(10);
    private static final long BATCH_FILE_LIMIT = 1L << 30;

    private void printBatch(PrintWriter out, BatchReport r, Path runDir) {
        String again = "admap score " + runDir + " --scorer " + scorer.kind
                + (scorer.name != null ? " --name " + scorer.name : "") + " --batch";
        if (scorer.dryRun) {
            out.printf(Locale.ROOT, "dry run for '%s' through the Batch API: %,d requests in %,d batch%s; estimated"
                            + " %,d tokens in, %,d out, $%.2f at batch prices (half the live price)%n", r.source(),
                    r.requests(), r.submitted(), r.submitted() == 1 ? "" : "es", r.usage().tokensIn(),
                    r.usage().tokensOut(), r.usage().costUsd());
            out.printf(Locale.ROOT, "(%,d already scored, %,d copied from identical responses, %,d in open batches;"
                    + " estimates are rough: about 4 characters a token)%n", r.alreadyScored(), r.copied(),
                    r.inOpenBatches());
            r.notes().forEach(n -> out.println("note: " + n));
            return;
        }
        if (r.resumed() > 0) {
            out.printf(Locale.ROOT, "%s: %,d batch%s of earlier runs found%n", r.source(), r.resumed(),
                    r.resumed() == 1 ? "" : "es");
        }
        if (r.submitted() > 0) {
            out.printf(Locale.ROOT, "%s: submitted %,d request%s in %,d batch%s%n", r.source(), r.requests(),
                    r.requests() == 1 ? "" : "s", r.submitted(), r.submitted() == 1 ? "" : "es");
        }
        out.printf(Locale.ROOT, "%s: imported %,d batch%s: scored %,d, failed %,d, copied %,d, already scored %,d%s;"
                        + " %,d tokens in, %,d out, $%.4f at batch prices, %.1f s%n", r.source(), r.imported(),
                r.imported() == 1 ? "" : "es", r.scored(), r.failed(), r.copied(), r.alreadyScored(),
                r.previouslyFailed() > 0 ? String.format(Locale.ROOT, ", earlier failures left %,d (--retry-failed"
                        + " sends them again)", r.previouslyFailed()) : "", r.usage().tokensIn(), r.usage().tokensOut(),
                r.usage().costUsd(), r.elapsed().toMillis() / 1000.0);
        if (r.stoppedByBudget()) {
            out.println("submitted no more than --max-cost allows; raise it and run again to send the rest");
        }
        r.notes().forEach(n -> out.println("note: " + n));
        if (!r.open().isEmpty()) {
            out.printf(Locale.ROOT, "%,d batch%s still open (%s): collect with '%s' (the Batch API answers within"
                            + " 24 h)%n", r.open().size(), r.open().size() == 1 ? "" : "es",
                    String.join(", ", r.open()), again);
        } else if (r.leftPending() > 0) {
            out.println("run '" + again + "' again to submit the requests left without an answer");
        } else if (r.abortReason() == null) {
            out.println("next: admap map " + runDir + " --scores " + r.source());
        }
    }
}
