package org.admap.diagnose;

import java.util.Set;

/**
 * A flagged instruction with the numbers behind every reason.
 *
 * @param key         the run store's key of the item
 * @param id          the item's id
 * @param reasons     why it is flagged, at least one
 * @param correlation label/score agreement, NaN when undefined or not computed
 * @param margin      for two-response items with differing labels: the score of the
 *                    labelled-better response minus the other's (negative when the scores
 *                    prefer the rejected one); NaN otherwise
 * @param mean        the item's mean score
 * @param variance    the item's score variance
 * @param n           scored responses
 * @param detail      the rule each reason met, in words (for example
 *                    {@code cosine 0.41 <= 0.65})
 */
public record Flag(int key, String id, Set<Reason> reasons, double correlation, double margin, double mean,
                   double variance, int n, String detail) {

    public Flag {
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a flag needs a reason");
        }
        reasons = Set.copyOf(reasons);
    }
}
