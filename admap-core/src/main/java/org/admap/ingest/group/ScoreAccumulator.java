package org.admap.ingest.group;

import java.util.ArrayList;
import java.util.List;
import org.admap.model.InputScore;

/**
 * The scores one response collects from the rows it appears in. A row that holds the response
 * alone (one response per row, an unpaired row, a list of judgments) adds its score, or each of
 * its list's judgments, as a sample: such rows are repeated judgments of the response. A
 * comparison (a row of two responses) reports the response's score again with each pair it is
 * in (UltraFeedback's {@code score_chosen}), so those reports are averaged, never counted as
 * samples.
 */
final class ScoreAccumulator {

    private final List<Double> samples = new ArrayList<>(1);
    private boolean listGiven;
    private double reportedSum;
    private int reportedCount;

    /** A score from a row that holds this response alone, or from a list of judgments. */
    void addSamples(double value, List<Double> list) {
        if (!list.isEmpty()) {
            samples.addAll(list);
            listGiven = true;
        } else if (!Double.isNaN(value)) {
            samples.add(value);
        }
    }

    /** A score a comparison reported for this response. */
    void addReported(double value, List<Double> list) {
        if (!list.isEmpty()) {
            addSamples(value, list);
        } else if (!Double.isNaN(value)) {
            reportedSum += value;
            reportedCount++;
        }
    }

    /** The response's score, or null when no row gave one. */
    InputScore result() {
        if (!samples.isEmpty()) {
            double sum = 0;
            for (double x : samples) {
                sum += x;
            }
            double mean = samples.size() == 1 ? samples.get(0) : sum / samples.size();
            return new InputScore(mean, listGiven || samples.size() > 1 ? samples : List.of());
        }
        return reportedCount == 0 ? null : new InputScore(reportedSum / reportedCount, List.of());
    }
}
