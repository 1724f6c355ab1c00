package org.admap.diagnose;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a diagnosis: the flagged instructions and how many were examined.
 *
 * @param flags               flagged instructions in input order
 * @param examined            instructions on the map that were examined
 * @param correlationDefined  of those, how many had a defined label/score agreement
 * @param options             the thresholds used
 * @param bottomCorrelation   the agreement at or below which the bottom share was flagged
 *                            (NaN when none was)
 * @param lowImpactVariance   the variance at or below which items were flagged low-impact
 *                            (NaN when none were)
 * @param scorersEvaluated    instructions on which two or more of the scorers had evidence,
 *                            so that their agreement could be weighed
 * @param duplicates          what was found in the texts ({@link Duplicates#none()} when they
 *                            were not examined)
 */
public record Diagnosis(List<Flag> flags, long examined, long correlationDefined, DiagnoseOptions options,
                        double bottomCorrelation, double lowImpactVariance, long scorersEvaluated,
                        Duplicates duplicates) {

    public Diagnosis {
        flags = List.copyOf(flags);
    }

    /** Flagged instructions per reason (an instruction with two reasons counts in both). */
    public Map<Reason, Long> countsByReason() {
        Map<Reason, Long> counts = new EnumMap<>(Reason.class);
        for (Reason r : Reason.values()) {
            counts.put(r, 0L);
        }
        for (Flag f : flags) {
            for (Reason r : f.reasons()) {
                counts.merge(r, 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Instructions flagged for at least one reason about their labels. */
    public long labelFlags() {
        return flags.stream().filter(Flag::aboutLabels).count();
    }
}
