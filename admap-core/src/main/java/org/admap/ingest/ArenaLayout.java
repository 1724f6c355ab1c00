package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;
import org.admap.model.Turn;

/**
 * LMSYS Chatbot Arena human preference ({@code lmsys/arena-human-preference-55k} and
 * {@code chatbot_arena_conversations}): {@code prompt}, {@code response_a},
 * {@code response_b}, {@code model_a}, {@code model_b}, and the verdict, either one-hot
 * {@code winner_model_a}/{@code winner_model_b}/{@code winner_tie} or a {@code winner}
 * string ({@code model_a}, {@code model_b}, {@code tie}, {@code tie (bothbad)}).
 *
 * <p>{@code chatbot_arena_conversations} rows, with {@code conversation_a} and
 * {@code conversation_b} as message lists instead of prompt and responses, are read too.
 *
 * <p>Labels: the winner 1 and the loser 0; a tie 0.5 each, and a both-bad tie 0.5 each as
 * well, counted apart. Every verdict is counted by reason in {@link #notes()}, so that
 * {@code summary.json} says how many rows carry no preference. A row with no winner (all
 * one-hot cells 0, or an empty {@code winner}) or two winners is a bad row that says so.
 *
 * <p>Cells may hold JSON lists of turns (as the CSV does: {@code ["first question",
 * "follow-up"]}, the responses one answer per question). One turn is a plain prompt and two
 * plain answers. With several, the two models answered different conversations after the
 * first question, so the prompt is the first user turn (kept as a turn) and each response
 * is that model's side of the rest, rendered {@code Assistant: ... User: ...} as HH-RLHF
 * rows that continue after the point where they differ.
 */
final class ArenaLayout implements RowLayout {

    private final RowNotes notes = new RowNotes();

    ArenaLayout(IngestOptions options) {
    }

    @Override
    public Item read(SourceRecord record) {
        RowFields f = new RowFields(record.location());
        JsonNode row = record.node();
        if (row.has("conversation_a") && !row.has("response_a")) {
            return readConversations(row, f, record);
        }
        List<String> prompts = turns(row, "prompt", f);
        List<String> a = turns(row, "response_a", f);
        List<String> b = turns(row, "response_b", f);
        if (prompts.isEmpty()) {
            throw f.error("prompt", "is an empty list; an Arena row needs the user's question");
        }
        for (var side : List.of(List.of("response_a", a), List.of("response_b", b))) {
            @SuppressWarnings("unchecked")
            List<String> answers = (List<String>) side.get(1);
            if (answers.size() != prompts.size()) {
                throw f.error((String) side.get(0), "holds " + answers.size() + " answers for " + prompts.size()
                        + " prompt turns: the turns cannot be paired");
            }
        }
        double[] labels = labels(row, f); // last, so that a row that fails is not counted as a verdict
        String prompt = prompts.get(0);
        List<Turn> turns = prompts.size() == 1 ? List.of() : List.of(Turn.user(prompt));
        List<Response> responses = List.of(
                new Response(side(prompts, a), Response.ABSENT, labels[0], f.optionalText(row, "model_a", "model_a")),
                new Response(side(prompts, b), Response.ABSENT, labels[1], f.optionalText(row, "model_b", "model_b")));
        String explicitId = f.optionalId(row, "id", "id");
        if (explicitId == null) {
            explicitId = f.optionalId(row, "question_id", "question_id");
        }
        return new Item(explicitId != null ? explicitId : ItemIds.fromPrompt(prompt), prompt, "", null, responses,
                record.location(), turns);
    }

    /**
     * {@code chatbot_arena_conversations}: {@code conversation_a} and {@code conversation_b}
     * as message lists. The prompt is the messages both share from the start (the first
     * question), each response the rest of that model's conversation.
     */
    private Item readConversations(JsonNode row, RowFields f, SourceRecord record) {
        List<Conversation.Message> a = Conversation.parse(f.requireArray(row, "conversation_a", "conversation_a"), f,
                "conversation_a");
        List<Conversation.Message> b = Conversation.parse(f.requireArray(row, "conversation_b", "conversation_b"), f,
                "conversation_b");
        int shared = Conversation.sharedPrefix(a, b);
        if (shared == 0) {
            throw f.error("conversation_a", "the prompt cannot be split from the responses: the rule (the messages"
                    + " conversation_a and conversation_b share from the start are the prompt) failed, as their"
                    + " first messages differ");
        }
        double[] labels = labels(row, f);
        List<Conversation.Message> head = a.subList(0, shared);
        String prompt = Conversation.render(head);
        List<Response> responses = List.of(
                new Response(Conversation.render(a.subList(shared, a.size())), Response.ABSENT, labels[0],
                        f.optionalText(row, "model_a", "model_a")),
                new Response(Conversation.render(b.subList(shared, b.size())), Response.ABSENT, labels[1],
                        f.optionalText(row, "model_b", "model_b")));
        String explicitId = f.optionalId(row, "question_id", "question_id");
        return new Item(explicitId != null ? explicitId : ItemIds.fromPrompt(prompt), prompt, "", null, responses,
                record.location(), Conversation.turns(head));
    }

    /** One model's answers after the first question, with the later questions between them. */
    private static String side(List<String> prompts, List<String> answers) {
        if (prompts.size() == 1) {
            return answers.get(0);
        }
        List<Conversation.Message> rest = new ArrayList<>();
        rest.add(new Conversation.Message("assistant", answers.get(0)));
        for (int i = 1; i < prompts.size(); i++) {
            rest.add(new Conversation.Message("user", prompts.get(i)));
            rest.add(new Conversation.Message("assistant", answers.get(i)));
        }
        return Conversation.render(rest);
    }

    /** The labels of a and b, counting the verdict. */
    private double[] labels(JsonNode row, RowFields f) {
        String verdict;
        if (row.has("winner_model_a") || row.has("winner_model_b") || row.has("winner_tie")) {
            double wa = oneHot(row, "winner_model_a", f);
            double wb = oneHot(row, "winner_model_b", f);
            double wt = oneHot(row, "winner_tie", f);
            if (wa + wb + wt == 0) {
                throw f.error("winner_model_a", "no winner: winner_model_a, winner_model_b and winner_tie are all 0"
                        + " (or empty)");
            }
            if (wa + wb + wt > 1) {
                throw f.error("winner_model_a", "more than one verdict: winner_model_a " + (int) wa
                        + ", winner_model_b " + (int) wb + ", winner_tie " + (int) wt);
            }
            verdict = wa == 1 ? "model_a" : wb == 1 ? "model_b" : "tie";
        } else {
            String w = f.optionalText(row, "winner", "winner");
            if (w == null || w.isBlank()) {
                throw f.error("winner", "no winner: the field is " + (w == null ? "missing" : "empty")
                        + " (expected model_a, model_b, tie or tie (bothbad))");
            }
            verdict = w.trim().toLowerCase(Locale.ROOT);
            if (!List.of("model_a", "model_b", "tie", "tie (bothbad)").contains(verdict)) {
                throw f.error("winner", "expected model_a, model_b, tie or tie (bothbad), got "
                        + RowFields.describe(row.get("winner")));
            }
        }
        notes.add("arena winner: " + verdict);
        return switch (verdict) {
            case "model_a" -> new double[] {1, 0};
            case "model_b" -> new double[] {0, 1};
            default -> new double[] {0.5, 0.5};
        };
    }

    private static double oneHot(JsonNode row, String field, RowFields f) {
        double v = f.optionalNumber(row, field, field);
        if (Double.isNaN(v)) {
            return 0;
        }
        if (v != 0 && v != 1) {
            throw f.error(field, "expected 0 or 1, got " + v);
        }
        return v;
    }

    /** A cell as turns: a JSON list of strings (nulls as empty answers), or one plain text. */
    private static List<String> turns(JsonNode row, String field, RowFields f) {
        JsonNode value = row.get(field);
        if (RowFields.isAbsent(value)) {
            throw f.error(field, "missing");
        }
        if (value.isTextual() && value.textValue().trim().startsWith("[")) {
            try {
                JsonNode parsed = JsonSupport.MAPPER.readTree(value.textValue());
                if (parsed != null && parsed.isArray()) {
                    value = parsed;
                }
            } catch (IOException e) {
                // a text that merely starts with '[' is one turn
            }
        }
        if (!value.isArray()) {
            return List.of(f.text(value, field));
        }
        List<String> turns = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode t = value.get(i);
            turns.add(t == null || t.isNull() ? "" : f.text(t, field + "[" + i + "]"));
        }
        return turns;
    }

    @Override
    public RowNotes notes() {
        return notes;
    }

    @Override
    public boolean groupsRows() {
        return false;
    }

    @Override
    public String description() {
        return "arena";
    }

    @Override
    public Layout layout() {
        return Layout.ARENA;
    }
}
