package org.admap.cli;

import org.admap.score.AdaptiveSampling;
import picocli.CommandLine.Option;

/** The options of {@code score --adaptive}: more judgments only where the regions are unstable. */
final class AdaptiveFlags {

    @Option(names = "--adaptive",
            description = "judge: after --samples K judgments of every response, add one more to every response of"
                    + " the instructions whose region_p (as 'admap map' estimates it) is below --adaptive-threshold,"
                    + " round by round, until none is, --samples-max is reached, or the next round would pass"
                    + " --max-cost. --max-cost then covers the source's whole adaptive scoring: what its stored"
                    + " scores cost (earlier runs, a killed run) counts against it, so a rerun gets no fresh budget;"
                    + " raise it to go on. A rerun goes on where it stopped and calls nothing twice. See"
                    + " docs/trust.md.")
    boolean on;

    @Option(names = "--adaptive-threshold", paramLabel = "P", defaultValue = "0.9",
            description = "--adaptive: instructions with region_p below P get more samples (default ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--samples-max", paramLabel = "N", defaultValue = "6",
            description = "--adaptive: the most judgments a response gets (default ${DEFAULT-VALUE}).")
    int samplesMax;

    /** The loop's settings, from these flags and the scorer's --samples and --max-cost. */
    AdaptiveSampling.AdaptiveSettings settings(ScorerFlags scorer) {
        if (!scorer.isJudge()) {
            throw new UserException("--adaptive works with --scorer judge only");
        }
        if (scorer.orders > 1) {
            throw new UserException("--adaptive does not work with --orders 2 yet: use --orders 1");
        }
        if (scorer.samples < 2 && scorer.logprobs.equalsIgnoreCase("off")) {
            throw new UserException("--adaptive needs an uncertainty to start from: --samples 2 or more (or"
                    + " --logprobs on), since region_p is unknown with one plain judgment per response");
        }
        try {
            return new AdaptiveSampling.AdaptiveSettings(scorer.samples, samplesMax, threshold,
                    scorer.maxCost == null ? Double.NaN : scorer.maxCost);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }
}
