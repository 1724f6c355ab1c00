package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.admap.report.Conversations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A conversational prompt in report.html, in a browser (skipped where Chromium is not
 * installed): its turns are shown as text, role by role. The item's JSON behind it is
 * admap-report's ConversationViewTest.
 */
class ConversationBrowserTest {

    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void mapAndReport() throws Exception {
        run = Conversations.run(tmp);
    }

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
