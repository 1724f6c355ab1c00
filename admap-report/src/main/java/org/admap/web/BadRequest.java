package org.admap.web;

import java.io.IOException;

/** A request the viewer refuses, with its HTTP status and a message for the person who sent it. */
final class BadRequest extends IOException {

    private static final long serialVersionUID = 1L;

    final int status;

    BadRequest(int status, String message) {
        super(message);
        this.status = status;
    }
}
