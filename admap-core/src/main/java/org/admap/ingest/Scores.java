package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.admap.model.Response;

/** Reads a score field, a number or a list of samples, and applies a score transform. */
final class Scores {

    private Scores() {
    }

    /**
     * A score as read: its value and, when the field held a list of repeated judgments, the
     * samples (each transformed) whose mean the value is.
     */
    record Read(double value, List<Double> samples) {
    }

    private static final Read ABSENT = new Read(Response.ABSENT, List.of());

    /**
     * Reads an optional score field: a number (or numeric string), or a list of numbers, the
     * samples of a judge that graded the response several times (Prometheus' {@code gpt4_score}).
     * Each number is transformed; the value of a list is the mean of its samples. An empty list
     * is no score; a list entry that is not a number is an error naming its index.
     */
    static Read read(RowFields f, JsonNode parent, String name, String path, ScoreTransform transform) {
        JsonNode value = RowFields.at(parent, name);
        if (value == null || !value.isArray()) {
            double score = f.optionalNumber(parent, name, path);
            return Double.isNaN(score) ? ABSENT : new Read(transform(transform, score, f, path), List.of());
        }
        if (value.isEmpty()) {
            return ABSENT;
        }
        List<Double> samples = new ArrayList<>(value.size());
        double sum = 0;
        for (int i = 0; i < value.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode e = value.get(i);
            if (RowFields.isAbsent(e)) {
                throw f.error(at, "is null; a list of scores holds one number per judgment");
            }
            double x = f.number(e, at);
            if (Double.isNaN(x)) {
                throw f.error(at, "is empty; a list of scores holds one number per judgment");
            }
            x = transform(transform, x, f, at);
            samples.add(x);
            sum += x;
        }
        return new Read(sum / samples.size(), samples);
    }

    static double transform(ScoreTransform transform, double score, RowFields f, String path) {
        if (transform.isIdentity()) {
            return score;
        }
        double t = transform.apply(score);
        if (Double.isNaN(t) || Double.isInfinite(t) || Math.abs(t) > RowFields.MAX_MAGNITUDE) {
            throw f.error(path, "score transform '" + transform + "' turns " + score + " into " + t);
        }
        return t;
    }
}
