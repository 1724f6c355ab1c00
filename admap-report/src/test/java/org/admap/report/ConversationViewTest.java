package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.internal.store.RunDirectory;
import org.admap.web.ViewerServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conversational prompt is shown as its turns, each under its role, in report.html and in
 * {@code admap serve}: the item's JSON carries them beside the flattened prompt, and the page
 * writes them as text (a turn's markup never runs; shown in a browser by admap-cli's
 * ConversationBrowserTest).
 */
class ConversationViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAYLOAD = Conversations.PAYLOAD;

    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void mapAndReport() throws Exception {
        run = Conversations.run(tmp);
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
        String block = ReportPages.dataBlock(html);
        assertThat(block).doesNotContain("<").contains("\\u003cscript\\u003ewindow.__pwned='turn'");
        JsonNode conv = null;
        JsonNode plain = null;
        for (JsonNode item : ReportPages.data(html).get("details")) {
            if (item.get("id").asText().equals("conv-0")) {
                conv = item;
            } else if (item.get("id").asText().equals("plain")) {
                plain = item;
            }
        }
        assertTurns(conv);
        assertThat(plain.has("turns")).isFalse();
        assertThat(ReportPages.markup(html)).doesNotContain("window.__pwned");
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
}
