package org.admap.select;

import java.util.List;
import org.admap.model.ImageRef;

/**
 * How an export writes a prompt's images for the trainer that reads it. The {@code images}
 * column holds one string per image: a local file as its absolute path (the data's relative
 * path would no longer resolve beside the export), a URL as it is, an embedded image as its
 * {@code data:} URL. LLaMA-Factory needs one {@code <image>} placeholder in the prompt per image
 * and stops when the counts differ, so the missing ones are put in front of the text.
 */
final class ImageExport {

    /** LLaMA-Factory's image placeholder. */
    static final String PLACEHOLDER = "<image>";

    private ImageExport() {
    }

    /** The string the {@code images} column holds for an image. */
    static String reference(ImageRef ref) {
        return ref.location();
    }

    /** The text with as many {@code <image>} placeholders as images, the missing ones put first. */
    static String withPlaceholders(String text, List<ImageRef> images) {
        int have = 0;
        for (int i = text.indexOf(PLACEHOLDER); i >= 0; i = text.indexOf(PLACEHOLDER, i + PLACEHOLDER.length())) {
            have++;
        }
        return have >= images.size() ? text : PLACEHOLDER.repeat(images.size() - have) + text;
    }
}
