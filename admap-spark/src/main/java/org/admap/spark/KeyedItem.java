package org.admap.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.admap.model.Item;
import org.admap.model.ItemScores;
import org.admap.model.SourceLocation;

/**
 * An instruction after assembly: responses of one-row-per-response files merged, repeated
 * ids renamed, and its key given, exactly as the run store holds it on a single machine.
 *
 * @param key       the position of the item in input order (the run store's item key)
 * @param id        the item's id, unique in the job
 * @param prompt    the instruction
 * @param input     the alpaca-style input, or the empty string
 * @param reference a reference answer, or null
 * @param responses all its responses, in input order
 *
 * <p>A conversational prompt's turns ({@link Item#turns}) are not carried: the Spark job
 * holds the flattened prompt only ({@link InputRow#of} drops them), so its judge sees a
 * conversation as that text, under the plain prompt's cache key; its scores are therefore
 * never mixed up with a single machine's, whose judge sees the turns under a key that covers them.
 */
public record KeyedItem(int key, String id, String prompt, String input, String reference,
                        List<ResponseRow> responses) implements Serializable {

    public KeyedItem {
        responses = List.copyOf(responses);
    }

    /**
     * The core item, its responses scored by the map's source: the input's scores, or the
     * labels when {@code scoresFromLabels}.
     */
    public Item toItem(boolean scoresFromLabels) {
        List<org.admap.model.Response> rs = new ArrayList<>(responses.size());
        for (ResponseRow r : responses) {
            rs.add(r.toResponse(scoresFromLabels));
        }
        return new Item(id, prompt, input, reference, rs, SourceLocation.row("spark", key));
    }

    /** The numbers the map and the diagnosis work on, as the run store streams them. */
    public ItemScores scores(boolean scoresFromLabels) {
        double[] scores = new double[responses.size()];
        double[] labels = new double[responses.size()];
        for (int i = 0; i < scores.length; i++) {
            ResponseRow r = responses.get(i);
            scores[i] = scoresFromLabels ? r.label() : r.score();
            labels[i] = r.label();
        }
        return new ItemScores(key, id, scores, labels);
    }

    /** Whether any response's input score was a list of samples. */
    public boolean hasSamples() {
        for (ResponseRow r : responses) {
            if (!r.samples().isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
