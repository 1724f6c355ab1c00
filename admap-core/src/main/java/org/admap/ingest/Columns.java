package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LLaMA-Factory's remapping of a dataset's column and message-tag names, as a
 * {@code dataset_info.json} entry writes it under {@code columns} and {@code tags}
 * (or {@code --columns prompt=question,chosen=better}).
 *
 * <p>Columns are applied by renaming each row's fields to the names admap's layouts read
 * (LLaMA-Factory's defaults): {@code prompt} to {@code instruction}, {@code query} to
 * {@code input}, {@code response} to {@code output}, {@code messages} to
 * {@code conversations}; {@code system}, {@code tools}, {@code history}, {@code chosen},
 * {@code rejected} and {@code kto_tag} keep their names. Tags say how a sharegpt message
 * names its role and content and which role values are the user, the assistant and so on.
 *
 * @param columns LLaMA-Factory column name to the field the file uses
 * @param tags    LLaMA-Factory tag name ({@code role_tag}, {@code user_tag}, ...) to its value
 */
public record Columns(Map<String, String> columns, Map<String, String> tags) implements Serializable {

    /** No remapping. */
    public static final Columns NONE = new Columns(Map.of(), Map.of());

    /** The column names LLaMA-Factory documents, with the field admap reads each as. */
    static final Map<String, String> CANONICAL = canonical();

    /** The tag names LLaMA-Factory documents, with their defaults. */
    static final Map<String, String> TAG_DEFAULTS = tagDefaults();

    public Columns {
        columns = Map.copyOf(columns);
        tags = Map.copyOf(tags);
        for (String c : columns.keySet()) {
            if (!CANONICAL.containsKey(c)) {
                throw new IllegalArgumentException("unknown column '" + c + "': LLaMA-Factory's columns are "
                        + CANONICAL.keySet());
            }
        }
        for (String t : tags.keySet()) {
            if (!TAG_DEFAULTS.containsKey(t)) {
                throw new IllegalArgumentException("unknown tag '" + t + "': LLaMA-Factory's tags are "
                        + TAG_DEFAULTS.keySet());
            }
        }
    }

    private static Map<String, String> canonical() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("prompt", "instruction");
        m.put("query", "input");
        m.put("response", "output");
        m.put("history", "history");
        m.put("messages", "conversations");
        m.put("system", "system");
        m.put("tools", "tools");
        m.put("chosen", "chosen");
        m.put("rejected", "rejected");
        m.put("kto_tag", "kto_tag");
        for (String media : List.of("images", "videos", "audios")) {
            m.put(media, media);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, String> tagDefaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("role_tag", "from");
        m.put("content_tag", "value");
        m.put("user_tag", "human");
        m.put("assistant_tag", "gpt");
        m.put("observation_tag", "observation");
        m.put("function_tag", "function_call");
        m.put("system_tag", "system");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Parses {@code prompt=question,chosen=better,role_tag=role}: LLaMA-Factory column names
     * and tag names (those ending in {@code _tag}) to the names the file uses.
     */
    public static Columns parse(String spec) {
        Map<String, String> columns = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("--columns: expected NAME=FIELD, got '" + part.trim() + "'");
            }
            String name = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String field = part.substring(eq + 1).trim();
            (name.endsWith("_tag") ? tags : columns).put(name, field);
        }
        return new Columns(columns, tags);
    }

    /** These columns and tags, overridden by {@code other}'s where both name one. */
    public Columns with(Columns other) {
        Map<String, String> c = new LinkedHashMap<>(columns);
        c.putAll(other.columns);
        Map<String, String> t = new LinkedHashMap<>(tags);
        t.putAll(other.tags);
        return new Columns(c, t);
    }

    public boolean isEmpty() {
        return columns.isEmpty() && tags.isEmpty();
    }

    /** A tag's value: the one given, else LLaMA-Factory's default. */
    String tag(String name) {
        return tags.getOrDefault(name, TAG_DEFAULTS.get(name));
    }

    /** Whether the role and content tags were given (so messages are read with them only). */
    boolean namesMessageTags() {
        return tags.containsKey("role_tag") || tags.containsKey("content_tag");
    }

    /**
     * The row with its fields renamed to the names admap reads; the row itself when nothing
     * is remapped or it is not an object. A field that is renamed away is removed, so that
     * {@code prompt=question} does not also leave a stray {@code question}.
     */
    JsonNode apply(JsonNode row) {
        if (columns.isEmpty() || !row.isObject()) {
            return row;
        }
        ObjectNode out = ((ObjectNode) row).deepCopy();
        Map<String, JsonNode> moved = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : columns.entrySet()) {
            JsonNode value = row.get(e.getValue());
            if (value != null) {
                moved.put(CANONICAL.get(e.getKey()), value);
                out.remove(e.getValue());
            }
        }
        moved.forEach(out::set);
        return out;
    }

    @Override
    public String toString() {
        return isEmpty() ? "none" : "columns " + new java.util.TreeMap<>(columns) + " tags "
                + new java.util.TreeMap<>(tags);
    }
}
