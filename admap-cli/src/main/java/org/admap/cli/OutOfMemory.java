package org.admap.cli;

/**
 * The one line a command that ran out of Java heap prints instead of the JVM's stack trace:
 * a user can fix it by giving the JVM more memory, so it is the user's kind of error (exit 2),
 * and the line says how. picocli hands only exceptions to {@link ErrorHandler}; an error
 * such as this one would otherwise end the program as an uncaught throwable.
 */
final class OutOfMemory {

    private OutOfMemory() {
    }

    /**
     * @param command  the subcommand that ran (or null)
     * @param maxHeap  the heap Java had, in bytes
     */
    static String message(String command, long maxHeap) {
        return "out of memory: Java's heap (" + (maxHeap >> 20) + " MB) is too small for "
                + (command == null ? "this command" : "'admap " + command + "'") + " on this input; give it more,"
                + " e.g. ADMAP_JAVA_OPTS=-Xmx4g (outputs are written whole or not at all: nothing half-written"
                + " is left)";
    }
}
