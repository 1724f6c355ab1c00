package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.admap.model.Turn;

/**
 * Chat-message lists ({@code [{"role": "user", "content": "..."}, ...]}) as TRL's
 * conversational datasets and {@code ultrafeedback_binarized} store them, flattened to
 * text for the map: a single message is its content; several are written as
 * {@code Role: content} paragraphs so a reader can still follow the turns.
 */
final class Conversation {

    /** One message. */
    record Message(String role, String content) {
    }

    private Conversation() {
    }

    /** Whether a value looks like a list of chat messages. */
    static boolean isMessages(JsonNode value) {
        return value != null && value.isArray() && !value.isEmpty() && value.get(0).isObject()
                && value.get(0).has("content");
    }

    static List<Message> parse(JsonNode list, RowFields f, String path) {
        List<Message> messages = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String p = path + "[" + i + "]";
            if (!m.isObject()) {
                throw f.error(p, "expected a chat message {\"role\": ..., \"content\": ...}, got "
                        + RowFields.describe(m));
            }
            String role = f.optionalText(m, "role", p + ".role");
            messages.add(new Message(role == null ? "" : role, content(m.get("content"), f, p + ".content")));
        }
        return messages;
    }

    /** A message's content: a string, or OpenAI-style parts whose text parts are joined. */
    private static String content(JsonNode content, RowFields f, String path) {
        if (RowFields.isAbsent(content)) {
            throw f.error(path, "missing");
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                JsonNode text = part.isTextual() ? part : part.get("text");
                if (text != null && text.isTextual()) {
                    sb.append(text.textValue());
                }
            }
            return sb.toString();
        }
        return f.text(content, path);
    }

    static String render(List<Message> messages) {
        if (messages.size() == 1) {
            return messages.get(0).content();
        }
        StringBuilder sb = new StringBuilder();
        for (Message m : messages) {
            if (sb.length() > 0) {
                sb.append("\n\n");
            }
            String role = m.role().isEmpty() ? "" : m.role().substring(0, 1).toUpperCase(Locale.ROOT)
                    + m.role().substring(1) + ": ";
            sb.append(role).append(m.content());
        }
        return sb.toString();
    }

    /**
     * The messages as the item's prompt turns ({@link org.admap.model.Item#turns}), roles
     * normalised as {@link Turn} says (sharegpt's {@code human}/{@code gpt} become
     * {@code user}/{@code assistant}; a missing role stays empty).
     */
    static List<Turn> turns(List<Message> messages) {
        List<Turn> turns = new ArrayList<>(messages.size());
        for (Message m : messages) {
            String role = switch (m.role()) {
                case "human" -> "user";
                case "gpt" -> "assistant";
                default -> m.role();
            };
            turns.add(new Turn(role, m.content()));
        }
        return turns;
    }

    /**
     * The number of leading messages two conversations share, leaving at least the last
     * message of each as its response.
     */
    static int sharedPrefix(List<Message> a, List<Message> b) {
        int max = Math.min(a.size(), b.size()) - 1;
        int n = 0;
        while (n < max && a.get(n).equals(b.get(n))) {
            n++;
        }
        return n;
    }
}
