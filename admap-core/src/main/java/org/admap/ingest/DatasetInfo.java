package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of a LLaMA-Factory {@code dataset_info.json}: how LLaMA-Factory registers a
 * dataset, read so that admap reads the file the same way. {@code formatting}
 * ({@code alpaca} by default, or {@code sharegpt}), {@code ranking} and a {@code kto_tag}
 * column give the layout; {@code columns} and {@code tags} the field names.
 *
 * @param name     the entry's name
 * @param layout   the layout it describes
 * @param columns  its column and tag remapping
 * @param fileName its {@code file_name}, or null for hub datasets
 */
public record DatasetInfo(String name, Layout layout, Columns columns, String fileName) {

    /**
     * Reads entry {@code name} of {@code file}.
     *
     * @throws IllegalArgumentException when the entry is absent, or describes no preference data
     */
    public static DatasetInfo read(Path file, String name) throws IOException {
        JsonNode root;
        try {
            root = JsonSupport.MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file (--dataset-info)");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + JsonSupport.shortMessage(e));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected an object of dataset entries");
        }
        JsonNode entry = root.get(name);
        if (entry == null || !entry.isObject()) {
            List<String> names = new ArrayList<>();
            root.fieldNames().forEachRemaining(names::add);
            throw new IllegalArgumentException(file + ": no dataset '" + name + "'; its " + names.size()
                    + " entries include " + names.subList(0, Math.min(12, names.size())));
        }
        return of(name, entry, file.toString());
    }

    /** An entry already parsed. */
    static DatasetInfo of(String name, JsonNode entry, String file) {
        String where = file + ": dataset '" + name + "'";
        Map<String, String> columns = strings(entry.get("columns"), where + ": columns");
        Map<String, String> tags = strings(entry.get("tags"), where + ": tags");
        String formatting = entry.has("formatting") ? entry.get("formatting").asText() : "alpaca";
        boolean ranking = entry.path("ranking").asBoolean(false);
        boolean kto = columns.containsKey("kto_tag");
        Layout layout;
        if (!formatting.equals("alpaca") && !formatting.equals("sharegpt")) {
            throw new IllegalArgumentException(where + ": formatting '" + formatting
                    + "' is neither alpaca nor sharegpt");
        }
        if (ranking) {
            layout = formatting.equals("sharegpt") ? Layout.SHAREGPT : Layout.PAIRWISE;
        } else if (kto) {
            layout = Layout.UNPAIRED;
        } else {
            throw new IllegalArgumentException(where + " is not preference data: it has neither \"ranking\": true"
                    + " (pairs) nor a kto_tag column (unpaired), so LLaMA-Factory trains it with SFT, not a"
                    + " preference loss");
        }
        String fileName = entry.hasNonNull("file_name") ? entry.get("file_name").asText() : null;
        try {
            return new DatasetInfo(name, layout, new Columns(columns, tags), fileName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static Map<String, String> strings(JsonNode node, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": expected an object");
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException(where + "." + e.getKey() + ": expected a field name");
            }
            out.put(e.getKey(), e.getValue().textValue());
        });
        return out;
    }
}
