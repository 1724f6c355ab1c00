package org.admap.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.admap.internal.json.Json;
import org.admap.internal.store.AtomicFile;
import org.admap.internal.store.RunDirectory;
import org.admap.web.ScriptSafeEscapes;
import org.admap.web.WebAssets;

/**
 * Writes {@code report.html}: the interactive map in one self-contained file that opens
 * offline in any browser. Apache ECharts, admap's script and style are inlined; the run's
 * data ({@link ViewData}) sits in a {@code <script type="application/json">} block with
 * {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped, and the page only ever puts
 * dataset text into the document as text. A Content-Security-Policy allows exactly the two
 * inlined scripts (by hash) and no network access at all, so even text that slipped into the
 * markup could neither run nor reach out.
 */
public final class HtmlReport {

    /** A plain mapper: no pretty printing, which would triple the file. */
    private static final ObjectMapper JSON = Json.MAPPER;

    private HtmlReport() {
    }

    /** Writes the report to {@code file}, atomically. */
    public static ViewData.Written write(RunDirectory run, RunView view, ViewData.Options options, Path file)
            throws IOException {
        String echarts = WebAssets.inlineSafe(WebAssets.echarts());
        String script = WebAssets.inlineSafe(WebAssets.script());
        String css = WebAssets.style().replace("</", "<\\/");
        String csp = "default-src 'none'; script-src " + WebAssets.echartsHashSource() + " "
                + WebAssets.hashSource(script) + "; style-src 'unsafe-inline'; img-src data: blob:;"
                + " connect-src 'none'; base-uri 'none'; form-action 'none'";
        // The data is streamed between the two halves of the page, never held as one string.
        String page = WebAssets.page();
        int at = page.indexOf("{{data}}");
        Map<String, String> values = Map.of(
                "csp", csp,
                "title", WebAssets.escapeHtml(view.title()),
                "styles", "<style>\n" + css + "</style>",
                "scripts", "<script>" + echarts + "</script>\n<script>" + script + "</script>");
        String head = WebAssets.fill(page.substring(0, at), values);
        String tail = WebAssets.fill(page.substring(at + "{{data}}".length()), values);
        try (AtomicFile out = new AtomicFile(file)) {
            OutputStream o = new BufferedOutputStream(out.stream(), 1 << 16);
            o.write(head.getBytes(StandardCharsets.UTF_8));
            ViewData.Written written;
            try (JsonGenerator g = JSON.getFactory().createGenerator(o, JsonEncoding.UTF8)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                // a character beyond the BMP as its four UTF-8 bytes, as the page had it, not as two escapes
                g.enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8.mappedFeature());
                g.setCharacterEscapes(new ScriptSafeEscapes());
                ViewData.configure(g);
                written = new ViewData(run, view, options).write(g);
            }
            o.write(tail.getBytes(StandardCharsets.UTF_8));
            o.flush();
            out.commit();
            return written;
        }
    }
}
