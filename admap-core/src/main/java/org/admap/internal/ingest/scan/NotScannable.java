package org.admap.internal.ingest.scan;

/**
 * A file the score scan does not read exactly as the full ingest would: another format or
 * layout, a row of an unusual shape (a numeric string as a score, a reference list, a
 * repeated field) or a bad row. The caller then takes the full ingest, which reads every
 * shape and reports bad rows with file, line and field, so the scan never has to.
 */
public final class NotScannable extends Exception {

    public NotScannable(String why) {
        super(why, null, false, false);
    }
}
