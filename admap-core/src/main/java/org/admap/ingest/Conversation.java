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
 *
 * <p>LLaMA-Factory's sharegpt messages ({@code {"from": "human", "value": ...}}, with the
 * tag names a {@code dataset_info.json} entry may remap) are read too, their roles
 * normalised: the user tag becomes {@code user}, the assistant tag {@code assistant}, the
 * system tag {@code system}; function calls and observations keep LLaMA-Factory's names.
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

    /** Whether a value is a list of messages in either spelling: role/content or sharegpt's from/value. */
    static boolean isAnyMessages(JsonNode value, Columns tags) {
        if (value == null || !value.isArray() || value.isEmpty() || !value.get(0).isObject()) {
            return false;
        }
        JsonNode m = value.get(0);
        return m.has("content") || m.has("value") || m.has(tags.tag("content_tag"));
    }

    /** Whether a value is one message object in either spelling. */
    static boolean isOneMessage(JsonNode value, Columns tags) {
        return value != null && value.isObject()
                && (value.has("content") || value.has("value") || value.has(tags.tag("content_tag")));
    }

    /**
     * Parses messages in either spelling, normalising roles (see the class comment). With
     * the role or content tag given, only those names are read.
     */
    static List<Message> parseAny(JsonNode list, RowFields f, String path, Columns tags) {
        List<Message> messages = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            messages.add(parseOne(list.get(i), f, path + "[" + i + "]", tags));
        }
        return messages;
    }

    /** One message in either spelling. */
    static Message parseOne(JsonNode m, RowFields f, String path, Columns tags) {
        if (!m.isObject()) {
            throw f.error(path, "expected a chat message {\"role\": ..., \"content\": ...} or {\"from\": ...,"
                    + " \"value\": ...}, got " + RowFields.describe(m));
        }
        String roleTag;
        String contentTag;
        if (tags.namesMessageTags()) {
            roleTag = tags.tag("role_tag");
            contentTag = tags.tag("content_tag");
        } else if (m.has("content")) {
            roleTag = "role";
            contentTag = "content";
        } else {
            roleTag = "from";
            contentTag = "value";
        }
        if (!m.has(contentTag)) {
            throw f.error(path + "." + contentTag, "missing (a message has " + fieldNames(m) + ")");
        }
        String role = f.optionalText(m, roleTag, path + "." + roleTag);
        return new Message(normaliseRole(role == null ? "" : role, tags), content(m.get(contentTag), f,
                path + "." + contentTag));
    }

    /** sharegpt's and the dataset's own role names to user, assistant, system; others as they are. */
    static String normaliseRole(String role, Columns tags) {
        if (role.equals(tags.tag("user_tag")) || role.equals("human") || role.equals("user")) {
            return "user";
        }
        if (role.equals(tags.tag("assistant_tag")) || role.equals("gpt") || role.equals("assistant")) {
            return "assistant";
        }
        if (role.equals(tags.tag("system_tag")) || role.equals("system")) {
            return "system";
        }
        if (role.equals(tags.tag("function_tag"))) {
            return "function_call";
        }
        if (role.equals(tags.tag("observation_tag"))) {
            return "observation";
        }
        return role;
    }

    private static List<String> fieldNames(JsonNode m) {
        List<String> names = new ArrayList<>();
        m.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Messages as the model's turns; a message without a role is taken as the user's. */
    static List<Turn> turns(List<Message> messages) {
        List<Turn> turns = new ArrayList<>(messages.size());
        for (Message m : messages) {
            turns.add(new Turn(m.role().isEmpty() ? "user" : m.role(), m.content()));
        }
        return turns;
    }

    /** A message's content: a string, or OpenAI-style parts whose text parts are joined. */
    private static String content(JsonNode content, RowFields f, String path) {
        if (RowFields.isAbsent(content)) {
            throw f.error(path, "missing");
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                // OpenAI writes {"type": "text", "text": ...}; LLaMA-Factory's v1 {"type": "text", "value": ...}.
                JsonNode type = part.get("type");
                if (type != null && type.isTextual() && !type.textValue().equals("text")) {
                    continue; // an image, audio or video part: the map reads text
                }
                JsonNode text = part.isTextual() ? part : part.has("text") ? part.get("text") : part.get("value");
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
