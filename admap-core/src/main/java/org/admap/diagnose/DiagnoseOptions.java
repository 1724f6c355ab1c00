package org.admap.diagnose;

/**
 * Thresholds of the diagnosis. The defaults are the paper's.
 *
 * @param correlation         the agreement measure
 * @param maxCorrelation      flag as mis-annotated at or below this agreement (paper: 0.65)
 * @param bottomFraction      also flag this lowest share by agreement (paper: 0.01)
 * @param lowImpactFraction   flag this lowest share by variance as low-impact (0.05)
 * @param labelsIndependent   whether the labels are a separate annotation; when they are
 *                            the scores themselves, agreement is trivially perfect and no
 *                            misannotation flag is raised
 */
public record DiagnoseOptions(Correlation correlation, double maxCorrelation, double bottomFraction,
                              double lowImpactFraction, boolean labelsIndependent) {

    public DiagnoseOptions {
        if (!(maxCorrelation >= -1 && maxCorrelation <= 1)) {
            throw new IllegalArgumentException("the correlation threshold must be in [-1, 1], got " + maxCorrelation);
        }
        if (!(bottomFraction >= 0 && bottomFraction <= 1)) {
            throw new IllegalArgumentException("the bottom fraction must be in [0, 1], got " + bottomFraction);
        }
        if (!(lowImpactFraction >= 0 && lowImpactFraction <= 1)) {
            throw new IllegalArgumentException("the low-impact fraction must be in [0, 1], got " + lowImpactFraction);
        }
    }

    /** The paper's thresholds: cosine, at or below 0.65 or bottom 1%; low-impact bottom 5% variance. */
    public static DiagnoseOptions paper(boolean labelsIndependent) {
        return new DiagnoseOptions(Correlation.COSINE, 0.65, 0.01, 0.05, labelsIndependent);
    }
}
