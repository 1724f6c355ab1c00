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
 */
final class Dialogue {

    static final String ASSISTANT = "\n\nAssistant:";

    /** The prompt and the two responses. */
    record Split(String prompt, String chosen, String rejected) {
    }

    private Dialogue() {
    }

    /** Splits, or returns null when the texts share no assistant turn marker. */
    static Split split(String chosen, String rejected) {
        int common = 0;
        int max = Math.min(chosen.length(), rejected.length());
        while (common < max && chosen.charAt(common) == rejected.charAt(common)) {
            common++;
        }
        // The last marker that both texts contain at the same place.
        int marker = chosen.lastIndexOf(ASSISTANT, common - ASSISTANT.length());
        if (marker < 0) {
            return null;
        }
        int cut = marker + ASSISTANT.length();
        return new Split(chosen.substring(0, cut), stripOneSpace(chosen.substring(cut)),
                stripOneSpace(rejected.substring(cut)));
    }

    /** HH-RLHF writes "Assistant: text": the space belongs to the marker, not the answer. */
    private static String stripOneSpace(String s) {
        return s.startsWith(" ") ? s.substring(1) : s;
    }
}
