package org.admap.cli;

/**
 * A command that Ctrl-C or SIGTERM stopped cleanly part-way (what it did is kept): its
 * message is one line on stderr and the exit status is 128 + the signal's number
 * ({@link ExitCodes#signalled}), for commands whose work goes on past the scoring pass.
 */
final class StoppedBySignal extends RuntimeException {

    private final int signal;

    StoppedBySignal(int signal, String message) {
        super(message, null, false, false);
        this.signal = signal;
    }

    int signal() {
        return signal;
    }
}
