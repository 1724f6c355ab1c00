package org.admap.internal.score.http;

/**
 * A request that failed for good: the server refused it (a 4xx other than a rate limit), or
 * retries ran out. It concerns one request, so the scorer records a failed score and
 * scoring goes on. Its message never contains the API key.
 */
public class ApiException extends Exception {

    private final int status;
    private final String body;
    private final int attempts;

    /**
     * @param status   the last HTTP status, or -1 when no response came (timeout, connection)
     * @param message  what went wrong, in words
     * @param body     the server's answer (redacted), or null
     * @param attempts attempts made
     */
    public ApiException(int status, String message, String body, int attempts) {
        super(message);
        this.status = status;
        this.body = body;
        this.attempts = attempts;
    }

    public int status() {
        return status;
    }

    /** The server's answer, redacted, or null. */
    public String body() {
        return body;
    }

    public int attempts() {
        return attempts;
    }
}
