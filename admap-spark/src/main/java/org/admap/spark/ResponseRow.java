package org.admap.spark;

import java.io.Serializable;
import java.util.List;
import org.admap.model.Response;

/**
 * A {@link Response} that Spark can ship between machines (the core's records are not
 * {@link Serializable}, and need not be: only this module moves them).
 *
 * @param text  the response text
 * @param score the input's score, NaN when absent
 * @param label the input's label, NaN when absent
 * @param model the model that wrote it, or null
 * @param samples the repeated judgments the input's score is the mean of, when the input gave it
 *                as a list (Prometheus' {@code gpt4_score}); empty otherwise. The map's stability
 *                ({@code region_p}) is estimated from them, as the run store's {@code input_samples}.
 */
public record ResponseRow(String text, double score, double label, String model, List<Double> samples)
        implements Serializable {

    public ResponseRow {
        samples = samples == null || samples.isEmpty() ? List.of() : List.copyOf(samples);
    }

    /** A response whose score, if any, is a single number. */
    public ResponseRow(String text, double score, double label, String model) {
        this(text, score, label, model, List.of());
    }

    /** Copies a core response. */
    public static ResponseRow of(Response r) {
        return new ResponseRow(r.text(), r.score(), r.label(), r.model(), r.samples());
    }

    /**
     * The standard error of the score from its samples, {@code sd(samples, ddof=1) / sqrt(k)},
     * NaN with fewer than two: what the run store computes for list-valued input scores, in
     * DuckDB's order of operations ({@code stddev_samp}'s streaming update, then the division),
     * so that the single machine's and the job's {@code region_p} agree to the bit.
     */
    public double standardError() {
        int k = samples.size();
        if (k < 2) {
            return Double.NaN;
        }
        double mean = 0;
        double squares = 0;
        long count = 0;
        for (double x : samples) {
            count++;
            double step = (x - mean) / count;
            double next = mean + step;
            squares += (x - next) * (x - mean);
            mean = next;
        }
        return Math.sqrt(squares / (count - 1)) / Math.sqrt(count);
    }

    /** The core response, its score taken from the labels when {@code scoresFromLabels}. */
    public Response toResponse(boolean scoresFromLabels) {
        return new Response(text, scoresFromLabels ? label : score, label, model);
    }
}
