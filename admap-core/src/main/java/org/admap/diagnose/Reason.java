package org.admap.diagnose;

/** Why an instruction is flagged. */
public enum Reason {
    /**
     * Labels disagree with the alignment scores (correlation at or below the threshold, or
     * in the bottom share): the annotation may be wrong.
     */
    MISANNOTATED("misannotated"),
    /**
     * A two-response item (a preference pair) whose scores prefer the response the label
     * rejected: the pair may be flipped.
     */
    SCORE_PREFERS_REJECTED("score-prefers-rejected"),
    /**
     * Near-zero score variance (bottom share of the map): the responses are
     * indistinguishable, so the item teaches a preference model little.
     */
    LOW_IMPACT("low-impact");

    private final String cliName;

    Reason(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
