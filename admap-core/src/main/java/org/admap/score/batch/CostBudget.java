package org.admap.score.batch;

/**
 * The most a run may submit, in estimated US dollars at batch prices: requests are admitted
 * in order while their running sum stays within it; the first that would pass it ends the
 * submission (later, cheaper ones are not slipped in, so the cut is where the user sees it).
 */
final class CostBudget {

    private final double limitUsd;
    private double reservedUsd;

    /** @param limitUsd the limit; NaN: none */
    CostBudget(double limitUsd) {
        this.limitUsd = limitUsd;
    }

    /** Reserves {@code costUsd} if it fits; returns false, reserving nothing, if it does not. */
    boolean admit(double costUsd) {
        if (!Double.isNaN(limitUsd) && reservedUsd + costUsd > limitUsd) {
            return false;
        }
        reservedUsd += costUsd;
        return true;
    }
}
