package org.admap.diagnose;

/** {@link Reason#DUPLICATE_INSTRUCTION}: the instruction repeats an earlier one (which is not flagged). */
final class DuplicateInstructionRule implements FlagRule {

    @Override
    public Reason reason() {
        return Reason.DUPLICATE_INSTRUCTION;
    }

    @Override
    public String why(Examined item, Duplicates.Found text, Diagnoser.Thresholds thresholds) {
        if (text == null || text.duplicateOf() == null) {
            return null;
        }
        return "repeats " + text.duplicateOf().id() + " ("
                + (text.duplicateOf().kind() == Duplicates.Kind.EXACT ? "exact"
                : "after normalising case, whitespace and punctuation") + ")";
    }
}
