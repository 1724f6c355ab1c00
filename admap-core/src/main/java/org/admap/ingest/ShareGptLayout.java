package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;

/**
 * LLaMA-Factory's sharegpt preference layout ({@code formatting: sharegpt, ranking: true}):
 * {@code conversations} is the prompt as a list of {@code {"from": "human", "value": ...}}
 * messages ending with the user's turn, {@code chosen} and {@code rejected} are one
 * message each (a list of messages is accepted too). An optional {@code system} column
 * becomes the first turn and an optional {@code tools} column (the tool description) a
 * {@code tools} turn after it; function calls and observations stay turns. Column and tag
 * names follow the {@link Columns} of a {@code dataset_info.json} entry.
 *
 * <p>The prompt is the turns flattened as {@link Conversation#render} writes them; the
 * item keeps the turns themselves ({@link Item#turns()}).
 */
final class ShareGptLayout implements RowLayout {

    private final Columns tags;
    private final String referenceField;

    ShareGptLayout(IngestOptions options) {
        this.tags = options.columns();
        this.referenceField = options.referenceField();
    }

    @Override
    public Item read(SourceRecord record) {
        RowFields f = new RowFields(record.location());
        JsonNode row = record.node();
        List<Conversation.Message> messages = promptMessages(row, f, tags);
        String prompt = Conversation.render(messages);
        String chosen = answer(row, "chosen", f);
        String rejected = answer(row, "rejected", f);
        String explicitId = f.optionalId(row, "id", "id");
        String id = explicitId != null ? explicitId : ItemIds.fromPrompt(prompt);
        List<Response> responses = List.of(new Response(chosen, Response.ABSENT, 1.0, null),
                new Response(rejected, Response.ABSENT, 0.0, null));
        String reference = referenceField == null ? null : f.optionalReference(row, referenceField);
        return new Item(id, prompt, "", reference, responses, record.location(), Conversation.turns(messages));
    }

    /**
     * The prompt's messages: the {@code system} and {@code tools} columns, then
     * {@code conversations}. Shared with the unpaired layout's sharegpt KTO rows.
     */
    static List<Conversation.Message> promptMessages(JsonNode row, RowFields f, Columns tags) {
        JsonNode conversations = row.get("conversations");
        if (RowFields.isAbsent(conversations)) {
            throw f.error("conversations", "missing (sharegpt keeps the prompt's messages here; name another"
                    + " field with --columns messages=FIELD)");
        }
        if (!conversations.isArray() || conversations.isEmpty()) {
            throw f.error("conversations", "expected a non-empty list of messages, got "
                    + RowFields.describe(conversations));
        }
        List<Conversation.Message> turns = Conversation.parseAny(conversations, f, "conversations", tags);
        List<Conversation.Message> messages = new ArrayList<>(turns.size() + 2);
        String system = f.optionalText(row, "system", "system");
        if (system != null && !system.isEmpty() && !"system".equals(turns.get(0).role())) {
            messages.add(new Conversation.Message("system", system));
        }
        JsonNode tools = row.get("tools");
        if (!RowFields.isAbsent(tools)) {
            String text = tools.isTextual() ? tools.textValue() : tools.toString();
            if (!text.isEmpty()) {
                messages.add(new Conversation.Message("tools", text));
            }
        }
        messages.addAll(turns);
        return messages;
    }

    private String answer(JsonNode row, String field, RowFields f) {
        JsonNode value = row.get(field);
        if (RowFields.isAbsent(value)) {
            throw f.error(field, "missing");
        }
        if (value.isObject()) {
            return Conversation.parseOne(value, f, field, tags).content();
        }
        if (value.isArray()) {
            return Conversation.render(Conversation.parseAny(value, f, field, tags));
        }
        return f.text(value, field);
    }

    @Override
    public boolean groupsRows() {
        return false;
    }

    @Override
    public String description() {
        return "sharegpt";
    }

    @Override
    public Layout layout() {
        return Layout.SHAREGPT;
    }
}
