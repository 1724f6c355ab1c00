package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;
import org.admap.model.Turn;

/**
 * One comparison per row, in every common spelling:
 * <ul>
 *   <li>TRL: {@code prompt}, {@code chosen}, {@code rejected} as strings or as chat-message
 *       lists (whole conversations are cut at the messages both sides share);</li>
 *   <li>{@code ultrafeedback_binarized}: the same plus {@code score_chosen} and
 *       {@code score_rejected}, which become the two responses' scores;</li>
 *   <li>alpaca / LLaMA-Factory ranking: {@code instruction}, {@code input}, {@code chosen},
 *       {@code rejected}, with optional {@code system} and {@code history} (kept as turns;
 *       the prompt stays the instruction);</li>
 *   <li>orca_dpo_pairs: {@code system}, {@code question}, {@code chosen}, {@code rejected};</li>
 *   <li>implicit prompt: {@code chosen} and {@code rejected} with no prompt field. HH-RLHF
 *       dialogues are cut at the last shared {@code Assistant:} turn ({@link Dialogue});
 *       other strings at their longest common prefix by characters, message lists at the
 *       messages they share, as TRL's {@code extract_prompt} does.</li>
 * </ul>
 * Each row is one item with two responses, labelled 1 (chosen) and 0 (rejected). With two
 * responses the map's variance is (margin / 2)<sup>2</sup>, so the map generalises
 * margin-based selection.
 */
final class PairwiseLayout implements RowLayout {

    private final ScoreTransform transform;
    private final String referenceField;

    PairwiseLayout(IngestOptions options) {
        this.transform = options.scoreTransform();
        this.referenceField = options.referenceField();
    }

    @Override
    public Item read(SourceRecord record) {
        RowFields f = new RowFields(record.location());
        JsonNode row = record.node();
        JsonNode chosenNode = row.get("chosen");
        JsonNode rejectedNode = row.get("rejected");
        if (RowFields.isAbsent(chosenNode)) {
            throw f.error("chosen", "missing");
        }
        if (RowFields.isAbsent(rejectedNode)) {
            throw f.error("rejected", "missing");
        }
        String prompt = null;
        String input = "";
        List<Turn> turns = List.of();
        JsonNode promptNode = row.get("prompt");
        if (!RowFields.isAbsent(promptNode)) {
            if (Conversation.isMessages(promptNode)) {
                List<Conversation.Message> messages = Conversation.parse(promptNode, f, "prompt");
                prompt = Conversation.render(messages);
                turns = Conversation.turns(messages);
            } else {
                prompt = f.text(promptNode, "prompt");
            }
        } else if (!RowFields.isAbsent(row.get("instruction")) || !RowFields.isAbsent(row.get("question"))) {
            // alpaca / LLaMA-Factory (instruction, input), orca (question); system and history as turns.
            String field = !RowFields.isAbsent(row.get("instruction")) ? "instruction" : "question";
            prompt = f.requireText(row, field, field);
            String in = f.optionalText(row, "input", "input");
            input = in == null ? "" : in;
            turns = AlpacaTurns.of(row, f, Item.fullPrompt(prompt, input));
        }

        String chosen;
        String rejected;
        boolean chosenIsList = Conversation.isMessages(chosenNode);
        boolean rejectedIsList = Conversation.isMessages(rejectedNode);
        if (chosenIsList != rejectedIsList) {
            throw f.error(chosenIsList ? "rejected" : "chosen",
                    "is a " + (chosenIsList ? "string" : "message list") + " while the other side is a "
                    + (chosenIsList ? "message list" : "string"));
        }
        if (chosenIsList) {
            List<Conversation.Message> c = Conversation.parse(chosenNode, f, "chosen");
            List<Conversation.Message> r = Conversation.parse(rejectedNode, f, "rejected");
            int shared = Conversation.sharedPrefix(c, r);
            if (prompt == null) {
                if (shared == 0) {
                    throw f.error("chosen", "no prompt field, and the implicit-prompt rule (TRL's extract_prompt:"
                            + " the messages chosen and rejected share from the start) failed: their first"
                            + " messages differ, so nothing can be taken as the prompt");
                }
                prompt = Conversation.render(c.subList(0, shared));
                turns = Conversation.turns(c.subList(0, shared));
            }
            if (turns.isEmpty() && shared > 0 && prompt.equals(Conversation.render(c.subList(0, shared)))) {
                turns = Conversation.turns(c.subList(0, shared)); // a string prompt the lists repeat
            }
            chosen = Conversation.render(c.subList(shared, c.size()));
            rejected = Conversation.render(r.subList(shared, r.size()));
        } else {
            chosen = f.text(chosenNode, "chosen");
            rejected = f.text(rejectedNode, "rejected");
            if (prompt == null) {
                Dialogue.Split split = Dialogue.split(chosen, rejected);
                boolean dialogue = Dialogue.isDialogue(chosen) || Dialogue.isDialogue(rejected);
                if (split == null && !dialogue) {
                    split = Dialogue.commonPrefixSplit(chosen, rejected);
                }
                if (split == null) {
                    throw f.error("chosen", "no prompt field, and no rule splits the prompt from the responses:"
                            + " (1) HH-RLHF dialogue (cut after the last shared '" + Dialogue.ASSISTANT.strip()
                            + "'): chosen and rejected share no such turn; (2) TRL's extract_prompt (longest"
                            + " common prefix by characters): " + (dialogue
                            ? "not used on Human:/Assistant: dialogues, where it would cut inside a turn"
                            : "they differ from their first character"));
                }
                prompt = split.prompt();
                chosen = split.chosen();
                rejected = split.rejected();
            } else if (repeatsPrompt(prompt, chosen) && repeatsPrompt(prompt, rejected)) {
                // Some exports repeat the prompt at the head of both responses.
                chosen = chosen.substring(prompt.length());
                rejected = rejected.substring(prompt.length());
            }
        }

        double scoreChosen = f.optionalNumber(row, "score_chosen", "score_chosen");
        double scoreRejected = f.optionalNumber(row, "score_rejected", "score_rejected");
        if (Double.isNaN(scoreChosen) != Double.isNaN(scoreRejected)) {
            throw f.error(Double.isNaN(scoreChosen) ? "score_chosen" : "score_rejected",
                    "missing while the other side has a score");
        }
        if (!Double.isNaN(scoreChosen)) {
            scoreChosen = Scores.transform(transform, scoreChosen, f, "score_chosen");
            scoreRejected = Scores.transform(transform, scoreRejected, f, "score_rejected");
        }
        String explicitId = f.optionalId(row, "id", "id");
        if (explicitId == null) {
            explicitId = f.optionalId(row, "prompt_id", "prompt_id");
        }
        String id = explicitId != null ? explicitId : ItemIds.fromPrompt(Item.fullPrompt(prompt, input));
        List<Response> responses = List.of(
                new Response(chosen, scoreChosen, 1.0, f.optionalText(row, "chosen_model", "chosen_model")),
                new Response(rejected, scoreRejected, 0.0, f.optionalText(row, "rejected_model", "rejected_model")));
        String reference = referenceField == null ? null : f.optionalReference(row, referenceField);
        return new Item(id, prompt, input, reference, responses, record.location(), turns);
    }

    /**
     * Whether a response starts with a copy of the prompt, rather than merely with the same
     * words: only a prompt of some length followed by a line break counts, so that "Hi" /
     * "Hi there." keeps its answer whole.
     */
    static boolean repeatsPrompt(String prompt, String response) {
        return prompt.strip().length() >= 16 && response.startsWith(prompt) && response.length() > prompt.length()
                && (prompt.endsWith("\n") || response.charAt(prompt.length()) == '\n'
                    || response.startsWith("\r\n", prompt.length()));
    }

    @Override
    public boolean groupsRows() {
        return false;
    }

    @Override
    public String description() {
        return "pairwise";
    }

    @Override
    public Layout layout() {
        return Layout.PAIRWISE;
    }
}
