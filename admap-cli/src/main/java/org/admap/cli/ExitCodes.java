package org.admap.cli;

/** What admap's exit codes mean. */
final class ExitCodes {

    /** The command did what was asked. */
    static final int OK = 0;
    /** admap itself failed: a bug or an environment problem (out of disk, ...). */
    static final int INTERNAL = 1;
    /** Bad input, bad arguments or a missing file: the message says what to fix. */
    static final int USAGE = 2;

    /**
     * Stopped by a signal that admap caught (and then stopped cleanly): 128 + its number, as a
     * shell reports a process that signal ended, so scripts see 130 for Ctrl-C, 143 for SIGTERM.
     */
    static int signalled(int signal) {
        return 128 + signal;
    }

    private ExitCodes() {
    }
}
