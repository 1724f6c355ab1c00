package org.admap.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import org.admap.internal.image.ImageException;
import org.admap.internal.image.ImageFiles;
import org.admap.model.ImageRef;

/**
 * An instruction's images for {@code report.html} and {@code serve}, as JSON the page shows
 * beside the instruction: {@code "images": [{"source": ..., "src": "data:image/png;base64,..."}]}.
 * A local or embedded image becomes a {@code data:} URL of the type sniffed from its bytes
 * ({@link ImageFiles}; SVG and non-images are refused there), which the pages'
 * Content-Security-Policy allows for images ({@code img-src data:}) and for nothing else. An
 * http(s) image is not fetched and not shown (the policy allows no remote images): the page
 * names its URL. An image that cannot be read, or is larger than {@link #MAX_SHOWN_BYTES} (a
 * report embeds every shown image), gets an {@code error} saying why instead.
 */
final class PromptImagesView {

    /** The largest image a page embeds: 2 MB (VLFeedback's images are a few hundred KB). */
    static final long MAX_SHOWN_BYTES = 2L * 1024 * 1024;

    private PromptImagesView() {
    }

    static void write(JsonGenerator g, List<ImageRef> images) throws IOException {
        g.writeArrayFieldStart("images");
        for (ImageRef ref : images) {
            g.writeStartObject();
            g.writeStringField("source", ref.source());
            if (ref.kind() == ImageRef.Kind.URL) {
                g.writeStringField("url", ref.location());
            } else {
                try {
                    ImageFiles.Loaded loaded = ImageFiles.load(ref);
                    if (loaded.bytes().length > MAX_SHOWN_BYTES) {
                        g.writeStringField("error", String.format(java.util.Locale.ROOT, "%.1f MB, larger than the"
                                + " %d MB a page embeds", loaded.bytes().length / 1048576.0, MAX_SHOWN_BYTES >> 20));
                    } else {
                        g.writeStringField("src", loaded.dataUrl());
                    }
                } catch (ImageException e) {
                    g.writeStringField("error", e.getMessage());
                }
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
