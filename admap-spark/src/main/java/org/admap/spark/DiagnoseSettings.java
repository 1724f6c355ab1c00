package org.admap.spark;

import java.io.Serializable;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.stats.Correlation;

/**
 * The diagnosis thresholds in a form that travels to the executors (the core's
 * {@link DiagnoseOptions} is not serializable); each executor rebuilds the options from it.
 * Extra scorers ({@code --scorers}) are not part of a Spark job: it maps one score source.
 *
 * @param correlation       the agreement measure (of the map's column too)
 * @param maxCorrelation    mis-annotated at or below this agreement
 * @param bottomFraction    also the lowest share by agreement
 * @param lowImpactFraction low-impact: the lowest share by variance
 * @param minMargin         a pair is flagged when its chosen response's score margin is below this
 */
public record DiagnoseSettings(Correlation correlation, double maxCorrelation, double bottomFraction,
                               double lowImpactFraction, double minMargin) implements Serializable {

    public DiagnoseSettings {
        options(correlation, maxCorrelation, bottomFraction, lowImpactFraction, minMargin, false); // validates
    }

    /** The paper's: cosine, at or below 0.65 or the bottom 1%; low-impact the bottom 5% by variance. */
    public static DiagnoseSettings paper() {
        DiagnoseOptions p = DiagnoseOptions.paper(true);
        return new DiagnoseSettings(p.correlation(), p.maxCorrelation(), p.bottomFraction(), p.lowImpactFraction(),
                p.minMargin());
    }

    /** The core's options, for a map whose labels are (or are not) independent of its scores. */
    public DiagnoseOptions toOptions(boolean labelsIndependent) {
        return options(correlation, maxCorrelation, bottomFraction, lowImpactFraction, minMargin, labelsIndependent);
    }

    private static DiagnoseOptions options(Correlation c, double max, double bottom, double low, double margin,
                                           boolean independent) {
        return new DiagnoseOptions(c, max, bottom, low, independent).withMinMargin(margin);
    }
}
