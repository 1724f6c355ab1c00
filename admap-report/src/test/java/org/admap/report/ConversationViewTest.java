package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.report.ViewData;
import org.admap.store.RunDirectory;
import org.admap.web.ViewerServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A conversational prompt is shown as its turns, each under its role, in report.html and in
 * {@code admap serve}: the item's JSON carries them beside the flattened prompt, and the page
 * writes them as text (a turn's markup never runs).
 */
class ConversationViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PAYLOAD = "Explain <script>window.__pwned='turn'</script><img src=x"
            + " onerror=\"window.__pwned='img'\"> please";

    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void mapAndReport() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ObjectNode row = JSON.createObjectNode();
            row.put("id", "conv-" + i);
            ArrayNode prompt = row.putArray("prompt");
            prompt.addObject().put("role", "system").put("content", "You are terse.");
            prompt.addObject().put("role", "user").put("content", i == 0 ? PAYLOAD : "Question " + i);
            prompt.addObject().put("role", "assistant").put("content", "Answer " + i);
            prompt.addObject().put("role", "user").put("content", "And then " + i + "?");
            row.putArray("chosen").addObject().put("role", "assistant").put("content", "good " + i);
            row.putArray("rejected").addObject().put("role", "assistant").put("content", "bad " + i);
            row.put("score_chosen", 5 + i % 3).put("score_rejected", i % 4);
            lines.add(JSON.writeValueAsString(row));
        }
        lines.add("{\"id\": \"plain\", \"prompt\": \"Say hi.\", \"chosen\": \"hi\", \"rejected\": \"no\","
                + " \"score_chosen\": 6, \"score_rejected\": 1}");
        Path data = tmp.resolve("conv.jsonl");
        Files.write(data, lines, StandardCharsets.UTF_8);
        run = tmp.resolve("run");
        for (Cli.Result r : new Cli.Result[] {Cli.run("map", data.toString(), "--out", run.toString(), "-q"),
            Cli.run("report", run.toString())}) {
            assertThat(r.exit()).as(r.toString()).isZero();
        }
    }

    private static void assertTurns(JsonNode item) {
        assertThat(item.get("turns")).isNotNull();
        List<String> turns = new ArrayList<>();
        item.get("turns").forEach(t -> turns.add(t.get("role").asText() + ": " + t.get("content").asText()));
        assertThat(turns).containsExactly("system: You are terse.", "user: " + PAYLOAD, "assistant: Answer 0",
                "user: And then 0?");
        assertThat(item.get("prompt").asText()).as("the flattened prompt stays, for search")
                .startsWith("System: You are terse.\n\nUser: Explain");
    }

    @Test
    void theReportEmbedsTheTurnsOfAConversationAndNoneForAPlainPrompt() throws Exception {
        String html = Files.readString(run.resolve("report.html"));
        String block = HtmlReportTest.dataBlock(html);
        assertThat(block).doesNotContain("<").contains("\\u003cscript\\u003ewindow.__pwned='turn'");
        JsonNode conv = null;
        JsonNode plain = null;
        for (JsonNode item : HtmlReportTest.data(html).get("details")) {
            if (item.get("id").asText().equals("conv-0")) {
                conv = item;
            } else if (item.get("id").asText().equals("plain")) {
                plain = item;
            }
        }
        assertTurns(conv);
        assertThat(plain.has("turns")).isFalse();
        assertThat(HtmlReportTest.markup(html)).doesNotContain("window.__pwned");
    }

    @Test
    void theViewerServesTheTurnsOfAnInstruction() throws Exception {
        try (ViewerServer server = ViewerServer.start(new RunDirectory(run), "127.0.0.1", 0,
                ViewData.Options.forServe())) {
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    server.uri().resolve("/api/item?key=0")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertTurns(JSON.readTree(r.body()));
        }
    }

    /** In a browser (skipped where Chromium is not installed): the turns are shown as text, role by role. */
    @Test
    void thePageShowsEachTurnUnderItsRoleAsText() throws Exception {
        Chromium.assumeInstalled();
        try (Chromium chrome = Chromium.start()) {
            chrome.openMap(run.resolve("report.html").toUri().toString());
            chrome.js("admapView.select(admapView.points.key[admapView.points.id.indexOf(arguments[0])])", "conv-0");
            ReportBrowserTest.waitForDetail(chrome, "conv-0");
            List<WebElement> turns = chrome.driver.findElements(By.cssSelector("#detail .conversation .turn"));
            assertThat(turns).hasSize(4);
            assertThat(turns.get(0).findElement(By.cssSelector(".turn-role")).getText())
                    .isEqualToIgnoringCase("system");
            assertThat(turns.get(1).getText()).contains("<script>window.__pwned='turn'</script>");
            assertThat(chrome.driver.findElements(By.cssSelector("#detail img"))).isEmpty();
            assertThat(chrome.driver.findElement(By.id("detail")).getText()).doesNotContain("Instruction\n");
            assertThat(chrome.js("return typeof window.__pwned")).isEqualTo("undefined");
        }
    }
}
