package org.admap.internal.ingest.scan;

/**
 * Thrown inside a row to leave the line to the general parser (Jackson); one shared instance
 * without a stack trace, so it costs little on the hot path of {@link PlainRowScanner}.
 */
final class NotPlain extends Exception {
    static final NotPlain INSTANCE = new NotPlain();

    private NotPlain() {
        super(null, null, false, false);
    }
}
