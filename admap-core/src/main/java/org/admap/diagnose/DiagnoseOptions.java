package org.admap.diagnose;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.admap.stats.Correlation;

/**
 * Thresholds of the diagnosis. The defaults are the paper's where the paper has one
 * (cosine, 0.65, bottom 1%); the others are admap's and are stated in {@code --help}.
 * Serializable so that a Spark job sends these very options to its executors instead of a copy.
 *
 * @param correlation         the agreement measure
 * @param maxCorrelation      flag as mis-annotated at or below this agreement (paper: 0.65)
 * @param bottomFraction      also flag this lowest share by agreement (paper: 0.01)
 * @param lowImpactFraction   flag this lowest share by variance as low-impact (0.05)
 * @param labelsIndependent   whether the labels are a separate annotation; when they are
 *                            the scores themselves, agreement is trivially perfect and no
 *                            misannotation flag is raised from the map's scores
 * @param minMargin           a preference pair is flagged when the score of its chosen
 *                            response minus the rejected one's is below this (0: the scores
 *                            prefer the rejected response)
 * @param scorers             score sources whose agreement is weighed
 *                            ({@link Reason#SCORERS_DISAGREE}); may include the map's own
 * @param scorerQuorum        the share of the scorers with evidence that must disagree with the
 *                            labels (1: all of them); at least two always must
 * @param minScorerAgreement  and those scorers must agree with each other: their mean pairwise
 *                            Kendall tau-b over the instruction's responses at least this
 * @param weighByUncertainty  whether each response's part in the agreement is weighed by the
 *                            inverse of its score's noise variance ({@link UncertaintyWeights};
 *                            {@code --weigh-by-uncertainty})
 * @param maxAgreeProbability the probability rule of {@code --max-agree-probability}: flag an
 *                            instruction as mis-annotated (a pair as score-prefers-rejected) when
 *                            the probability that its scores order its responses as its labels
 *                            do, under the judge's noise, is at or below this
 *                            ({@link AgreementProbability}), instead of the agreement and margin
 *                            thresholds; NaN: off (the default)
 */
public record DiagnoseOptions(Correlation correlation, double maxCorrelation, double bottomFraction,
                              double lowImpactFraction, boolean labelsIndependent, double minMargin,
                              List<String> scorers, double scorerQuorum, double minScorerAgreement,
                              boolean weighByUncertainty, double maxAgreeProbability) implements Serializable {

    /** The options without the probability rule. */
    public DiagnoseOptions(Correlation correlation, double maxCorrelation, double bottomFraction,
                           double lowImpactFraction, boolean labelsIndependent, double minMargin,
                           List<String> scorers, double scorerQuorum, double minScorerAgreement,
                           boolean weighByUncertainty) {
        this(correlation, maxCorrelation, bottomFraction, lowImpactFraction, labelsIndependent, minMargin, scorers,
                scorerQuorum, minScorerAgreement, weighByUncertainty, Double.NaN);
    }

    /** The options without weighing by uncertainty (the paper's and admap's plain rule). */
    public DiagnoseOptions(Correlation correlation, double maxCorrelation, double bottomFraction,
                           double lowImpactFraction, boolean labelsIndependent, double minMargin,
                           List<String> scorers, double scorerQuorum, double minScorerAgreement) {
        this(correlation, maxCorrelation, bottomFraction, lowImpactFraction, labelsIndependent, minMargin, scorers,
                scorerQuorum, minScorerAgreement, false);
    }

    /** admap's default for {@code minScorerAgreement}: at most one discordant pair in four responses. */
    public static final double DEFAULT_SCORER_AGREEMENT = 0.5;

    /** Why {@code --corr kl} and {@code --weigh-by-uncertainty} do not go together. */
    static final String NO_WEIGHTED_KL = "--weigh-by-uncertainty has no weighted form of --corr kl (it compares two"
            + " distributions); use cosine, pearson, pearson-minmax, kendall or rank with it";

    public DiagnoseOptions {
        Objects.requireNonNull(correlation, "correlation");
        if (weighByUncertainty && correlation == Correlation.KL) {
            throw new IllegalArgumentException(NO_WEIGHTED_KL);
        }
        if (!(maxCorrelation >= -1 && maxCorrelation <= 1)) {
            throw new IllegalArgumentException("the correlation threshold must be in [-1, 1], got " + maxCorrelation);
        }
        if (!(bottomFraction >= 0 && bottomFraction <= 1)) {
            throw new IllegalArgumentException("the bottom fraction must be in [0, 1], got " + bottomFraction);
        }
        if (!(lowImpactFraction >= 0 && lowImpactFraction <= 1)) {
            throw new IllegalArgumentException("the low-impact fraction must be in [0, 1], got " + lowImpactFraction);
        }
        if (!Double.isNaN(maxAgreeProbability) && !(maxAgreeProbability >= 0 && maxAgreeProbability <= 1)) {
            throw new IllegalArgumentException("the agreement probability threshold must be in [0, 1], got "
                    + maxAgreeProbability);
        }
        if (Double.isNaN(minMargin)) {
            throw new IllegalArgumentException("the margin threshold must be a number");
        }
        scorers = List.copyOf(scorers);
        if (scorers.stream().distinct().count() != scorers.size()) {
            throw new IllegalArgumentException("a scorer is listed twice: " + scorers);
        }
        if (!(scorerQuorum > 0 && scorerQuorum <= 1)) {
            throw new IllegalArgumentException("the scorer quorum must be in (0, 1], got " + scorerQuorum);
        }
        if (!(minScorerAgreement >= -1 && minScorerAgreement <= 1)) {
            throw new IllegalArgumentException("the scorer agreement threshold must be in [-1, 1], got "
                    + minScorerAgreement);
        }
    }

    /** The paper's four numbers, with admap's defaults for the rest and no extra scorers. */
    public DiagnoseOptions(Correlation correlation, double maxCorrelation, double bottomFraction,
                           double lowImpactFraction, boolean labelsIndependent) {
        this(correlation, maxCorrelation, bottomFraction, lowImpactFraction, labelsIndependent, 0, List.of(), 1,
                DEFAULT_SCORER_AGREEMENT);
    }

    /** The paper's thresholds: cosine, at or below 0.65 or bottom 1%; low-impact bottom 5% variance. */
    public static DiagnoseOptions paper(boolean labelsIndependent) {
        return new DiagnoseOptions(Correlation.COSINE, 0.65, 0.01, 0.05, labelsIndependent);
    }

    /**
     * The paper's value of the option that sets a threshold on the command line
     * ({@code --corr}, {@code --max-corr}, {@code --bottom}, {@code --low-impact},
     * {@code --min-margin}), as its default's text, or null for another option: the CLI's and
     * Spark's defaults come from {@link #paper}, never from numbers typed again.
     */
    public static String paperDefault(String option) {
        DiagnoseOptions p = paper(true);
        return switch (option) {
            case "--corr" -> p.correlation().cliName();
            case "--max-corr" -> text(p.maxCorrelation());
            case "--bottom" -> text(p.bottomFraction());
            case "--low-impact" -> text(p.lowImpactFraction());
            case "--min-margin" -> text(p.minMargin());
            default -> null;
        };
    }

    private static String text(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** These options with another margin threshold for pairs. */
    public DiagnoseOptions withMinMargin(double value) {
        return new DiagnoseOptions(correlation, maxCorrelation, bottomFraction, lowImpactFraction, labelsIndependent,
                value, scorers, scorerQuorum, minScorerAgreement, weighByUncertainty,
                maxAgreeProbability);
    }

    /** These options with scorers whose agreement is weighed, and its thresholds. */
    public DiagnoseOptions withScorers(List<String> sources, double quorum, double minAgreement) {
        return new DiagnoseOptions(correlation, maxCorrelation, bottomFraction, lowImpactFraction, labelsIndependent,
                minMargin, sources, quorum, minAgreement, weighByUncertainty,
                maxAgreeProbability);
    }

    /** These options, saying whether the labels are independent of the map's scores. */
    public DiagnoseOptions withLabelsIndependent(boolean value) {
        return new DiagnoseOptions(correlation, maxCorrelation, bottomFraction, lowImpactFraction, value, minMargin,
                scorers, scorerQuorum, minScorerAgreement, weighByUncertainty,
                maxAgreeProbability);
    }

    /** These options, saying whether responses are weighed by the inverse of their scores' noise variance. */
    public DiagnoseOptions withWeighByUncertainty(boolean value) {
        return new DiagnoseOptions(correlation, maxCorrelation, bottomFraction, lowImpactFraction, labelsIndependent,
                minMargin, scorers, scorerQuorum, minScorerAgreement, value,
                maxAgreeProbability);
    }

    /** These options with the probability rule at {@code threshold} (NaN: off). */
    public DiagnoseOptions withMaxAgreeProbability(double threshold) {
        return new DiagnoseOptions(correlation, maxCorrelation, bottomFraction, lowImpactFraction, labelsIndependent,
                minMargin, scorers, scorerQuorum, minScorerAgreement, weighByUncertainty, threshold);
    }

    /** Whether the probability rule is on ({@link #maxAgreeProbability}). */
    public boolean byAgreeProbability() {
        return !Double.isNaN(maxAgreeProbability);
    }
}
