package org.admap.store;

/** A run store that cannot be created, opened, read or written, with the reason in words. */
public class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
