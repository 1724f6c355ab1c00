package org.admap.run;

/**
 * A problem with a run that the user can fix (an output that already holds a run, an input
 * that is a directory, too little memory for a scan): one line, no trace.
 */
public class RunException extends RuntimeException {

    public RunException(String message) {
        super(message);
    }
}
