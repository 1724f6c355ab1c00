package org.admap.diagnose;

/**
 * Why an instruction is flagged. The first three say its labels are probably wrong
 * ({@link #aboutLabels()}); the next two that it teaches a preference model little; the
 * last that it repeats another instruction.
 */
public enum Reason {
    /**
     * Labels disagree with the alignment scores (correlation at or below the threshold, or
     * in the bottom share): the annotation may be wrong.
     */
    MISANNOTATED("misannotated"),
    /**
     * A two-response item (a preference pair) whose scores prefer the response the label
     * rejected (margin below the threshold, 0 by default): the pair may be flipped.
     */
    SCORE_PREFERS_REJECTED("score-prefers-rejected"),
    /**
     * Several scorers agree with each other and all disagree with the labels: stronger
     * evidence of a wrong label than one scorer alone, which may simply be wrong itself.
     */
    SCORERS_DISAGREE("scorers-disagree"),
    /**
     * Near-zero score variance (bottom share of the map): the responses are
     * indistinguishable, so the item teaches a preference model little.
     */
    LOW_IMPACT("low-impact"),
    /**
     * Two or more responses of the instruction are the same text, whitespace aside: a pair
     * of them teaches nothing (a low-impact defect found in the texts, not the scores).
     */
    DUPLICATE_RESPONSES("duplicate-responses"),
    /**
     * The instruction repeats an earlier one, exactly or after normalising case, whitespace
     * and punctuation (for preference pairs: the same prompt with the same two responses).
     * The earlier one is not flagged: keep it, drop the repeats.
     */
    DUPLICATE_INSTRUCTION("duplicate-instruction");

    private final String cliName;

    Reason(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether the reason says the labels are probably wrong (what {@code --inject-flips} measures). */
    public boolean aboutLabels() {
        return this == MISANNOTATED || this == SCORE_PREFERS_REJECTED || this == SCORERS_DISAGREE;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
