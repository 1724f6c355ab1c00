package org.admap.spark;

import java.io.Serializable;

/**
 * What the whole data says about its numbers, which decides the map's score source and
 * whether labels are independent of scores: the run store's {@code hasInputScores},
 * {@code hasLabels} and {@code labelsEqualScores}, computed in one pass over all responses.
 *
 * @param hasScores         some response has a score from the input
 * @param hasLabels         some response has a label
 * @param labelsEqualScores every response's label is its score (both absent counts as equal)
 */
public record SourceFacts(boolean hasScores, boolean hasLabels, boolean labelsEqualScores) implements Serializable {

    /** Nothing seen yet: the identity of {@link #merge}. */
    public static final SourceFacts NONE = new SourceFacts(false, false, true);

    /** The facts of one item's responses. */
    public static SourceFacts of(KeyedItem item) {
        boolean scores = false;
        boolean labels = false;
        boolean equal = true;
        for (ResponseRow r : item.responses()) {
            scores |= !Double.isNaN(r.score());
            labels |= !Double.isNaN(r.label());
            equal &= Double.isNaN(r.score()) ? Double.isNaN(r.label()) : r.score() == r.label();
        }
        return new SourceFacts(scores, labels, equal);
    }

    /** The facts of two parts of the data together. */
    public SourceFacts merge(SourceFacts o) {
        return new SourceFacts(hasScores || o.hasScores, hasLabels || o.hasLabels,
                labelsEqualScores && o.labelsEqualScores);
    }

    /**
     * The score source a map uses: as asked, or for {@code auto} the data's scores when it has
     * any, else its labels ({@code MapJob.defaultSource}).
     *
     * @throws IllegalArgumentException when the asked-for source has no number
     */
    public String source(String asked) {
        if (asked.equals("auto")) {
            if (hasScores) {
                return "input";
            }
            if (hasLabels) {
                return "labels";
            }
            throw new IllegalArgumentException("the data has neither scores nor labels: there is nothing to map"
                    + " (check the score and label fields)");
        }
        if (asked.equals("input") && !hasScores || asked.equals("labels") && !hasLabels) {
            throw new IllegalArgumentException("no scores from '" + asked + "' in this data; available: "
                    + (hasScores ? "input" : "") + (hasScores && hasLabels ? ", " : "") + (hasLabels ? "labels" : ""));
        }
        return asked;
    }

    /** A scorer's source, once its scores are in: refused when it gave no score at all. */
    public String scorerSource(String name) {
        if (!hasScores) {
            throw new IllegalArgumentException("no scores from '" + name + "': every call failed (see the score"
                    + " store's errors)");
        }
        return name;
    }

    /** {@code independent}, {@code scores} or {@code none}, as {@code MapJob.labelRelation} says. */
    public String labelRelation(String source) {
        if (!hasLabels) {
            return "none";
        }
        return source.equals("labels") || source.equals("input") && labelsEqualScores ? "scores" : "independent";
    }
}
