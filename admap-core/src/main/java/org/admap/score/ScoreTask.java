package org.admap.score;

import java.util.List;

/**
 * One unit of scoring work: an instruction and the responses of it to score in one go (one
 * response, or all pending ones when a scorer scores whole instructions).
 *
 * @param itemKey    the run store's key of the instruction
 * @param itemId     its id
 * @param prompt     the full prompt text
 * @param promptHash the prompt's {@link org.admap.model.TextHash}
 * @param reference  a reference answer that came with the data, or null
 * @param responses  the responses to score, at least one
 * @param sample     which of the repeated judgments of these responses this is (0-based; 0 when
 *                   each response is judged once): it picks the call's seed and, with
 *                   {@code --orders 2}, the order the responses are shown in
 */
public record ScoreTask(int itemKey, String itemId, String prompt, String promptHash, String reference,
                        List<Target> responses, int sample) {

    public ScoreTask {
        responses = List.copyOf(responses);
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("a task needs a response");
        }
        if (sample < 0) {
            throw new IllegalArgumentException("a sample index is 0 or more, got " + sample);
        }
    }

    /** The task of the first (or only) judgment. */
    public ScoreTask(int itemKey, String itemId, String prompt, String promptHash, String reference,
                     List<Target> responses) {
        this(itemKey, itemId, prompt, promptHash, reference, responses, 0);
    }

    /**
     * The hash that identifies a task's instruction for caching: the prompt's, or, for a
     * scorer that {@linkplain Scorer#usesReference uses references}, of the prompt and the
     * data's reference together.
     */
    public static String promptHash(String prompt, String reference, boolean usesReference) {
        return usesReference && reference != null
                ? org.admap.model.TextHash.of(prompt + "\u0000reference\u0000" + reference)
                : org.admap.model.TextHash.of(prompt);
    }

    /**
     * One response to score.
     *
     * @param position its position among the instruction's responses
     * @param text     its text
     * @param hash     its {@link org.admap.model.TextHash}
     */
    public record Target(int position, String text, String hash) {
    }
}
