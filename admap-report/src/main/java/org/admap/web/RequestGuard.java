package org.admap.web;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The viewer's security checks on a request, before any handler sees it: the {@code Host}
 * header must name this viewer (no DNS rebinding), off loopback the access token must come
 * along ({@link ViewerAccess}), and a change must come from the viewer's own page.
 */
final class RequestGuard {

    private final ViewerAccess access;
    private final URI uri;

    RequestGuard(ViewerAccess access, URI uri) {
        this.access = access;
        this.uri = uri;
    }

    /** Refuses a request to another host name (first, before anything of the request is read). */
    void checkHost(HttpExchange ex) throws BadRequest {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (!access.hostAllowed(host)) {
            throw new BadRequest(403, "this viewer answers only requests to " + uri.getAuthority() + ", not to "
                    + host + " (to reach it by that name, start 'admap serve' with --allow-host NAME)");
        }
    }

    /**
     * Refuses a request without the token; empty to let it pass, or the answer to the printed
     * address (which hands the token over as a cookie).
     */
    Optional<Answer> checkToken(HttpExchange ex, Map<String, String> query) throws BadRequest {
        if (access.tokenPresented(ex.getRequestHeaders().getFirst(ViewerAccess.TOKEN_HEADER),
                ex.getRequestHeaders().get("Cookie"))) {
            return Optional.empty();
        }
        String offered = query.get(ViewerAccess.TOKEN_PARAMETER);
        if (ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().equals("/") && offered != null
                && access.matches(offered)) {
            // the printed address: hand the token over as a cookie, and drop it from the address bar
            return Optional.of(new Answer(303, "text/plain; charset=utf-8", new byte[0],
                    Map.of("Location", "/", "Set-Cookie", access.setCookie())));
        }
        throw new BadRequest(401, "this viewer needs its access token: open the address that 'admap serve'"
                + " printed at start (with ?" + ViewerAccess.TOKEN_PARAMETER + "=...), or send the "
                + ViewerAccess.TOKEN_HEADER + " header");
    }

    /**
     * A change must come from this viewer's page: a JSON body and the X-Admap-Request header
     * (another site's page cannot send those without a CORS preflight, which is never
     * granted), and an Origin, when the browser sends one, that is this server.
     */
    void checkChange(HttpExchange ex) throws BadRequest {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")
                || ex.getRequestHeaders().getFirst("X-Admap-Request") == null) {
            throw new BadRequest(403, "changes need a JSON body and the X-Admap-Request header");
        }
        var headers = ex.getRequestHeaders();
        if (!access.originAllowed(headers.getFirst("Origin"), headers.getFirst("Host"))) {
            throw new BadRequest(403, "changes are accepted from this viewer's own page only");
        }
    }
}
