package org.admap.cli;

/** What admap's exit codes mean. */
final class ExitCodes {

    /** The command did what was asked. */
    static final int OK = 0;
    /** admap itself failed: a bug or an environment problem (out of disk, ...). */
    static final int INTERNAL = 1;
    /** Bad input, bad arguments or a missing file: the message says what to fix. */
    static final int USAGE = 2;

    private ExitCodes() {
    }
}
