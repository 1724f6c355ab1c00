package org.admap.model;

import java.util.List;

/**
 * A score that came with the data under a named source ({@code --score-field gpt35=gpt_result}):
 * its value and, when the input gave it as a list of repeated judgments or in several rows, the
 * samples whose mean the value is.
 *
 * @param value   the score, the mean of {@code samples} when there are any
 * @param samples the repeated judgments, empty when the score is one number
 */
public record InputScore(double value, List<Double> samples) {

    public InputScore {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("an input score has a value; leave an absent one out");
        }
        samples = samples == null || samples.isEmpty() ? List.of() : List.copyOf(samples);
    }
}
