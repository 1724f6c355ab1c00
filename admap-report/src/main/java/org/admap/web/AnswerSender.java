package org.admap.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Sends an {@link Answer} with the headers every answer of the viewer carries: its
 * Content-Security-Policy (only its own scripts, no framing), no sniffing, no referrer, and
 * no caching unless the answer says otherwise.
 */
final class AnswerSender {

    /** The page's and every answer's Content-Security-Policy. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    private AnswerSender() {
    }

    static void send(HttpExchange ex, Answer a) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", a.type());
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        h.set("Content-Security-Policy", CSP);
        if (!a.headers().containsKey("Cache-Control")) {
            h.set("Cache-Control", "no-store");
        }
        a.headers().forEach(h::set);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(a.status(), head ? -1 : a.body().length == 0 ? -1 : a.body().length);
        if (!head && a.body().length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(a.body());
            }
        }
        ex.close();
    }
}
