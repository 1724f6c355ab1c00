package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.admap.internal.image.ImageException;
import org.admap.internal.image.ImageFiles;
import org.admap.internal.image.ImageSources;
import org.admap.model.ImageRef;

/**
 * The images a row's prompt carries, whatever its layout, so that every layout reads image
 * data the same way:
 * <ul>
 *   <li>LLaMA-Factory's {@code images} column (a list of paths or URLs; renamed with
 *       {@code --columns images=F} or a {@code dataset_info.json} entry);</li>
 *   <li>an {@code image}, {@code img_path} (VLFeedback) or {@code image_path} field: a path, a URL,
 *       base64, a {@code data:} URL, or a Hugging Face image struct {@code {"path", "bytes"}} whose
 *       {@code bytes} are base64;</li>
 *   <li>OpenAI-style content parts in the prompt's messages:
 *       {@code {"type": "image_url", "image_url": {"url": ...}}}, and the {@code {"type": "image",
 *       "image": ...}} parts of TRL and LLaMA-Factory v1. Parts in assistant messages belong to
 *       responses and are not the prompt's.</li>
 * </ul>
 * An image named twice (a pairwise row repeats the prompt in {@code chosen} and {@code rejected})
 * is kept once. A reference that cannot be an image fails the row, naming the field.
 */
final class PromptImages {

    /** Single-image fields, in the order they are looked at. */
    private static final List<String> FIELDS = List.of("images", "image", "img_path", "image_path");
    /** Fields that may hold the prompt's chat messages. */
    private static final List<String> MESSAGE_FIELDS = List.of("messages", "prompt", "conversations",
            "conversation", "chosen", "rejected", "chosen_messages", "rejected_messages", "instruction");

    private final Path baseDir;

    /** Images found in rows of a file in this folder (relative paths resolve against it). */
    PromptImages(Path baseDir) {
        this.baseDir = baseDir;
    }

    /** The row's prompt images, in order; none for a text-only row. */
    List<ImageRef> of(SourceRecord record) {
        JsonNode row = record.node();
        if (!row.isObject()) {
            return List.of();
        }
        RowFields f = new RowFields(record.location());
        Map<String, ImageRef> found = new LinkedHashMap<>();
        for (String field : FIELDS) {
            JsonNode v = row.get(field);
            if (RowFields.isAbsent(v)) {
                continue;
            }
            if (v.isTextual() && v.textValue().trim().startsWith("[")) {
                v = parse(v, f, field); // a CSV cell holding a JSON list
            }
            if (v.isArray()) {
                for (int i = 0; i < v.size(); i++) {
                    add(found, v.get(i), f, field + "[" + i + "]");
                }
            } else {
                add(found, v, f, field);
            }
        }
        for (String field : MESSAGE_FIELDS) {
            JsonNode v = row.get(field);
            if (v != null && v.isArray()) {
                for (int i = 0; i < v.size(); i++) {
                    parts(found, v.get(i), f, field + "[" + i + "]");
                }
            }
        }
        return found.isEmpty() ? List.of() : new ArrayList<>(found.values());
    }

    /** The image parts of one message that is not the assistant's. */
    private void parts(Map<String, ImageRef> found, JsonNode message, RowFields f, String path) {
        if (!message.isObject()) {
            return;
        }
        String role = message.path("role").asText(message.path("from").asText(""));
        if (role.equals("assistant") || role.equals("gpt")) {
            return;
        }
        JsonNode content = message.has("content") ? message.get("content") : message.get("value");
        if (content == null || !content.isArray()) {
            return;
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String type = part.path("type").asText("");
            String p = path + ".content[" + i + "]";
            switch (type) {
                case "image_url", "input_image" -> {
                    JsonNode url = part.get("image_url");
                    add(found, url != null && url.isObject() ? url.get("url") : url, f, p + ".image_url");
                }
                case "image" -> {
                    JsonNode image = part.has("image") ? part.get("image") : part.has("url") ? part.get("url")
                            : part.get("value");
                    if (!RowFields.isAbsent(image)) { // TRL's bare {"type": "image"} points at the images column
                        add(found, image, f, p + ".image");
                    }
                }
                default -> {
                }
            }
        }
    }

    private void add(Map<String, ImageRef> found, JsonNode value, RowFields f, String path) {
        if (RowFields.isAbsent(value)) {
            return;
        }
        try {
            ImageRef ref;
            if (value.isTextual()) {
                ref = ImageSources.of(value.textValue(), baseDir, "embedded image at " + path);
            } else if (value.isObject() && (value.has("bytes") || value.has("path") || value.has("url"))) {
                ref = struct(value, path);
                if (ref == null) {
                    return;
                }
            } else {
                throw f.error(path, "expected an image path, URL or base64 text, got " + RowFields.describe(value));
            }
            found.putIfAbsent(ref.kind() == ImageRef.Kind.DATA ? ref.sha256() : ref.location(), ref);
        } catch (ImageException e) {
            throw f.error(path, e.getMessage());
        }
    }

    /** A Hugging Face image struct: base64 {@code bytes} when given, else its {@code path} (or {@code url}). */
    private ImageRef struct(JsonNode value, String path) {
        JsonNode bytes = value.get("bytes");
        JsonNode name = value.has("path") ? value.get("path") : value.get("url");
        String label = name != null && name.isTextual() ? name.textValue() : "embedded image at " + path;
        if (bytes != null && bytes.isTextual() && !bytes.textValue().isEmpty()) {
            return ImageSources.embedded(ImageFiles.decodeDataUrl(bytes.textValue(), label), label);
        }
        if (name != null && name.isTextual() && !name.textValue().isBlank()) {
            return ImageSources.of(name.textValue(), baseDir, label);
        }
        return null;
    }

    private static JsonNode parse(JsonNode cell, RowFields f, String path) {
        try {
            return JsonSupport.MAPPER.readTree(cell.textValue());
        } catch (IOException e) {
            throw f.error(path, "holds malformed JSON: " + JsonSupport.shortMessage(e));
        }
    }
}
