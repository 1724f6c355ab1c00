package org.admap.cli;

/** A problem the user can fix (bad arguments, a missing run): printed as one line, exit code 2. */
final class UserException extends RuntimeException {

    UserException(String message) {
        super(message);
    }
}
