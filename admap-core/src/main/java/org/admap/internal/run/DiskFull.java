package org.admap.internal.run;

import java.nio.file.FileSystemException;

/**
 * Recognises a full disk anywhere in an exception's causes (a writer thread's error
 * arrives wrapped), and names the file whose write failed, for a one-line message.
 */
public final class DiskFull {

    private DiskFull() {
    }

    /**
     * The file that could not be written because the disk is full ("the device" when no
     * cause names it), or null when nothing in {@code e}'s causes says the disk is full.
     */
    public static String where(Throwable e) {
        boolean full = false;
        String file = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof java.io.IOException && t.getMessage() != null
                    && t.getMessage().contains("No space left on device")) {
                full = true;
                if (file == null && t instanceof FileSystemException f && f.getFile() != null) {
                    file = f.getFile();
                }
            }
        }
        return full ? (file != null ? target(file) : "the device") : null;
    }

    /** AtomicFile's temporary {@code DIR/.NAME.HEX.tmp} is named as the file it was to become, DIR/NAME. */
    private static String target(String file) {
        java.nio.file.Path p = java.nio.file.Path.of(file);
        java.util.regex.Matcher m = TEMP.matcher(p.getFileName().toString());
        if (!m.matches()) {
            return file;
        }
        return p.getParent() == null ? m.group(1) : p.getParent().resolve(m.group(1)).toString();
    }

    private static final java.util.regex.Pattern TEMP = java.util.regex.Pattern.compile("\\.(.+)\\.[0-9a-f]+\\.tmp");
}
