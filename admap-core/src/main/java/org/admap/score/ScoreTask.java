package org.admap.score;

import java.util.List;
import org.admap.internal.image.ImageException;
import org.admap.internal.image.ImageFiles;
import org.admap.model.ImageRef;
import org.admap.model.Item;
import org.admap.model.Turn;

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
 * @param turns      the prompt as a dialogue ({@link #turnsFor}) for a scorer that
 *                   {@linkplain Scorer#usesTurns sends turns}: the turns before the responses,
 *                   which answer its last one; empty for a plain prompt, which {@code prompt} is
 * @param images     the prompt's images, their hashes read ({@link #imagesFor}), for a scorer that
 *                   {@linkplain Scorer#usesImages sees images}; empty otherwise
 */
public record ScoreTask(int itemKey, String itemId, String prompt, String promptHash, String reference,
                        List<Target> responses, int sample, List<Turn> turns, List<ImageRef> images) {

    public ScoreTask {
        responses = List.copyOf(responses);
        turns = turns == null ? List.of() : List.copyOf(turns);
        images = images == null ? List.of() : List.copyOf(images);
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("a task needs a response");
        }
        if (sample < 0) {
            throw new IllegalArgumentException("a sample index is 0 or more, got " + sample);
        }
    }

    /** A task without images. */
    public ScoreTask(int itemKey, String itemId, String prompt, String promptHash, String reference,
                     List<Target> responses, int sample, List<Turn> turns) {
        this(itemKey, itemId, prompt, promptHash, reference, responses, sample, turns, List.of());
    }

    /** A task of a plain prompt. */
    public ScoreTask(int itemKey, String itemId, String prompt, String promptHash, String reference,
                     List<Target> responses, int sample) {
        this(itemKey, itemId, prompt, promptHash, reference, responses, sample, List.of());
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
     * The hash of a task's instruction, as {@link #promptHash(String, String, boolean)}, for a
     * prompt sent as these turns: a plain prompt (no turns) keeps the hash of its text, so its
     * cached scores stay valid; a dialogue's covers its roles and turns too, since the scorer
     * was sent them, not the flattened text.
     */
    public static String promptHash(String prompt, List<Turn> turns, String reference, boolean usesReference) {
        if (turns.isEmpty()) {
            return promptHash(prompt, reference, usesReference);
        }
        StringBuilder sb = new StringBuilder(prompt).append("\u0000turns");
        for (Turn t : turns) {
            sb.append('\u0000').append(t.role()).append('\u0000').append(t.content());
        }
        return promptHash(sb.toString(), reference, usesReference);
    }

    /**
     * The hash of a task's instruction sent with these images: as
     * {@link #promptHash(String, List, String, boolean)}, with each image's
     * {@linkplain ImageRef#cacheKey() content hash} added, so that a changed image is scored again
     * and two items with the same text but different images are not duplicates. Without images,
     * the same hash as before images existed.
     */
    public static String promptHash(String prompt, List<Turn> turns, List<ImageRef> images, String reference,
                                    boolean usesReference) {
        if (images.isEmpty()) {
            return promptHash(prompt, turns, reference, usesReference);
        }
        StringBuilder sb = new StringBuilder(promptHash(prompt, turns, reference, usesReference))
                .append("\u0000images");
        for (ImageRef i : images) {
            if (i.cacheKey() == null) {
                throw new IllegalStateException("image " + i.source() + " has not been read; hash it first");
            }
            sb.append('\u0000').append(i.cacheKey());
        }
        return org.admap.model.TextHash.of(sb.toString());
    }

    /**
     * The images a scorer is sent for an item, each read once to hash its bytes (and checked:
     * size, type), or none when the scorer does not {@linkplain Scorer#usesImages see images}.
     *
     * @throws ImageException naming the item, where it was read and the image, when one cannot be used
     */
    public static List<ImageRef> imagesFor(Item item, Scorer scorer) {
        if (!scorer.usesImages() || item.images().isEmpty()) {
            return List.of();
        }
        List<ImageRef> out = new java.util.ArrayList<>(item.images().size());
        for (ImageRef ref : item.images()) {
            if (ref.cacheKey() != null) {
                out.add(ref);
                continue;
            }
            try {
                out.add(ImageFiles.load(ref).ref());
            } catch (ImageException e) {
                throw new ImageException("item " + item.id() + " (" + item.source() + "): " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * The turns a scorer is sent for an item: its prompt's turns when the scorer
     * {@linkplain Scorer#usesTurns sends turns} and they are a dialogue (more than one turn,
     * or a turn not the user's). A prompt of one user message is sent as the plain text it
     * equals, so single-turn data keeps its requests and cache keys whichever form it came in.
     */
    public static List<Turn> turnsFor(Item item, Scorer scorer) {
        List<Turn> turns = item.turns();
        if (!scorer.usesTurns() || turns.isEmpty() || !item.input().isEmpty()
                || (turns.size() == 1 && turns.get(0).role().equals("user"))) {
            return List.of();
        }
        return turns;
    }

    /** Whether the prompt is sent as a dialogue of turns rather than one text. */
    public boolean isConversation() {
        return !turns.isEmpty();
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
