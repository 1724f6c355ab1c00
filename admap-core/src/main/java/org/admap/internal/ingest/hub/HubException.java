package org.admap.internal.ingest.hub;

import org.admap.ingest.IngestException;

/**
 * A Hub input that cannot be had: the dataset does not exist, needs a token, holds no data
 * files under the path, or does not download intact. Its message is one line for the user,
 * naming the dataset and what to do, and never holds the token.
 */
public class HubException extends IngestException {

    public HubException(String message) {
        super(null, null, message);
    }
}
