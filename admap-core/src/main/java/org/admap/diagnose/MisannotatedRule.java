package org.admap.diagnose;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Reason#MISANNOTATED}: the agreement of labels and the map's scores is at or below
 * {@code maxCorrelation}, or among the lowest {@code bottomFraction} of the map.
 */
final class MisannotatedRule implements FlagRule {

    private final DiagnoseOptions options;
    private final NumberWords numbers = new NumberWords();
    /** The bottom share in words, the same for every flag: formatted once. */
    private final String bottomShare;

    MisannotatedRule(DiagnoseOptions options) {
        this.options = options;
        this.bottomShare = FlagRule.percent(options.bottomFraction());
    }

    @Override
    public Reason reason() {
        return Reason.MISANNOTATED;
    }

    @Override
    public String why(Examined item, Duplicates.Found text, Diagnoser.Thresholds thresholds) {
        if (options.byAgreeProbability()) {
            return item == null || item.main() == null || item.main().n() < 3 ? null
                    : FlagRule.probabilityWhy(item.main(), options, numbers);
        }
        double c = item == null || item.main() == null ? Double.NaN : item.main().correlation();
        if (Double.isNaN(c)) {
            return null;
        }
        String measure = options.correlation().cliName();
        double bottom = thresholds.bottomCorrelation();
        List<String> rules = new ArrayList<>();
        if (c <= options.maxCorrelation()) {
            rules.add(measure + " " + numbers.of(c) + " <= " + numbers.of(options.maxCorrelation()));
        }
        if (!Double.isNaN(bottom) && c <= bottom) {
            rules.add(measure + " in the bottom " + bottomShare + " (<= "
                    + numbers.of(bottom) + ")");
        }
        return rules.isEmpty() ? null : String.join("; ", rules);
    }
}
