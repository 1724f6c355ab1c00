package org.admap.diagnose;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A flagged instruction with the numbers behind every reason.
 *
 * @param key                the run store's key of the item
 * @param id                 the item's id
 * @param details            why it is flagged, at least one reason, each with the rule it met
 *                           in words (for example {@code cosine 0.41 <= 0.65}), in reason order
 * @param correlation        label/score agreement, NaN when undefined or not computed
 * @param margin             for two-response items with differing labels: the score of the
 *                           labelled-better response minus the other's (negative when the
 *                           scores prefer the rejected one); NaN otherwise
 * @param mean               the item's mean score (NaN when it is not on the map)
 * @param variance           the item's score variance (NaN when it is not on the map)
 * @param n                  scored responses (all responses when it is not on the map)
 * @param rankAgreement      the rank agreement of labels and the map's scores
 *                           ({@link Correlation#RANK}); NaN when not computed
 * @param confidence         for a pair: the scorer's confidence in its scores, where it gives
 *                           one; NaN otherwise
 * @param scorers            the evidence of each scorer of {@code --scorers}, in their order
 *                           (empty without them)
 * @param scorersAgainst     how many of those disagree with the labels
 * @param scorerAgreement    the mean pairwise Kendall tau-b between the scorers that disagree
 *                           with the labels; NaN when fewer than two do
 * @param duplicateResponses responses that repeat another response of the item (whitespace
 *                           aside)
 * @param duplicateOf        the earlier instruction this one repeats, or null
 */
public record Flag(int key, String id, Map<Reason, String> details, double correlation, double margin, double mean,
                   double variance, int n, double rankAgreement, double confidence,
                   List<Evidence> scorers, int scorersAgainst, double scorerAgreement, int duplicateResponses,
                   Duplicates.Instruction duplicateOf) {

    public Flag {
        if (details.isEmpty()) {
            throw new IllegalArgumentException("a flag needs a reason");
        }
        details = Collections.unmodifiableMap(new EnumMap<>(details));
        scorers = List.copyOf(scorers);
    }

    /** Why it is flagged, in reason order. */
    public Set<Reason> reasons() {
        return details.keySet();
    }

    /** The rules its reasons met, in words, joined by {@code "; "} in reason order. */
    public String detail() {
        return String.join("; ", details.values());
    }

    /** Whether one of its reasons says the labels are probably wrong. */
    public boolean aboutLabels() {
        return details.keySet().stream().anyMatch(Reason::aboutLabels);
    }
}
