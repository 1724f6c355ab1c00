package org.admap.internal.columns;

import java.io.IOException;

/**
 * An input file is missing or no longer what the run was made from: its size or modification
 * time changed, or a text is not where the run says it is. The message names the file; the
 * command fails rather than hand out a wrong text.
 */
public final class InputChangedException extends IOException {

    public InputChangedException(String message) {
        super(message);
    }
}
