package org.admap.spark;

import java.io.Serializable;
import org.admap.model.Response;

/**
 * A {@link Response} that Spark can ship between machines (the core's records are not
 * {@link Serializable}, and need not be: only this module moves them).
 *
 * @param text  the response text
 * @param score the input's score, NaN when absent
 * @param label the input's label, NaN when absent
 * @param model the model that wrote it, or null
 */
public record ResponseRow(String text, double score, double label, String model) implements Serializable {

    /** Copies a core response. */
    public static ResponseRow of(Response r) {
        return new ResponseRow(r.text(), r.score(), r.label(), r.model());
    }

    /** The core response, its score taken from the labels when {@code scoresFromLabels}. */
    public Response toResponse(boolean scoresFromLabels) {
        return new Response(text, scoresFromLabels ? label : score, label, model);
    }
}
