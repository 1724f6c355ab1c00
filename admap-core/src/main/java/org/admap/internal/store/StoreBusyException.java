package org.admap.internal.store;

import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run store is held by another process (DuckDB lets one process write a database file
 * at a time): a typed condition, so that callers that can wait (the viewer) wait, and others
 * say it in one line, without looking for words in a message.
 */
public final class StoreBusyException extends StoreException {

    /** DuckDB's "Conflicting lock is held in /usr/bin/java (PID 12345) by user ..." carries the holder. */
    private static final Pattern PID = Pattern.compile("\\(PID (\\d{1,10})\\)");

    private final transient Path file;
    private final long pid;

    private StoreBusyException(Path file, long pid, Throwable cause) {
        super(describe(file, pid), cause);
        this.file = file;
        this.pid = pid;
    }

    /**
     * The busy store's exception when DuckDB's failure to open {@code file} is a lock held by
     * another process, else null.
     */
    static StoreBusyException of(Path file, java.sql.SQLException e) {
        String message = e.getMessage();
        if (message == null
                || !(message.contains("Could not set lock on file") || message.contains("Conflicting lock"))) {
            return null;
        }
        Matcher m = PID.matcher(message);
        long pid = m.find() ? Long.parseLong(m.group(1)) : -1;
        return new StoreBusyException(file, pid, e);
    }

    /** The store that is busy. */
    public Path file() {
        return file;
    }

    /** The process holding it, when DuckDB said. */
    public OptionalLong pid() {
        return pid >= 0 ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    private static String describe(Path file, long pid) {
        Path dir = file.toAbsolutePath().getParent();
        String name = file.getParent() != null ? file.getParent().toString() : dir != null ? dir.toString() : ".";
        return (name.endsWith("/") ? name : name + "/") + " is in use by another admap process"
                + (pid >= 0 ? " (pid " + pid + ")" : "");
    }
}
