package org.admap.diagnose;

/**
 * {@link Reason#LOW_IMPACT}: the variance of the instruction's scores is among the lowest
 * {@code lowImpactFraction} of the map (ties at the boundary included, so that every
 * zero-variance instruction is flagged).
 */
final class LowImpactRule implements FlagRule {

    private final DiagnoseOptions options;
    private final NumberWords numbers = new NumberWords();
    /** The words of the bound, made once per threshold (every item of a map shares one). */
    private double boundOf = Double.NaN;
    private String bound;

    LowImpactRule(DiagnoseOptions options) {
        this.options = options;
    }

    @Override
    public Reason reason() {
        return Reason.LOW_IMPACT;
    }

    @Override
    public String why(Examined item, Duplicates.Found text, Diagnoser.Thresholds thresholds) {
        double low = thresholds.lowImpactVariance();
        if (item == null || Double.isNaN(low) || !(item.point().variance() <= low)) {
            return null;
        }
        if (bound == null || Double.compare(boundOf, low) != 0) {
            bound = " in the bottom " + FlagRule.percent(options.lowImpactFraction()) + " (<= " + FlagRule.fmt(low)
                    + ")";
            boundOf = low;
        }
        return "variance " + numbers.of(item.point().variance()) + bound;
    }
}
