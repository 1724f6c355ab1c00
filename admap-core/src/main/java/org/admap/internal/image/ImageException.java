package org.admap.internal.image;

/**
 * An image that cannot be used: missing, too large, not a PNG, JPEG, GIF or WebP, or an SVG.
 * The message names the image as the data wrote it. An {@link IllegalArgumentException}, since
 * it is bad input: the CLI reports it in one line and exits with 2.
 */
public final class ImageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
