package org.admap.model;

import java.util.Objects;

/**
 * An image an instruction's prompt carries (vision-language preference data: VLFeedback,
 * LLaMA-Factory's {@code images} column, OpenAI {@code image_url} content parts). The item
 * keeps where the image is, never its pixels: the judge, the reference writer and the report
 * read it when they need it ({@link org.admap.internal.image.ImageFiles}), so that mapping and
 * diagnosing image data costs no more than text data.
 *
 * @param source   the reference as the input wrote it (a path, a URL), kept for exports; for an
 *                 image embedded in the data, the file name the data gave it, or {@code embedded}
 * @param kind     where the image lies
 * @param location what to read: for {@link Kind#FILE} the absolute path (a relative path in the
 *                 data is resolved against the input file's folder, as LLaMA-Factory does), for
 *                 {@link Kind#URL} the http(s) URL, for {@link Kind#DATA} a {@code data:} URL
 *                 with the base64 bytes
 * @param sha256   the first 16 hex digits of the SHA-256 of the image's bytes once they have
 *                 been read (an embedded image at ingest, a file when it is scored or shown),
 *                 else null. It keys the judge's cache, so that a changed image is judged again
 */
public record ImageRef(String source, Kind kind, String location, String sha256) {

    /** Where an image lies. */
    public enum Kind {
        /** A local file. */
        FILE,
        /** An http(s) URL, passed on as it is: admap never downloads it. */
        URL,
        /** Bytes embedded in the data (base64, or Parquet image bytes). */
        DATA
    }

    public ImageRef {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
    }

    /** The same reference with the hash of its bytes. */
    public ImageRef withSha256(String value) {
        return new ImageRef(source, kind, location, value);
    }

    /**
     * What identifies the image for caching: the hash of its bytes, or for a URL (whose bytes
     * admap does not fetch) the hash of the URL. Null for a file not read yet.
     */
    public String cacheKey() {
        if (kind == Kind.URL) {
            return "url:" + TextHash.of(location);
        }
        return sha256;
    }

    /** The reference in messages: the path or URL as written (an embedded image by its name). */
    @Override
    public String toString() {
        return source;
    }
}
