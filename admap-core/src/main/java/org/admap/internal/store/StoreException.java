package org.admap.internal.store;

/** A run store that cannot be created, opened, read or written, with the reason in words. */
public class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The failure of a statement on the run store {@code file}: what could not be done, and DuckDB's reason. */
    static StoreException cannot(Object file, String what, java.sql.SQLException e) {
        return new StoreException("run store " + file + ": cannot " + what + ": " + e.getMessage(), e);
    }
}
