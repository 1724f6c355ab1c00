package org.admap.internal.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.admap.model.ImageRef;

/**
 * A chat message with images, in the OpenAI vision format that OpenAI, vLLM, Ollama and
 * llama.cpp's server accept:
 * <pre>{@code
 * {"role": "user", "content": [
 *   {"type": "text", "text": "..."},
 *   {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBOR..."}}]}
 * }</pre>
 * The text comes first and the images after it, as the paper's {@code gpt-vl-inference.py}
 * sends them. A local or embedded image goes as a {@code data:} URL with the type sniffed from
 * its bytes ({@link ImageFiles}); an http(s) URL is passed as it is, for the server to fetch.
 */
public final class ImageParts {

    private ImageParts() {
    }

    /** A user message of this text and these images. */
    public static ObjectNode userMessage(String text, List<ImageRef> images) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("role", "user");
        ArrayNode content = m.putArray("content");
        content.addObject().put("type", "text").put("text", text);
        for (ImageRef ref : images) {
            content.addObject().put("type", "image_url").putObject("image_url").put("url", url(ref));
        }
        return m;
    }

    /**
     * Adds the images to the last user message of a chat request's messages (the turn the
     * answer follows), turning its text content into a text part followed by image parts.
     */
    public static void attachToLastUser(ArrayNode messages, List<ImageRef> images) {
        if (images.isEmpty()) {
            return;
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            ObjectNode m = (ObjectNode) messages.get(i);
            if (m.path("role").asText().equals("user")) {
                messages.set(i, userMessage(m.path("content").asText(""), images));
                return;
            }
        }
        messages.add(userMessage("", images));
    }

    /** What an {@code image_url} part carries for an image: its URL, or its bytes as a data URL. */
    public static String url(ImageRef ref) {
        return ref.kind() == ImageRef.Kind.URL ? ref.location() : ImageFiles.load(ref).dataUrl();
    }
}
