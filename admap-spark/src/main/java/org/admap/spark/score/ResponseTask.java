package org.admap.spark.score;

import java.io.Serializable;
import java.util.List;
import org.admap.score.ScoreTask;

/**
 * One response to score, with the cache key the single machine uses: the scorer's
 * fingerprint (one per job) with the instruction's prompt hash and the response's text hash.
 *
 * @param itemKey      the instruction's key
 * @param itemId       its id
 * @param prompt       the full prompt
 * @param promptHash   {@link ScoreTask#promptHash} of the prompt
 * @param reference    the data's reference answer, or null
 * @param position     the response's position in its instruction
 * @param text         the response
 * @param responseHash the response's {@link org.admap.model.TextHash}
 */
public record ResponseTask(int itemKey, String itemId, String prompt, String promptHash, String reference,
                           int position, String text, String responseHash) implements Serializable {

    /** Its cache key. */
    public ResponseKey key() {
        return new ResponseKey(promptHash, responseHash);
    }

    /** The core's task for a scorer of one response per call. */
    public ScoreTask toScoreTask() {
        return new ScoreTask(itemKey, itemId, prompt, promptHash, reference,
                List.of(new ScoreTask.Target(position, text, responseHash)));
    }
}
