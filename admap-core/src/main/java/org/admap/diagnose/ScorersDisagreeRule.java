package org.admap.diagnose;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Reason#SCORERS_DISAGREE}: at least two scorers, and the quorum of those with
 * evidence, contradict the labels and agree with each other (mean pairwise Kendall tau-b at
 * least {@code minScorerAgreement}).
 */
final class ScorersDisagreeRule implements FlagRule {

    private final DiagnoseOptions options;

    ScorersDisagreeRule(DiagnoseOptions options) {
        this.options = options;
    }

    @Override
    public Reason reason() {
        return Reason.SCORERS_DISAGREE;
    }

    @Override
    public String why(Examined item, Duplicates.Found text, Diagnoser.Thresholds thresholds) {
        if (item == null) {
            return null;
        }
        int needed = Math.max(2, (int) Math.ceil(options.scorerQuorum() * item.scorersDefined() - 1e-9));
        boolean flagged = item.scorersDefined() >= 2 && item.scorersAgainst() >= needed
                && !Double.isNaN(item.scorerAgreement()) && item.scorerAgreement() >= options.minScorerAgreement();
        if (!flagged) {
            return null;
        }
        return item.scorersAgainst() + " of " + item.scorersDefined() + " scorers disagree with the labels ("
                + detail(item.scorers()) + ") and agree with each other (Kendall "
                + FlagRule.fmt(item.scorerAgreement()) + " >= " + FlagRule.fmt(options.minScorerAgreement()) + ")";
    }

    private String detail(List<Evidence> scorers) {
        List<String> parts = new ArrayList<>();
        for (Evidence e : scorers) {
            if (!e.defined()) {
                parts.add(e.source() + " no evidence");
            } else if (e.n() >= 3) {
                parts.add(e.source() + " " + options.correlation().cliName() + " " + FlagRule.fmt(e.correlation()));
            } else {
                parts.add(e.source() + " margin " + FlagRule.fmt(e.margin()));
            }
        }
        return String.join(", ", parts);
    }
}
