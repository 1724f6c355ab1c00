package org.admap.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.RealData;

/**
 * The example data plus instructions written to attack a page that shows them: script
 * elements, a {@code </script>} and a {@code </textarea>} to break out of their containers,
 * event-handler attributes, HTML entities that must stay as typed, a line separator, and a
 * response of megabytes. Every payload would set {@code window.__pwned} (or open an alert)
 * if it ever ran. Public for admap-cli's browser tests, through this module's test jar.
 */
public final class UntrustedData {

    /** The instruction carrying the script payloads. */
    public static final String XSS_ID = "xss-1\"><script>window.__pwned='id'</script>";
    public static final String XSS_PROMPT = "Explain this markup: <script>window.__pwned='prompt'</script></textarea>"
            + "</script><script>window.__pwned='close'</script><img src=x onerror=\"window.__pwned='img'\">"
            + " and &lt;b&gt;bold&lt;/b&gt; &amp;amp; \u2028 after a line separator";
    /** The instruction whose text is entities that must be shown as typed, not decoded. */
    public static final String ENTITY_ID = "entities-1";
    public static final String ENTITY_PROMPT = "Show &lt;script&gt;alert(1)&lt;/script&gt; literally, with &amp;"
            + " and &#60;";
    /** A response of megabytes, with a script at its very end. */
    public static final String HUGE_TEXT = "A".repeat(2_000_000) + "<script>window.__pwned='huge'</script> THE END";

    private UntrustedData() {
    }

    /** Writes the example data and the attacks to {@code file}. */
    public static Path write(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>(Files.readAllLines(RealData.demo(), StandardCharsets.UTF_8));
        lines.add(json.writeValueAsString(item(json, XSS_ID, XSS_PROMPT, new String[] {
            "<svg onload=\"window.__pwned='svg'\"></svg> a fine answer",
            "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
            "<a href=\"javascript:window.__pwned='link'\">click</a>",
            HUGE_TEXT},
                new double[] {9.0, 1.0, 5.5, 3.0}, new double[] {4, 1, 3, 2},
                new String[] {"<b onmouseover=\"window.__pwned='model'\">bold-7b</b>", "tiny-chat-1b", "wise-13b",
                    "helper-7b"})));
        lines.add(json.writeValueAsString(item(json, ENTITY_ID, ENTITY_PROMPT, new String[] {
            "&lt;i&gt;kept as typed&lt;/i&gt;", "plain", "also plain", "<!-- a comment --> text"},
                new double[] {8.5, 8.0, 8.8, 8.6}, new double[] {4, 4, 5, 4},
                new String[] {"sage-70b", "helper-7b", "wise-13b", "tiny-chat-1b"})));
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static ObjectNode item(ObjectMapper json, String id, String prompt, String[] texts, double[] scores,
                                   double[] labels, String[] models) {
        ObjectNode o = json.createObjectNode();
        o.put("id", id);
        o.put("prompt", prompt);
        ArrayNode responses = o.putArray("responses");
        for (int i = 0; i < texts.length; i++) {
            ObjectNode r = responses.addObject();
            r.put("text", texts[i]);
            r.put("score", scores[i]);
            r.put("label", labels[i]);
            r.put("model", models[i]);
        }
        return o;
    }

    /** Maps, diagnoses and reports the data into {@code dir/run}; returns the run. */
    public static Path run(Path dir) throws IOException {
        return ReportedRun.of(write(dir.resolve("untrusted.jsonl")), dir.resolve("run"));
    }
}
