package org.admap.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.admap.map.StabilityOptions;
import org.admap.run.AdaptiveScoring;
import org.admap.run.Run;
import org.admap.score.AdaptiveSampling;
import org.admap.score.ScoringReport;

/** Runs {@code score --adaptive} and prints a line per round, why it stopped, and what is left unstable. */
final class AdaptivePrinter {

    /** The unstable instructions named at most. */
    private static final int NAMED = 10;

    private AdaptivePrinter() {
    }

    /** Scores adaptively (or estimates, with --dry-run) and prints; returns the loop's end, or null for a dry run. */
    static AdaptiveSampling.Outcome score(Run run, ScorerFlags flags, AdaptiveFlags adaptive, boolean quiet,
                                          PrintWriter out) throws Exception {
        AdaptiveSampling.AdaptiveSettings settings = adaptive.settings(flags);
        flags.samplesPlanned = settings.samplesMax();
        boolean[] announced = {false};
        AdaptiveScoring.ScorerForSamples scorer = (store, k) -> {
            var s = flags.scorerWithSamples(store, k);
            if (!announced[0]) {
                flags.endpoints().forEach(e -> out.println("endpoint " + e));
                out.flush();
                announced[0] = true;
            }
            return s;
        };
        AdaptiveScoring scoring = new AdaptiveScoring(run, scorer, flags.source(), flags.scoringOptions(), settings,
                StabilityOptions.DEFAULTS);
        if (flags.dryRun) {
            printEstimate(out, scoring.estimate(), settings, flags.source());
            return null;
        }
        AdaptiveScoring.SamplingReport result = scoring.run(r -> {
            printRound(out, r, settings);
            out.flush();
        }, TerminalProgress.forStderr(quiet));
        printEnd(out, result, settings, flags.source(), run.directory().dir().toString());
        return result.outcome();
    }

    private static void printRound(PrintWriter out, AdaptiveSampling.Round r, AdaptiveSampling.AdaptiveSettings s) {
        ScoringReport p = r.report();
        String which = r.round() == 0 ? "every response"
                : String.format(Locale.ROOT, "%,d instruction%s below region_p %.2f", r.below(),
                        r.below() == 1 ? "" : "s", s.threshold());
        out.printf(Locale.ROOT, "round %d: %s to %d samples: %,d calls (scored %,d, failed %,d, already scored %,d),"
                        + " $%.4f so far%n", r.round(), which, r.samples(), p.calls(), p.scored(), p.failed(),
                p.alreadyScored(), r.costUsd());
    }

    private static void printEnd(PrintWriter out, AdaptiveScoring.SamplingReport result,
                                 AdaptiveSampling.AdaptiveSettings s, String source, String dir) {
        AdaptiveSampling.Outcome o = result.outcome();
        int extra = o.rounds().size() - 1;
        String left = unstable(o.unstable(), result.ids(), s);
        switch (o.stop()) {
            case STABLE -> out.printf(Locale.ROOT, "adaptive: stable: no instruction below region_p %.2f after %d"
                    + " extra round%s%n", s.threshold(), extra, extra == 1 ? "" : "s");
            case SAMPLES_MAX -> out.printf(Locale.ROOT, "adaptive: --samples-max %d reached; %s%n", s.samplesMax(),
                    left);
            case BUDGET -> out.printf(Locale.ROOT, "adaptive: stopped before passing --max-cost $%.2f (for all of"
                            + " '%s', $%.4f spent)%s; %s%n", s.maxCostUsd(), source, o.totalCostUsd(),
                    Double.isNaN(o.nextCostUsd()) ? "" : String.format(Locale.ROOT,
                            " (the next round needs about $%.4f)", o.nextCostUsd()), o.unstable().isEmpty()
                            ? "raise it and run again to go on" : left + "; raise it and run again to go on");
            case NO_UNCERTAINTY -> out.println("adaptive: no score has a standard error, so region_p is unknown:"
                    + " score with --samples 2 or more, or --logprobs on");
            case INCOMPLETE -> out.println("adaptive: a round did not finish: what arrived is stored; run the same"
                    + " command again to go on");
            default -> throw new IllegalStateException(o.stop().toString());
        }
        out.printf(Locale.ROOT, "%s: %,d calls, $%.4f in %d round%s; $%.4f on '%s' in all, earlier runs included%s;"
                        + " samples per response: %s%n", source, o.calls(), o.costUsd(), o.rounds().size(),
                o.rounds().size() == 1 ? "" : "s", o.totalCostUsd(), source, Double.isNaN(s.maxCostUsd()) ? ""
                        : String.format(Locale.ROOT, " (what --max-cost $%.2f covers)", s.maxCostUsd()),
                result.samplesPerResponse().entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%d x %,d", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", ")));
        if (o.stop() != AdaptiveSampling.Stop.INCOMPLETE) {
            out.println("next: admap map " + dir + " --scores " + source);
        }
    }

    private static String unstable(List<Integer> keys, Map<Integer, String> ids, AdaptiveSampling.AdaptiveSettings s) {
        String named = keys.stream().limit(NAMED).map(k -> ids.getOrDefault(k, "#" + k))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%,d instruction%s still below region_p %.2f: %s%s", keys.size(),
                keys.size() == 1 ? "" : "s", s.threshold(), named, keys.size() > NAMED ? ", ..." : "");
    }

    private static void printEstimate(PrintWriter out, AdaptiveSampling.Estimate e, AdaptiveSampling.AdaptiveSettings s,
                                      String source) {
        ScoringReport first = e.initial();
        out.printf(Locale.ROOT, "dry run for '%s' --adaptive: round 0 (every response to %d samples): %,d calls,"
                        + " %,d tokens in, %,d out, $%.2f%n", source, s.initialSamples(), first.calls(),
                first.usage().tokensIn(), first.usage().tokensOut(), first.usage().costUsd());
        out.printf(Locale.ROOT, "the extra rounds depend on the scores (which instructions end below region_p %.2f),"
                + " so only their bounds are certain:%n", s.threshold());
        if (s.samplesMax() > s.initialSamples()) {
            ScoringReport one = e.perRound();
            long oneCalls = one.calls() - first.calls();
            double oneCost = one.usage().costUsd() - first.usage().costUsd();
            long allCalls = e.upTo().calls() - first.calls();
            double allCost = e.upTo().usage().costUsd() - first.usage().costUsd();
            out.printf(Locale.ROOT, "  one extra round: at most %,d calls, $%.2f (every instruction below the"
                    + " threshold)%n", oneCalls, oneCost);
            out.printf(Locale.ROOT, "  all extra rounds: at most %,d calls, $%.2f (every response to --samples-max"
                    + " %d); in all at most $%.2f%n", allCalls, allCost, s.samplesMax(), e.upTo().usage().costUsd());
            // An illustration under a stated assumption, not a prediction.
            double share = 0;
            double below = 0.5;
            for (int k = s.initialSamples(); k < s.samplesMax(); k++) {
                share += below;
                below /= 2;
            }
            out.printf(Locale.ROOT, "  if half of the instructions were below the threshold after round 0 and half"
                    + " of those after each round: about %,d calls, $%.2f%n", Math.round(oneCalls * share),
                    oneCost * share);
        } else {
            out.println("  none: --samples-max equals --samples");
        }
        if (e.belowNow() < 0) {
            out.println("  no samples with a standard error are stored yet: region_p is unknown until round 0 ran");
        } else if (e.next() == null) {
            out.printf(Locale.ROOT, "  by the samples stored now, %,d instructions are below the threshold: no"
                    + " further round%n", e.belowNow());
        } else {
            out.printf(Locale.ROOT, "  by the samples stored now, %,d instructions are below the threshold: the next"
                    + " round needs %,d calls, $%.2f%n", e.belowNow(), e.next().calls(), e.next().usage().costUsd());
        }
        if (!Double.isNaN(s.maxCostUsd())) {
            out.printf(Locale.ROOT, "--max-cost $%.2f covers all of '%s': $%.4f spent by earlier runs, $%.4f left%n",
                    s.maxCostUsd(), source, e.spentUsd(), Math.max(0, s.maxCostUsd() - e.spentUsd()));
        }
        out.println("(estimates are rough: about 4 characters a token)");
    }
}
