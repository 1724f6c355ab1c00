package org.admap.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One response to an instruction, as read from the dataset.
 *
 * <p>A response may carry two numbers, and they mean different things:
 * <ul>
 *   <li>{@code score}: an alignment score that came with the data (a judge rating, a
 *       reward, AlpacaEval's preference). The map is built on scores.</li>
 *   <li>{@code label}: the dataset's own annotation (a human or GPT-4 rating, or 1/0 for
 *       chosen/rejected). Pairs are exported by label and the diagnosis compares labels
 *       with scores.</li>
 * </ul>
 * Either may be absent, which is represented by {@link Double#NaN}; a NaN in the input
 * itself is rejected at ingest, so NaN here always means "not given".
 *
 * @param text  the response text, never null (may be empty; the map does not read it)
 * @param score alignment score from the input, or NaN when absent
 * @param label the dataset's annotation, or NaN when absent
 * @param model the model that wrote the response, or null when unknown
 * @param samples the repeated judgments the score is the mean of, when the input gave the
 *                score as a list (Prometheus' {@code gpt4_score}: three GPT-4 grades); empty
 *                otherwise
 * @param sources the scores of further named sources the input gave it
 *                ({@code --score-field NAME=FIELD}), by source name in the order named; the
 *                {@code input} source is {@code score} itself and never in here
 */
public record Response(String text, double score, double label, String model, List<Double> samples,
                       Map<String, InputScore> sources) {

    /** The value of {@code score} or {@code label} when the input does not give one. */
    public static final double ABSENT = Double.NaN;

    public Response {
        Objects.requireNonNull(text, "text");
        samples = samples == null || samples.isEmpty() ? List.of() : List.copyOf(samples);
        sources = sources == null || sources.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    /** A response with no named sources. */
    public Response(String text, double score, double label, String model, List<Double> samples) {
        this(text, score, label, model, samples, Map.of());
    }

    /** A response whose score, if any, is a single number. */
    public Response(String text, double score, double label, String model) {
        this(text, score, label, model, List.of());
    }

    /** The same response with these named sources' scores. */
    public Response withSources(Map<String, InputScore> value) {
        return new Response(text, score, label, model, samples, value);
    }

    /** Returns whether the input gave this response a score. */
    public boolean hasScore() {
        return !Double.isNaN(score);
    }

    /** Returns whether the input gave this response a label. */
    public boolean hasLabel() {
        return !Double.isNaN(label);
    }
}
