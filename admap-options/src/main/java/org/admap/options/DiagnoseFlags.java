package org.admap.options;

import org.admap.diagnose.DiagnoseOptions;
import org.admap.stats.Correlation;
import picocli.CommandLine.Option;

/**
 * The diagnosis thresholds and the agreement measure, shared by {@code admap diagnose} and the
 * Spark job. Their defaults are the paper's, which {@link PaperDefaults} supplies: a command
 * that mixes these in names it as its {@code defaultValueProvider}.
 */
public final class DiagnoseFlags {

    @Option(names = "--corr", paramLabel = "MEASURE", converter = Correlations.class,
            description = "Agreement measure: cosine (default, the paper's), pearson, kendall, rank (the share of"
                    + " label-ordered response pairs the scores order the same way, minus the share they reverse),"
                    + " or two more of the paper's code: pearson-minmax (Pearson after min-max normalising each"
                    + " side; the same as pearson up to rounding) and kl (exp(-KL(labels || scores)), each side"
                    + " divided by its sum: 1 = the same distribution; higher is more agreement, as for the"
                    + " others, so --max-corr and --bottom apply unchanged).")
    Correlation correlation;

    @Option(names = "--max-corr", paramLabel = "X",
            description = "Flag agreement at or below this (default ${DEFAULT-VALUE}, the paper's).")
    double maxCorrelation;

    @Option(names = "--bottom", paramLabel = "FRACTION",
            description = "Also flag this lowest share by agreement (default ${DEFAULT-VALUE}, the paper's 1%%).")
    double bottom;

    @Option(names = "--min-margin", paramLabel = "X",
            description = "Flag a pair whose chosen-minus-rejected score is below this (default ${DEFAULT-VALUE}).")
    double minMargin;

    @Option(names = "--low-impact", paramLabel = "FRACTION",
            description = "Flag this lowest share by variance as low-impact (default ${DEFAULT-VALUE}).")
    double lowImpact;

    /**
     * The core's options these flags name.
     *
     * @param labelsIndependent whether the labels are an annotation of their own (not the scores)
     */
    public DiagnoseOptions toOptions(boolean labelsIndependent) {
        if (correlation == null) {
            throw new IllegalStateException("the command that mixes in DiagnoseFlags must name PaperDefaults as its"
                    + " defaultValueProvider");
        }
        return new DiagnoseOptions(correlation, maxCorrelation, bottom, lowImpact, labelsIndependent)
                .withMinMargin(minMargin);
    }
}
