package org.admap.ingest;

/**
 * Splits HH-RLHF-style pairs, where {@code chosen} and {@code rejected} are whole
 * dialogues ({@code \n\nHuman: ... \n\nAssistant: ...}) sharing every turn but the last,
 * into the prompt (the shared dialogue up to and including the last shared
 * {@code \n\nAssistant:}) and the two final assistant turns.
 *
 * <p>Cutting at the last shared assistant marker rather than at the raw common prefix
 * matters: two answers that start with the same words ("I'm sorry, ...") would otherwise
 * lose those words to the prompt. A few HH-RLHF rows continue with extra turns after the
 * point where they differ; those extra turns stay in the response.
 *
 * <p>Nothing is dropped: prompt + response is the source dialogue byte for byte. The space
 * HH-RLHF writes after {@code Assistant:} starts the response, as in TRL's prompt-completion
 * convention ({@code "prompt": "... is better than", "chosen": " ugly."}), so an export's
 * prompt and chosen concatenate back to the text the pair was labelled on.
 */
final class Dialogue {

    static final String ASSISTANT = "\n\nAssistant:";
    static final String HUMAN = "\n\nHuman:";

    /** The prompt and the two responses. */
    record Split(String prompt, String chosen, String rejected) {
    }

    private Dialogue() {
    }

    /** Splits, or returns null when the texts share no assistant turn marker. */
    static Split split(String chosen, String rejected) {
        int common = commonPrefix(chosen, rejected);
        // The last marker that both texts contain at the same place.
        int marker = chosen.lastIndexOf(ASSISTANT, common - ASSISTANT.length());
        if (marker < 0) {
            return null;
        }
        int cut = marker + ASSISTANT.length();
        return new Split(chosen.substring(0, cut), chosen.substring(cut), rejected.substring(cut));
    }

    /**
     * TRL's {@code extract_prompt} for strings: the longest common prefix of the two texts,
     * less a final space (which goes to the responses), or null when the texts differ from
     * their first character. Texts where one is a prefix of the other keep their last
     * character as the response, as TRL does.
     */
    static Split commonPrefixSplit(String chosen, String rejected) {
        int min = Math.min(chosen.length(), rejected.length());
        int idx = commonPrefix(chosen, rejected);
        if (idx == min) {
            idx = min - 1;
        } else if (idx > 0 && chosen.charAt(idx - 1) == ' ') {
            idx--;
        }
        if (idx > 0 && Character.isHighSurrogate(chosen.charAt(idx - 1))) {
            idx--; // never cut a character in two
        }
        if (idx <= 0) {
            return null;
        }
        return new Split(chosen.substring(0, idx), chosen.substring(idx), rejected.substring(idx));
    }

    /** Whether a text is written as an HH-RLHF dialogue ({@code \n\nHuman: ... \n\nAssistant: ...}). */
    static boolean isDialogue(String text) {
        return text.startsWith(HUMAN) || text.startsWith(HUMAN.strip()) || text.contains(ASSISTANT);
    }

    private static int commonPrefix(String a, String b) {
        int common = 0;
        int max = Math.min(a.length(), b.length());
        while (common < max && a.charAt(common) == b.charAt(common)) {
            common++;
        }
        return common;
    }
}
