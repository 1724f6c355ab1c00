package org.admap.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the page's own script ({@code admap.js}) on a written report.html under Node, with the
 * stand-in DOM of {@code page-harness.js} (no browser here), and returns what the harness
 * read off the rendered page (the trust section's text, the points' opacity, ...). Skips the
 * calling test where Node is not installed; the browser tests run the script when Chromium is.
 */
final class PageScript {

    private static final Path NODE = Path.of("/usr/bin/node");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PageScript() {
    }

    /** What the page shows for {@code reportHtml}; {@code tmp} holds the copied scripts. */
    static JsonNode render(Path reportHtml, Path tmp) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(NODE), "Node.js is not installed at /usr/bin/node: the page's"
                + " script is not run (the browser tests run it when Chromium is present)");
        Path harness = tmp.resolve("page-harness.js");
        copy(PageScript.class.getResourceAsStream("page-harness.js"), harness);
        Path script = tmp.resolve("admap.js");
        copy(org.admap.web.WebAssets.class.getResourceAsStream("admap.js"), script);
        Process p = new ProcessBuilder(NODE.toString(), harness.toString(), reportHtml.toString(), script.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("the page's script failed under Node: " + out);
        }
        return JSON.readTree(out);
    }

    private static void copy(InputStream in, Path to) throws IOException {
        try (in) {
            Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
