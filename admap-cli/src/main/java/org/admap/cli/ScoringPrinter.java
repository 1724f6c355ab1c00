package org.admap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.admap.Progress;
import org.admap.run.Run;
import org.admap.score.CalibratedScorer;
import org.admap.score.Scorer;
import org.admap.score.ScoringOptions;
import org.admap.score.ScoringReport;
import org.admap.score.judge.JudgeScorer;

/** Prints a scoring pass: what was scored, failed, copied, spent, and what to do next. */
final class ScoringPrinter {

    private ScoringPrinter() {
    }

    /**
     * Scores a run with the scorer the flags describe (references first, if given) and prints
     * what happened; an interruption is one line on {@code err}.
     *
     * @param hintNext whether this is {@code admap score} (what next, rerun the same command),
     *                 not a step of {@code admap run}
     */
    static ScoringReport score(Run run, ScorerFlags flags, boolean quiet, PrintWriter out, PrintWriter err,
                               boolean hintNext) throws Exception {
        if (flags.references != null) {
            if (!flags.kind.equalsIgnoreCase("reference")) {
                throw new UserException("--references works with --scorer reference only");
            }
            var applied = run.applyReferences(flags.references);
            out.printf(Locale.ROOT, "references from %s: %,d instructions%s%n", flags.references,
                    applied.matched(), applied.unmatched() > 0 ? String.format(Locale.ROOT,
                            " (%,d rows matched no instruction)", applied.unmatched()) : "");
        }
        // Every server the scorer will call, before the first call.
        Scorer[] made = new Scorer[1];
        Run.ScorerFactory announced = store -> {
            var s = flags.scorer(store);
            made[0] = s;
            flags.endpoints().forEach(e -> out.println("endpoint " + e));
            out.flush();
            return s;
        };
        Run.Scored scored = run.score(announced, flags.source(), flags.scoringOptions(),
                TerminalProgress.forStderr(quiet));
        print(out, scored, run.directory().dir(), flags.dryRun, hintNext);
        if (made[0] instanceof CalibratedScorer c) {
            out.printf(Locale.ROOT, "calibration (--calibrate %s, seed %d): %,d calls %s for the second judgments of"
                            + " the share, estimated %,d tokens in, %,d out, $%.2f (included above)%n",
                    c.calibration().shareText(), c.calibration().seed(), c.extraCalls(),
                    flags.dryRun ? "to make" : "made", c.extraUsage().tokensIn(), c.extraUsage().tokensOut(),
                    c.extraUsage().costUsd());
        }
        if (scored.report().interrupted()) {
            out.flush();
            err.printf(Locale.ROOT, "interrupted: %,d of %,d responses scored and kept; %s%n", scored.done(),
                    scored.total(), hintNext ? "rerun the same command to resume"
                            : "run 'admap score " + run.directory().dir() + "' with the same scorer options to resume");
            err.flush();
        }
        if (flags.isJudge()) {
            out.println("judge choices: " + flags.judgeChoices());
        }
        if (flags.dryRun && flags.isJudge()) {
            printChoices(out, run, flags);
        }
        return scored.report();
    }

    /**
     * What each --rationale would cost on the whole run, live and through the Batch API, so
     * that a user can pick before paying. --logprobs costs no tokens: the log-probabilities
     * come with the answer.
     */
    private static void printChoices(PrintWriter out, Run run, ScorerFlags flags) throws Exception {
        out.println("each --rationale on every response of the run (estimated; --logprobs adds no tokens):");
        for (JudgeScorer.Rationale why : JudgeScorer.Rationale.values()) {
            JudgeScorer made;
            try {
                made = flags.judgeWith(why);
            } catch (UserException notForThisRubric) {
                out.printf(Locale.ROOT, "  --rationale %-5s  not with this rubric: %s%n", why.cliName(),
                        notForThisRubric.getMessage());
                continue;
            }
            ScoringOptions dry = new ScoringOptions(1, false, Double.NaN, true);
            // Under a name of its own: the estimate is for scoring everything with this choice.
            Scorer withShare = flags.calibrated(made);
            ScoringReport e = run.score(store -> withShare, flags.source() + "~" + why.cliName(), dry,
                    Progress.Factory.NONE).report();
            out.printf(Locale.ROOT, "  --rationale %-5s  %,6d calls  %,12d tokens in  %,10d out  $%9.2f  (--batch"
                            + " $%.2f)%n", why.cliName(), e.calls(), e.usage().tokensIn(), e.usage().tokensOut(),
                    e.usage().costUsd(), e.usage().costUsd() / 2);
        }
    }

    static void print(PrintWriter out, Run.Scored scored, Path runDir, boolean dryRun, boolean hintNext) {
        ScoringReport r = scored.report();
        if (dryRun) {
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
        long failedTotal = scored.failed();
        if (failedTotal > 0) {
            out.printf(Locale.ROOT, "%,d responses have a failed score; the most frequent reasons:%n", failedTotal);
            for (Map.Entry<String, Long> e : scored.errors().entrySet()) {
                out.printf(Locale.ROOT, "  %,6d  %s%n", e.getValue(), e.getKey());
            }
            out.println("score them again with --retry-failed");
        }
        if (r.abortReason() == null && !r.interrupted() && hintNext) {
            out.println("next: admap map " + runDir + " --scores " + r.source());
        }
    }
}
