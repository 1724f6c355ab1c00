package org.admap.diagnose;

/**
 * {@link Reason#SCORE_PREFERS_REJECTED}: a preference pair whose score margin of the chosen
 * response over the rejected one is below {@code minMargin}.
 */
final class ScorePrefersRejectedRule implements FlagRule {

    private final DiagnoseOptions options;

    ScorePrefersRejectedRule(DiagnoseOptions options) {
        this.options = options;
    }

    @Override
    public Reason reason() {
        return Reason.SCORE_PREFERS_REJECTED;
    }

    @Override
    public String why(Examined item, Duplicates.Found text, Diagnoser.Thresholds thresholds) {
        if (options.byAgreeProbability()) {
            return item == null || item.main() == null || item.main().n() != 2 ? null
                    : FlagRule.probabilityWhy(item.main(), options, null);
        }
        double margin = item == null || item.main() == null ? Double.NaN : item.main().margin();
        if (Double.isNaN(margin) || !(margin < options.minMargin())) {
            return null;
        }
        return margin < 0 ? "scores prefer the rejected response by " + FlagRule.fmt(-margin)
                : "score margin " + FlagRule.fmt(margin) + " < " + FlagRule.fmt(options.minMargin());
    }
}
