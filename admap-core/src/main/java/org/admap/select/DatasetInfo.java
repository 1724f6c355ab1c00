package org.admap.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.admap.internal.json.Json;
import org.admap.internal.store.AtomicFile;

/**
 * LLaMA-Factory's {@code dataset_info.json}: the registry of a {@code dataset_dir} that names
 * each dataset file and says how to read it ({@code formatting}, {@code ranking},
 * {@code columns}, {@code tags}; see LLaMA-Factory's {@code data/README.md}). An export in one
 * of LLaMA-Factory's formats adds its entry to the {@code dataset_info.json} beside it, keeping
 * every other entry, so that the export's folder can be given as {@code dataset_dir} and the
 * file's name (without extension) as {@code dataset}.
 */
public final class DatasetInfo {

    /** The registry's file name, as LLaMA-Factory looks it up in {@code dataset_dir}. */
    public static final String FILE = "dataset_info.json";

    private static final ObjectMapper JSON = Json.PRETTY;

    private DatasetInfo() {
    }

    /** The dataset name an export registers: its file name without the extension. */
    public static String name(Path export) {
        return export.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    }

    /**
     * The entry for an export, or null when LLaMA-Factory cannot read the format as written
     * (a KTO file in TRL's conversational style keeps prompt and completion apart, which
     * LLaMA-Factory's sharegpt reader cannot join).
     */
    public static ObjectNode entry(ExportFormat format, Path export, boolean conversational) {
        ObjectNode e = JSON.createObjectNode();
        e.put("file_name", export.getFileName().toString());
        switch (format) {
            case LLAMA_FACTORY -> {
                e.put("ranking", true);
                ObjectNode c = e.putObject("columns");
                c.put("prompt", "instruction");
                c.put("query", "input");
                c.put("chosen", "chosen");
                c.put("rejected", "rejected");
            }
            case SHAREGPT -> {
                e.put("formatting", "sharegpt");
                e.put("ranking", true);
                ObjectNode c = e.putObject("columns");
                c.put("messages", "conversations");
                c.put("chosen", "chosen");
                c.put("rejected", "rejected");
                ObjectNode t = e.putObject("tags");
                t.put("role_tag", "from");
                t.put("content_tag", "value");
                t.put("user_tag", "human");
                t.put("assistant_tag", "gpt");
                t.put("observation_tag", "observation");
                t.put("function_tag", "function_call");
                t.put("system_tag", "system");
            }
            case KTO -> {
                if (conversational) {
                    return null;
                }
                ObjectNode c = e.putObject("columns"); // alpaca formatting, as LLaMA-Factory's ultrafeedback_kto
                c.put("prompt", "prompt");
                c.put("response", "completion");
                c.put("kto_tag", "label");
            }
            default -> {
                return null;
            }
        }
        return e;
    }

    /**
     * Adds (or replaces) the entry {@code name} in the {@code dataset_info.json} of {@code dir},
     * keeping the others; creates the file when there is none.
     *
     * @return the registry file
     * @throws IllegalArgumentException when the existing file is not a JSON object, or registers
     *                                  {@code name} for another file (naming it)
     */
    public static Path register(Path dir, String name, ObjectNode entry) throws IOException {
        Path file = dir.resolve(FILE);
        ObjectNode root = read(file, name);
        JsonNode same = root.get(name);
        if (same != null && !entry.path("file_name").equals(same.path("file_name"))) {
            throw new IllegalArgumentException(file + " already registers '" + name + "' for another file ("
                    + same.path("file_name").asText("no file_name") + "); name the export differently");
        }
        root.set(name, entry);
        try (AtomicFile out = new AtomicFile(file)) {
            out.stream().write(JSON.writeValueAsBytes(root));
            out.stream().write('\n');
            out.commit();
        }
        return file;
    }

    /**
     * Checks, before an export is written, that {@link #register} will be able to add it: the
     * registry beside it is absent or a JSON object without another file under the export's name.
     */
    public static void checkRegistrable(Path export) throws IOException {
        Path file = export.toAbsolutePath().getParent().resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        String name = name(export);
        JsonNode same = read(file, name).get(name);
        if (same != null && !same.path("file_name").asText().equals(export.getFileName().toString())) {
            throw new IllegalArgumentException(file + " already registers '" + name + "' for another file ("
                    + same.path("file_name").asText("no file_name") + "); name the export differently");
        }
    }

    private static ObjectNode read(Path file, String name) throws IOException {
        ObjectNode root;
        if (Files.isRegularFile(file)) {
            JsonNode existing;
            try {
                existing = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": not valid JSON, cannot add the entry '" + name
                        + "' to it: " + e.getMessage(), e);
            }
            if (existing == null || !existing.isObject()) {
                throw new IllegalArgumentException(file + ": expected a JSON object of dataset entries, cannot add '"
                        + name
                        + "' to it");
            }
            root = (ObjectNode) existing;
        } else {
            root = JSON.createObjectNode();
        }
        return root;
    }
}
