package org.admap.internal.image;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.admap.model.ImageRef;

/**
 * Turns an image reference as a dataset writes it into an {@link ImageRef}: an http(s) URL,
 * a {@code data:} URL, plain base64, a {@code file:} URI or a path (relative paths resolved
 * against a base folder, the input file's, as LLaMA-Factory resolves them against its
 * dataset folder). Embedded images are decoded and checked here, so that a bad one is
 * reported with the row it came from; files are read only when they are used.
 */
public final class ImageSources {

    /** Base64 text long enough not to be a file name, with no '.' (which nearly every file name has). */
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=\\r\\n]{64,}");

    private ImageSources() {
    }

    /**
     * The reference of one image.
     *
     * @param text    the reference as the data wrote it
     * @param baseDir the folder a relative path is resolved against
     * @param name    what to call an embedded image (the data's file name for it, or a field path)
     * @throws ImageException for a scheme other than http(s), data or file, or embedded bytes that
     *                        are not an image
     */
    public static ImageRef of(String text, Path baseDir, String name) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new ImageException("an image reference is empty");
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return new ImageRef(t, ImageRef.Kind.URL, t, null);
        }
        if (lower.startsWith("data:")) {
            return embedded(ImageFiles.decodeDataUrl(t, name), name);
        }
        if (lower.startsWith("file:")) {
            return new ImageRef(t, ImageRef.Kind.FILE, Path.of(URI.create(t)).toAbsolutePath().normalize()
                    .toString(), null);
        }
        if (BASE64.matcher(t).matches()) {
            return embedded(ImageFiles.decodeDataUrl(t, name), name);
        }
        int colon = t.indexOf(':');
        if (colon > 1 && t.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            throw new ImageException("image " + t + ": only file paths, http(s) URLs and base64 or data: URLs are"
                    + " read, not '" + t.substring(0, colon) + ":'");
        }
        Path p = Path.of(t);
        Path resolved = p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
        return new ImageRef(t, ImageRef.Kind.FILE, resolved.toAbsolutePath().normalize().toString(), null);
    }

    /** An image embedded as bytes (a Parquet image struct's {@code bytes}, decoded base64), checked. */
    public static ImageRef embedded(byte[] bytes, String name) {
        if (bytes.length > ImageFiles.MAX_BYTES) {
            throw new ImageException(String.format(Locale.ROOT, "image %s is %.1f MB, over the %d MB limit", name,
                    bytes.length / 1048576.0, ImageFiles.MAX_BYTES >> 20));
        }
        String mime = ImageFiles.sniff(bytes, name);
        String url = "data:" + mime + ";base64," + java.util.Base64.getEncoder().encodeToString(bytes);
        return new ImageRef(name, ImageRef.Kind.DATA, url, ImageFiles.sha256(bytes));
    }
}
