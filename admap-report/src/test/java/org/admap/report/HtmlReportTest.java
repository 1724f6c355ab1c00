package org.admap.report;

import static org.admap.report.ReportPages.data;
import static org.admap.report.ReportPages.dataBlock;
import static org.admap.report.ReportPages.markup;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.admap.web.WebAssets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html as a file: self-contained (nothing to fetch), the data embedded so that no
 * dataset text can end its script element, a Content-Security-Policy that allows exactly
 * the inlined scripts, and the size policy for big maps.
 */
class HtmlReportTest {

    @TempDir
    static Path tmp;
    static Path run;
    static String html;

    @BeforeAll
    static void report() throws Exception {
        run = UntrustedData.run(tmp);
        html = Files.readString(run.resolve("report.html"));
    }

    @Test
    void isSelfContainedWithNothingToFetch() {
        String markup = markup(html);
        assertThat(Pattern.compile("(?i)<(script|img|iframe|link|embed|object|source|base)[^>]*\\s(src|href)\\s*=")
                .matcher(markup).find()).as("an element that loads something").isFalse();
        assertThat(Pattern.compile("(?i)\\s(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(html).find())
                .as("a src or href to the network").isFalse();
        assertThat(Pattern.compile("(?i)@import|url\\(\\s*[\"']?(https?:)?//").matcher(html).find())
                .as("a style that loads something").isFalse();
        assertThat(html).contains("echarts").contains("admapView");
    }

    @Test
    void theDataCannotEndItsScriptElement() throws Exception {
        Matcher open = Pattern.compile("(?i)<script").matcher(html);
        int opens = 0;
        while (open.find()) {
            opens++;
        }
        Matcher close = Pattern.compile("(?i)</script").matcher(html);
        int closes = 0;
        while (close.find()) {
            closes++;
        }
        assertThat(opens).as("the data block, ECharts and admap's script").isEqualTo(3);
        assertThat(closes).isEqualTo(3);
        String block = dataBlock(html);
        assertThat(block).doesNotContain("<").doesNotContain(">").doesNotContain("&")
                .doesNotContain("\u2028").doesNotContain("\u2029");
        assertThat(block).contains("\\u003cscript\\u003ewindow.__pwned");
        // ... and still means exactly the dataset's text.
        JsonNode data = data(html);
        JsonNode xss = null;
        for (JsonNode item : data.get("details")) {
            if (item.get("id").asText().equals(UntrustedData.XSS_ID)) {
                xss = item;
            }
        }
        assertThat(xss).isNotNull();
        assertThat(xss.get("prompt").asText()).isEqualTo(UntrustedData.XSS_PROMPT);
        assertThat(data.get("meta").get("title").asText()).isEqualTo("Alignment data map: untrusted.jsonl");
    }

    @Test
    void itsPolicyAllowsExactlyTheInlinedScriptsAndNoNetwork() {
        Matcher m = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">").matcher(html);
        assertThat(m.find()).isTrue();
        String csp = m.group(1);
        assertThat(csp).contains("default-src 'none'").contains("connect-src 'none'").doesNotContain("unsafe-eval");
        Matcher scripts = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
        List<String> hashes = new ArrayList<>();
        while (scripts.find()) {
            hashes.add(WebAssets.hashSource(scripts.group(1)));
        }
        assertThat(hashes).hasSize(2);
        Matcher src = Pattern.compile("script-src ([^;]*);").matcher(csp);
        assertThat(src.find()).isTrue();
        assertThat(src.group(1).split(" ")).containsExactlyInAnyOrderElementsOf(hashes);
    }

    @Test
    void aValueHoldingAPlaceholderIsNotFilledAgain() {
        assertThat(WebAssets.fill("<title>{{title}}</title>{{styles}}",
                java.util.Map.of("title", "{{styles}}", "styles", "<style></style>")))
                .isEqualTo("<title>{{styles}}</title><style></style>");
    }

    @Test
    void theFrontEndNeverWritesMarkup() {
        String js = WebAssets.script();
        for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                "new Function", "srcdoc")) {
            assertThat(js).as(sink).doesNotContain(sink);
        }
    }

    @Test
    void bigMapsEmbedASampleAndCutTexts() throws Exception {
        Path small = tmp.resolve("small.html");
        RunReport.Settings settings = new RunReport.Settings(tmp.resolve("x.png"), "region", "png", 1, small,
                new ViewData.Options(20, 0, 3, 50, false), false);
        ViewData.Written embedded = ReportedRun.report(run, settings).embedded();
        assertThat(embedded).isEqualTo(new ViewData.Written(52, 20, 3));
        JsonNode data = data(Files.readString(small));
        assertThat(data.at("/policy/points").asInt()).isEqualTo(52);
        assertThat(data.at("/policy/embeddedPoints").asInt()).isEqualTo(20);
        assertThat(data.at("/policy/sampled").asBoolean()).isTrue();
        assertThat(data.at("/points/key")).hasSize(20);
        assertThat(data.at("/points/text")).hasSize(20);
        for (JsonNode c : data.get("colorings")) {
            assertThat(c.get("of")).hasSize(20);
        }
        // Every flagged instruction is on the map; the texts go to flagged ones first.
        List<Integer> keys = new ArrayList<>();
        data.at("/points/key").forEach(k -> keys.add(k.asInt()));
        List<Integer> flagged = new ArrayList<>();
        data.get("flags").forEach(f -> flagged.add(f.get("key").asInt()));
        assertThat(keys).containsAll(flagged);
        assertThat(data.get("details")).hasSize(3);
        data.get("details").fieldNames().forEachRemaining(k -> assertThat(flagged).contains(Integer.parseInt(k)));
        JsonNode first = data.get("details").elements().next();
        JsonNode longest = null;
        for (JsonNode resp : first.get("responses")) {
            assertThat(resp.get("text").asText().length()).isLessThanOrEqualTo(50);
            if (resp.has("textLength")) {
                longest = resp;
            }
        }
        assertThat(longest).as("a response longer than 50 characters says how long it was").isNotNull();
        assertThat(longest.get("textLength").asInt()).isGreaterThan(50);
    }
}
