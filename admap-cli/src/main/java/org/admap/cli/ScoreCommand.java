package org.admap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.admap.score.Scorer;
import org.admap.score.ScoringJob;
import org.admap.score.ScoringReport;
import org.admap.store.RunDirectory;
import org.admap.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code admap score}: gives the responses of a run alignment scores. */
@Command(name = "score",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Score the responses of a run with an LLM judge, a reward model or a reference.",
        description = {
                "",
                "Scores every response of the run that has no score yet from the source (--name, default the"
                        + " scorer kind), concurrently, and stores each result the moment it arrives: a rerun, a"
                        + " crash or Ctrl-C loses nothing, and no response already scored is sent again. Identical"
                        + " responses to the same instruction are scored once. Rate limits (429) are waited out,"
                        + " server errors retried with backoff; an answer that does not parse is asked again once,"
                        + " then stored as a failed score with its raw text (--retry-failed takes them again).",
                "",
                "Then build the map on the scores: admap map DIR --scores NAME",
                "",
                "Examples:",
                "  export OPENAI_API_KEY=...",
                "  admap score run/ --scorer judge --dry-run          (calls, tokens, cost)",
                "  admap score run/ --scorer judge --max-cost 20",
                "  admap score run/ --scorer judge --per-call all --model gpt-4o-mini",
                "  admap score run/ --scorer judge --base-url http://localhost:8000/v1 \\",
                "            --model Qwen/Qwen2.5-7B-Instruct --name qwen-judge",
                "  admap score run/ --scorer reward --base-url http://localhost:8000 \\",
                "            --model Skywork/Skywork-Reward-Llama-3.1-8B-v0.2",
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

    @CommandLine.Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunDirectory run = RunDirectory.existing(dir);
        ScoringReport report = score(run, scorer, quiet, spec.commandLine().getOut(), true);
        if (report.abortReason() != null) {
            throw new UserException("scoring stopped: " + report.abortReason());
        }
        return ExitCodes.OK;
    }

    /** Scores a run and prints what happened. */
    static ScoringReport score(RunDirectory run, ScorerFlags flags, boolean quiet, PrintWriter out, boolean hintNext)
            throws Exception {
        try (RunStore store = RunStore.open(run.store()); Scorer s = flags.scorer(store)) {
            ScoringReport r = new ScoringJob(store, s, flags.source(), flags.scoringOptions(),
                    TerminalProgress.forStderr(quiet)).run();
            print(out, r, flags.dryRun ? null : store, hintNext);
            return r;
        }
    }

    static void print(PrintWriter out, ScoringReport r, RunStore store, boolean hintNext) {
        if (store == null) {
            out.printf(Locale.ROOT, "dry run for '%s': %,d calls for the responses without a score; estimated %,d"
                            + " tokens in, %,d out, $%.2f%n", r.source(), r.calls(), r.usage().tokensIn(),
                    r.usage().tokensOut(), r.usage().costUsd());
            out.printf(Locale.ROOT, "(%,d already scored, %,d copied from identical responses; estimates are"
                    + " rough: about 4 characters a token)%n", r.alreadyScored(), r.cached());
            return;
        }
        out.printf(Locale.ROOT, "%s: scored %,d, failed %,d, copied %,d, already scored %,d%s; %,d calls, %,d tokens"
                        + " in, %,d out, $%.4f, %.1f s%n", r.source(), r.scored(), r.failed(), r.cached(),
                r.alreadyScored(), r.previouslyFailed() > 0 ? String.format(Locale.ROOT,
                        ", earlier failures left %,d", r.previouslyFailed()) : "", r.calls(), r.usage().tokensIn(),
                r.usage().tokensOut(), r.usage().costUsd(), r.elapsed().toMillis() / 1000.0);
        if (r.stoppedByBudget()) {
            out.println("stopped before exceeding --max-cost; raise it and run again to go on");
        }
        if (r.interrupted()) {
            out.println("interrupted: what arrived is stored; run the same command again to go on");
        }
        long failedTotal = store.scoreTotals(r.source()).failed();
        if (failedTotal > 0) {
            out.printf(Locale.ROOT, "%,d responses have a failed score; the most frequent reasons:%n", failedTotal);
            for (Map.Entry<String, Long> e : store.scoreErrors(r.source(), 3).entrySet()) {
                out.printf(Locale.ROOT, "  %,6d  %s%n", e.getValue(), e.getKey());
            }
            out.println("score them again with --retry-failed");
        }
        if (r.abortReason() == null && hintNext) {
            out.println("next: admap map " + store.file().getParent() + " --scores " + r.source());
        }
    }
}
