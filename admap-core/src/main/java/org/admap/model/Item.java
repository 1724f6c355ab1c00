package org.admap.model;

import java.util.List;
import java.util.Objects;

/**
 * One instruction of a preference dataset with all its responses: the unit the map is
 * drawn over (one point per item).
 *
 * @param id        a stable identifier: the input's own id when it has one, otherwise
 *                  derived from the prompt text (see {@link ItemIds})
 * @param prompt    the instruction as the model saw it (for alpaca-style data without
 *                  the {@code input} part, which is kept apart)
 * @param input     the alpaca-style {@code input} field, or the empty string
 * @param reference a reference answer that came with the data, or null
 * @param responses the responses in input order; never null, may be empty while an item
 *                  is still being assembled from one-row-per-response data
 * @param source    where the item was read from, for error messages and provenance
 * @param turns     the prompt as chat messages (system turn and earlier turns included,
 *                  ending with the turn the responses answer) when the input gave a
 *                  conversation; empty when the prompt is one plain text. {@code prompt}
 *                  is then these turns flattened to text, so the map, ids and hashes read
 *                  the same text whichever form the input used
 * @param images    the images the prompt carries, in the order the input gave them (empty for a
 *                  text-only prompt). The prompt's text and hash do not include them; scorers
 *                  that see images add their hashes to their cache keys
 */
public record Item(String id, String prompt, String input, String reference,
                   List<Response> responses, SourceLocation source, List<Turn> turns, List<ImageRef> images) {

    public Item {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        input = input == null ? "" : input;
        responses = List.copyOf(responses);
        turns = turns == null || turns.isEmpty() ? List.of() : List.copyOf(turns);
        images = images == null || images.isEmpty() ? List.of() : List.copyOf(images);
    }

    /** An item whose prompt carries no images. */
    public Item(String id, String prompt, String input, String reference,
                List<Response> responses, SourceLocation source, List<Turn> turns) {
        this(id, prompt, input, reference, responses, source, turns, List.of());
    }

    /** An item whose prompt is one plain text (no turns). */
    public Item(String id, String prompt, String input, String reference,
                List<Response> responses, SourceLocation source) {
        this(id, prompt, input, reference, responses, source, List.of());
    }

    /** Whether the prompt came as a conversation of several turns (or one with a system turn). */
    public boolean isConversation() {
        return !turns.isEmpty();
    }

    /** The same item with these prompt turns. */
    public Item withTurns(List<Turn> value) {
        return new Item(id, prompt, input, reference, responses, source, value, images);
    }

    /** The same item with these prompt images. */
    public Item withImages(List<ImageRef> value) {
        return new Item(id, prompt, input, reference, responses, source, turns, value);
    }

    /** The same item with these responses (images and turns kept). */
    public Item withResponses(List<Response> value) {
        return new Item(id, prompt, input, reference, value, source, turns, images);
    }

    /** Whether the prompt carries images. */
    public boolean hasImages() {
        return !images.isEmpty();
    }

    /**
     * The full prompt text a model is trained on: the instruction, then the alpaca-style
     * input after a blank line when there is one.
     */
    public String fullPrompt() {
        return fullPrompt(prompt, input);
    }

    /** Joins an instruction and its alpaca-style input as {@link #fullPrompt()} does. */
    public static String fullPrompt(String prompt, String input) {
        return input == null || input.isEmpty() ? prompt : prompt + "\n\n" + input;
    }
}
