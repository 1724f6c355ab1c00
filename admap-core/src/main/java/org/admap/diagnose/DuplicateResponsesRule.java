package org.admap.diagnose;

/** {@link Reason#DUPLICATE_RESPONSES}: two or more responses are the same text, whitespace aside. */
final class DuplicateResponsesRule implements FlagRule {

    @Override
    public Reason reason() {
        return Reason.DUPLICATE_RESPONSES;
    }

    @Override
    public String why(Examined item, Duplicates.Found text, Diagnoser.Thresholds thresholds) {
        if (text == null || text.duplicateResponses() <= 0) {
            return null;
        }
        return text.duplicateResponses() + " of " + text.responses() + " responses "
                + (text.duplicateResponses() == 1 ? "repeats" : "repeat") + " another (whitespace aside)";
    }
}
