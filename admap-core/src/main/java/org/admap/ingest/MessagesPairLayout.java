package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;

/**
 * LLaMA-Factory's v1 preference layout: {@code chosen_messages} and
 * {@code rejected_messages}, each a whole conversation of
 * {@code {"role", "content": [{"type": "text", "value": ...}], "loss_weight"}} messages.
 * The prompt is the messages both share from the start (by turns, as TRL's
 * {@code extract_prompt} does), the responses what follows.
 */
final class MessagesPairLayout implements RowLayout {

    private final Columns tags;

    MessagesPairLayout(IngestOptions options) {
        this.tags = options.columns();
    }

    @Override
    public Item read(SourceRecord record) {
        RowFields f = new RowFields(record.location());
        JsonNode row = record.node();
        List<Conversation.Message> c = Conversation.parseAny(f.requireArray(row, "chosen_messages",
                "chosen_messages"), f, "chosen_messages", tags);
        List<Conversation.Message> r = Conversation.parseAny(f.requireArray(row, "rejected_messages",
                "rejected_messages"), f, "rejected_messages", tags);
        int shared = Conversation.sharedPrefix(c, r);
        if (shared == 0) {
            throw f.error("chosen_messages", "the prompt cannot be split from the responses: the rule (the"
                    + " messages chosen_messages and rejected_messages share from the start are the prompt)"
                    + " failed, as their first messages differ");
        }
        List<Conversation.Message> prompt = c.subList(0, shared);
        String text = Conversation.render(prompt);
        String explicitId = f.optionalId(row, "id", "id");
        List<Response> responses = List.of(
                new Response(Conversation.render(c.subList(shared, c.size())), Response.ABSENT, 1.0, null),
                new Response(Conversation.render(r.subList(shared, r.size())), Response.ABSENT, 0.0, null));
        return new Item(explicitId != null ? explicitId : ItemIds.fromPrompt(text), text, "", null, responses,
                record.location(), Conversation.turns(prompt));
    }

    @Override
    public boolean groupsRows() {
        return false;
    }

    @Override
    public String description() {
        return "llamafactory-v1";
    }

    @Override
    public Layout layout() {
        return Layout.LLAMAFACTORY_V1;
    }
}
