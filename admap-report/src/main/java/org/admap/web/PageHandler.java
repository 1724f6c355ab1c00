package org.admap.web;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The viewer's page and its assets: {@code /}, {@code /static/admap.js}, {@code admap.css}, ECharts. */
final class PageHandler {

    private PageHandler() {
    }

    static Answer page() {
        String html = WebAssets.fill(WebAssets.page(), Map.of(
                "csp", AnswerSender.CSP,
                "title", "admap serve",
                "styles", "<link rel=\"stylesheet\" href=\"/static/admap.css\">",
                "data", "{\"mode\": \"serve\"}",
                "scripts", "<script src=\"/static/echarts.min.js\"></script>\n"
                        + "<script src=\"/static/admap.js\"></script>"));
        return new Answer(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** The asset at {@code path}, or null when there is none. */
    static Answer asset(String path) {
        return switch (path) {
            case "/static/admap.js" -> Answer.asset("text/javascript; charset=utf-8", WebAssets.script());
            case "/static/admap.css" -> Answer.asset("text/css; charset=utf-8", WebAssets.style());
            case "/static/echarts.min.js" -> Answer.asset("text/javascript; charset=utf-8", WebAssets.echarts());
            default -> null;
        };
    }
}
