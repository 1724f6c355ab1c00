package org.admap.internal.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import org.admap.model.ImageRef;

/**
 * Reads an image's bytes for sending or showing, with the checks a file from a dataset needs
 * before it goes into a request body or a web page:
 * <ul>
 *   <li>a size limit, {@link #MAX_BYTES} (20 MB, OpenAI's limit per image), checked before the
 *       bytes are read;</li>
 *   <li>the MIME type from the magic bytes: PNG, JPEG, GIF or WebP, whatever the file is
 *       called; anything else is refused;</li>
 *   <li>SVG refused by name: it is XML that can carry scripts, and a page that showed it as
 *       an image source would be one step from running them.</li>
 * </ul>
 * URLs are not fetched: the judge passes them on and the report links nothing.
 *
 * <p>Example: {@code ImageFiles.load(ref).dataUrl()} is
 * {@code data:image/png;base64,iVBORw0...}, ready for an {@code image_url} part.
 */
public final class ImageFiles {

    /** The largest image read: 20 MB (OpenAI's limit per image in a chat request). */
    public static final long MAX_BYTES = 20L * 1024 * 1024;

    private static final HexFormat HEX = HexFormat.of();

    private ImageFiles() {
    }

    /**
     * An image read.
     *
     * @param ref   the reference, with the hash of the bytes
     * @param mime  the type sniffed from the bytes
     * @param bytes the bytes
     */
    public record Loaded(ImageRef ref, String mime, byte[] bytes) {

        /** The image as a {@code data:} URL. */
        public String dataUrl() {
            return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
        }
    }

    /**
     * Reads a file or embedded image, checked; a URL cannot be loaded ({@link ImageRef#kind()}
     * says which).
     *
     * @throws ImageException naming the image when it is missing, too large or not an image
     */
    public static Loaded load(ImageRef ref) {
        byte[] bytes = switch (ref.kind()) {
            case FILE -> readFile(ref);
            case DATA -> decodeDataUrl(ref.location(), ref.source());
            case URL -> throw new IllegalArgumentException("image " + ref.source() + " is a URL; admap does not"
                    + " download images");
        };
        String mime = sniff(bytes, ref.source());
        String hash = sha256(bytes);
        if (ref.sha256() != null && !ref.sha256().equals(hash)) {
            throw new ImageException("image " + ref.source() + " has changed since it was read (its SHA-256 was "
                    + ref.sha256() + ", now " + hash + ")");
        }
        return new Loaded(ref.withSha256(hash), mime, bytes);
    }

    private static byte[] readFile(ImageRef ref) {
        Path file = Path.of(ref.location());
        try {
            long size = Files.size(file);
            checkSize(size, ref.source());
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
                checkSize(bytes.length, ref.source()); // it grew while being read
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new ImageException("image " + ref.source() + " not found (looked for " + file + ")", e);
        } catch (IOException e) {
            throw new ImageException("cannot read image " + ref.source() + ": " + e.getMessage(), e);
        }
    }

    private static void checkSize(long size, String name) {
        if (size > MAX_BYTES) {
            throw new ImageException(String.format(Locale.ROOT, "image %s is %.1f MB, over the %d MB limit on an"
                    + " image sent to a judge or shown in a report", name, size / 1048576.0, MAX_BYTES >> 20));
        }
    }

    /**
     * The bytes of a {@code data:} URL or of plain base64 text, size-checked.
     *
     * @throws ImageException when the text is not base64 or holds too many bytes
     */
    public static byte[] decodeDataUrl(String text, String name) {
        String payload = text;
        if (text.startsWith("data:")) {
            int comma = text.indexOf(',');
            if (comma < 0 || !text.substring(0, comma).endsWith(";base64")) {
                throw new ImageException("image " + name + ": a data URL must be base64 (data:TYPE;base64,...)");
            }
            payload = text.substring(comma + 1);
        }
        // 4 base64 characters per 3 bytes: refuse before decoding what would be too large
        checkSize((long) payload.length() / 4 * 3, name);
        try {
            return Base64.getMimeDecoder().decode(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new ImageException("image " + name + " is not valid base64: " + e.getMessage(), e);
        }
    }

    /**
     * The MIME type of image bytes from their magic numbers: {@code image/png},
     * {@code image/jpeg}, {@code image/gif} or {@code image/webp}.
     *
     * @throws ImageException for an SVG or anything else, naming the image and its first bytes
     */
    public static String sniff(byte[] b, String name) {
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (starts(b, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (starts(b, 'G', 'I', 'F', '8', '7', 'a') || starts(b, 'G', 'I', 'F', '8', '9', 'a')) {
            return "image/gif";
        }
        if (b.length >= 12 && starts(b, 'R', 'I', 'F', 'F') && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                && b[11] == 'P') {
            return "image/webp";
        }
        if (looksLikeSvg(b)) {
            throw new ImageException("image " + name + " is an SVG: admap refuses SVG images (XML that can carry"
                    + " scripts); convert it to PNG");
        }
        if (b.length == 0) {
            throw new ImageException("image " + name + " is empty");
        }
        int n = Math.min(8, b.length);
        throw new ImageException("image " + name + " is not a PNG, JPEG, GIF or WebP image (it starts with bytes "
                + HEX.formatHex(b, 0, n) + ")");
    }

    private static boolean looksLikeSvg(byte[] b) {
        String head = new String(b, 0, Math.min(b.length, 1024), StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT);
        return head.contains("<svg") || head.stripLeading().startsWith("<?xml") && head.contains("svg");
    }

    private static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** The first 16 hex digits of the SHA-256 of the bytes (as {@link org.admap.model.TextHash} of texts). */
    public static String sha256(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
