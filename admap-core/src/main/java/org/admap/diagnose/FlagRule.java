package org.admap.diagnose;

import java.util.List;
import java.util.Locale;

/**
 * The rule of one {@link Reason}: whether an instruction is flagged for it and why, in words.
 * The {@link Diagnoser} asks every rule of {@link #all} about every instruction; a rule sees
 * the instruction's evidence from the scores ({@link Examined}, null for an instruction that is
 * not on the map), what was found in its texts, and the thresholds over the whole map.
 */
interface FlagRule {

    /** The reason this rule flags for. */
    Reason reason();

    /**
     * Why the instruction is flagged for {@link #reason()}, or null when it is not.
     *
     * @param item       its evidence from the scores, or null when it is not on the map
     * @param text       what was found in its texts, or null
     * @param thresholds the thresholds over the whole map
     */
    String why(Examined item, Duplicates.Found text, Diagnoser.Thresholds thresholds);

    /** The rules of every reason, in the order of {@link Reason}. */
    static List<FlagRule> all(DiagnoseOptions options) {
        return List.of(new MisannotatedRule(options), new ScorePrefersRejectedRule(options),
                new ScorersDisagreeRule(options), new LowImpactRule(options), new DuplicateResponsesRule(),
                new DuplicateInstructionRule());
    }

    /**
     * The reason of the probability rule ({@link DiagnoseOptions#maxAgreeProbability}), or null
     * when the evidence's agreement probability is above the threshold or undefined.
     */
    static String probabilityWhy(Evidence e, DiagnoseOptions options, NumberWords numbers) {
        double p = e.agreeProbability();
        if (Double.isNaN(p) || p > options.maxAgreeProbability()) {
            return null;
        }
        String value = numbers == null ? fmt(p) : numbers.of(p);
        return "P(scores agree with labels) " + value + " <= " + fmt(options.maxAgreeProbability());
    }

    /** A number in a reason's words: four significant digits. */
    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A fraction in a reason's words, as a percentage without trailing zeros. */
    static String percent(double fraction) {
        String s = String.format(Locale.ROOT, "%.4g", fraction * 100);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s + "%";
    }
}
