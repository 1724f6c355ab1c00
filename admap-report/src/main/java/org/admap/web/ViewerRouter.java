package org.admap.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import org.admap.internal.columns.InputChangedException;
import org.admap.internal.store.StoreException;
import org.admap.run.RunException;

/**
 * Routes each request to its handler after the {@link RequestGuard}'s checks, and turns what
 * goes wrong into an answer: a refused request its status and message, a busy store or a
 * changed input a 503 that says which, anything else a 500 (with the trace on stderr only).
 * Each request is counted in and out of the {@link StoreConnections}, whose last request of a
 * burst closes the store.
 */
final class ViewerRouter {

    private final RequestGuard guard;
    private final StoreConnections store;
    private final MapHandler map;
    private final ItemHandler items;
    private final ReviewHandler reviews;
    private final ExportHandler exports;

    ViewerRouter(RequestGuard guard, StoreConnections store, MapHandler map, ItemHandler items,
                 ReviewHandler reviews, ExportHandler exports) {
        this.guard = guard;
        this.store = store;
        this.map = map;
        this.items = items;
        this.reviews = reviews;
        this.exports = exports;
    }

    void handle(HttpExchange ex) throws IOException {
        store.begin();
        try {
            AnswerSender.send(ex, answer(ex));
        } finally {
            store.end();
        }
    }

    private Answer answer(HttpExchange ex) throws IOException {
        try {
            return route(ex);
        } catch (BadRequest e) {
            return Answer.error(e.status, e.getMessage());
        } catch (IllegalArgumentException e) {
            return Answer.error(400, e.getMessage());
        } catch (StoreException | RunException | InputChangedException e) {
            return Answer.error(503, e.getMessage());
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof InputChangedException changed) {
                return Answer.error(503, changed.getMessage());
            }
            return internalError(ex, e);
        } catch (Exception e) {
            return internalError(ex, e);
        }
    }

    private static Answer internalError(HttpExchange ex, Exception e) throws IOException {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        System.err.println("admap serve: internal error on " + ex.getRequestURI() + ": " + trace);
        return Answer.error(500, "internal error: " + e);
    }

    private Answer route(HttpExchange ex) throws IOException {
        guard.checkHost(ex);
        Map<String, String> query = Requests.query(ex.getRequestURI());
        Optional<Answer> refused = guard.checkToken(ex, query);
        if (refused.isPresent()) {
            return refused.get();
        }
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        if (method.equals("GET") || method.equals("HEAD")) {
            Requests.checkParameters(path, query);
            return switch (path) {
                case "/", "/index.html" -> PageHandler.page();
                case "/api/run" -> map.map(ex.getRequestHeaders().getFirst("Accept-Encoding"));
                case "/api/reviews" -> reviews.reviews();
                case "/api/item" -> items.item(Requests.keyParam(query.get("key")));
                case "/api/search" -> items.search(query.getOrDefault("q", ""));
                case "/api/flags" -> map.flags(query);
                default -> other(path);
            };
        }
        if (method.equals("POST")) {
            guard.checkChange(ex);
            Requests.checkParameters(path, query);
            JsonNode body = Requests.readBody(ex);
            return switch (path) {
                case "/api/review" -> reviews.review(body);
                case "/api/export" -> exports.export(body);
                default -> throw new BadRequest(404, "no such endpoint: " + path);
            };
        }
        throw new BadRequest(405, "method " + method + " not allowed");
    }

    private Answer other(String path) throws IOException {
        Answer asset = PageHandler.asset(path);
        if (asset != null) {
            return asset;
        }
        if (path.startsWith("/exports/")) {
            return exports.download(path.substring("/exports/".length()));
        }
        throw new BadRequest(404, "no such page: " + path);
    }
}
