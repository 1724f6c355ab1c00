package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;
import org.admap.model.Turn;

/**
 * Unpaired preference (KTO): one completion per row with a boolean verdict, which becomes
 * the label, 1 for {@code true} (desirable) and 0 for {@code false}. Rows that share a
 * prompt form one instruction, as in the long layout. Spellings:
 * <ul>
 *   <li>TRL: {@code prompt}, {@code completion}, {@code label}, as strings or message lists;</li>
 *   <li>LLaMA-Factory sharegpt KTO: {@code conversations} (or {@code messages}) ending with
 *       the assistant's turn, which is the completion, and {@code kto_tag} (or {@code label});</li>
 *   <li>LLaMA-Factory alpaca KTO: {@code instruction}, {@code input}, {@code output},
 *       {@code kto_tag} (after {@code --columns} or a {@code dataset_info.json} entry).</li>
 * </ul>
 * The label may be a JSON boolean, the strings {@code true}/{@code false} (a CSV cell), or 1/0.
 */
final class UnpairedLayout implements RowLayout {

    private final Columns tags;

    UnpairedLayout(IngestOptions options) {
        this.tags = options.columns();
    }

    @Override
    public Item read(SourceRecord record) {
        RowFields f = new RowFields(record.location());
        JsonNode row = record.node();
        String labelField = !RowFields.isAbsent(row.get("kto_tag")) || !row.has("label") ? "kto_tag" : "label";
        double label = verdict(row.get(labelField), f, labelField);
        String prompt;
        String input = "";
        List<Turn> turns = List.of();
        String completion;
        if (row.has("completion") || row.has("output")) {
            String field = row.has("completion") ? "completion" : "output";
            JsonNode c = row.get(field);
            completion = Conversation.isMessages(c) ? Conversation.render(Conversation.parse(c, f, field))
                    : f.requireText(row, field, field);
            JsonNode p = row.get("prompt");
            if (Conversation.isMessages(p)) {
                List<Conversation.Message> messages = Conversation.parse(p, f, "prompt");
                prompt = Conversation.render(messages);
                turns = Conversation.turns(messages);
            } else if (!RowFields.isAbsent(p)) {
                prompt = f.text(p, "prompt");
            } else if (!RowFields.isAbsent(row.get("instruction"))) {
                prompt = f.requireText(row, "instruction", "instruction");
                String in = f.optionalText(row, "input", "input");
                input = in == null ? "" : in;
                turns = AlpacaTurns.of(row, f, Item.fullPrompt(prompt, input));
            } else {
                throw f.error("prompt", "missing: an unpaired row needs the prompt its " + field + " answers"
                        + " ('prompt', or 'instruction')");
            }
        } else {
            JsonNode conv = row.has("conversations") ? row.get("conversations") : row.get("messages");
            String field = row.has("conversations") ? "conversations" : "messages";
            if (RowFields.isAbsent(conv)) {
                throw f.error("completion", "missing: an unpaired row has 'prompt' and 'completion', or"
                        + " 'conversations'/'messages' ending with the assistant's turn");
            }
            List<Conversation.Message> messages = Conversation.parseAny(f.requireArray(row, field, field), f, field,
                    tags);
            if (messages.size() < 2 || !"assistant".equals(messages.get(messages.size() - 1).role())) {
                throw f.error(field, "the prompt cannot be split from the completion: the rule (the last message"
                        + " is the assistant's completion, the messages before it the prompt) needs at least two"
                        + " messages ending with an assistant turn; got " + messages.size() + " ending with '"
                        + (messages.isEmpty() ? "" : messages.get(messages.size() - 1).role()) + "'");
            }
            List<Conversation.Message> head = messages.subList(0, messages.size() - 1);
            if (!RowFields.isAbsent(row.get("system")) && !"system".equals(head.get(0).role())) {
                String system = f.text(row.get("system"), "system");
                if (!system.isEmpty()) {
                    head = new java.util.ArrayList<>(head);
                    head.add(0, new Conversation.Message("system", system));
                }
            }
            prompt = Conversation.render(head);
            turns = Conversation.turns(head);
            completion = messages.get(messages.size() - 1).content();
        }
        String explicitId = f.optionalId(row, "id", "id");
        String id = explicitId != null ? explicitId : ItemIds.fromPrompt(Item.fullPrompt(prompt, input));
        return new Item(id, prompt, input, null, List.of(new Response(completion, Response.ABSENT, label, null)),
                record.location(), turns);
    }

    /** A KTO verdict as a label: true 1, false 0. */
    static double verdict(JsonNode value, RowFields f, String path) {
        if (RowFields.isAbsent(value)) {
            throw f.error(path, "missing: an unpaired row needs a true/false verdict on its completion");
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? 1 : 0;
        }
        String s = value.asText().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "1", "1.0" -> 1;
            case "false", "0", "0.0" -> 0;
            default -> throw f.error(path, "expected true or false, got " + RowFields.describe(value));
        };
    }

    @Override
    public boolean groupsRows() {
        return true;
    }

    @Override
    public String description() {
        return "unpaired (KTO)";
    }

    @Override
    public Layout layout() {
        return Layout.UNPAIRED;
    }
}
