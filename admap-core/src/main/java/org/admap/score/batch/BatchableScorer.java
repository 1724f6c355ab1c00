package org.admap.score.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.Scorer;

/**
 * A scorer whose calls can also go through the OpenAI Batch API ({@link BatchScoring}): for
 * each task it gives the exact request body its live call would send, and it reads a batch
 * answer the way it reads a live one. A batch line cannot be asked again, so an answer that
 * does not parse is a failed outcome at once (its reason says so).
 */
public interface BatchableScorer extends Scorer {

    /** The endpoint every request body is for, as the Batch API names it ({@code /v1/chat/completions}). */
    String batchEndpoint();

    /** The request body of a task: the same body its live call sends. */
    JsonNode batchRequest(ScoreTask task);

    /**
     * The outcomes of a task from the body of its answer (a 200 line of the batch output
     * file), one per response, with tokens costed at Batch API prices (half the live price).
     */
    List<ScoreOutcome> batchOutcomes(ScoreTask task, JsonNode answer);
}
