package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.admap.report.UntrustedData;
import org.admap.report.ViewData;
import org.admap.web.ViewerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * {@code admap serve} in a real browser (headless Chromium): the same map as the report, fed
 * by the viewer's endpoints; full texts per click; search over every prompt; paging through
 * the flagged instructions; exporting a selection as DPO pairs and downloading the file;
 * marking an instruction drop, which {@code admap select} then leaves out; and the attacking
 * instructions shown as text, never run.
 */
class ServeBrowserTest {

    @TempDir
    static Path tmp;
    static Path run;
    static ViewerServer server;
    static Chromium chrome;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void setUp() throws Exception {
        Chromium.assumeInstalled();
        run = UntrustedData.run(tmp);
        // Flag many instructions (half of them as low-impact), so the flagged list has two pages.
        Cli.Result d = Cli.run("diagnose", run.toString(), "--low-impact", "0.5");
        assertThat(d.exit()).as(d.toString()).isZero();
        // opened as 'admap serve' opens it: map, diagnose and report on columns left the store to be built
        server = ViewerServer.start(org.admap.run.Run.open(run, org.admap.Progress.Factory.NONE).directory(),
                "127.0.0.1", 0, ViewData.Options.forServe());
        chrome = Chromium.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (chrome != null) {
            chrome.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void open() {
        chrome.openMap(server.uri().toString());
    }

    private String text(String id) {
        return chrome.driver.findElement(By.id(id)).getText();
    }

    private void selectPoint(String id) {
        chrome.js("admapView.select(admapView.points.key[admapView.points.id.indexOf(arguments[0])])", id);
        ReportBrowserTest.waitForDetail(chrome, id);
    }

    @Test
    void aClickShowsTheWholeInstructionAndInjectedScriptsNeverRun() throws Exception {
        assertThat(text("count")).isEqualTo("Showing 52 of 52 instructions.");
        ReportBrowserTest.clickPoint(chrome, UntrustedData.XSS_ID);
        ReportBrowserTest.waitForDetail(chrome, UntrustedData.XSS_ID);
        String detail = text("detail");
        assertThat(detail).contains(UntrustedData.XSS_PROMPT.replace("\u2028", " ").substring(0, 80))
                .contains("<img src=x onerror=\"window.__pwned='img'\">")
                .contains(String.format(Locale.ROOT, "Cut at 1,000,000 of %,d characters.",
                        UntrustedData.HUGE_TEXT.length()));
        assertThat(chrome.driver.findElements(By.cssSelector("#detail img, #detail svg, #detail iframe, #detail a")))
                .isEmpty();
        assertThat(chrome.js("return typeof window.__pwned")).isEqualTo("undefined");
        try {
            throw new AssertionError("an alert opened: " + chrome.driver.switchTo().alert().getText());
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
        chrome.screenshot("serve.png");
    }

    @Test
    void searchesEveryPromptOnTheServer() {
        chrome.driver.findElement(By.id("search")).sendKeys("OUT-OF-OFFICE");
        chrome.waitUpTo(10).until(ExpectedConditions.textToBe(By.id("count"), "Showing 1 of 52 instructions."));
        chrome.driver.findElement(By.id("search")).clear();
        chrome.driver.findElement(By.id("search")).sendKeys("window.__pwned");
        chrome.waitUpTo(10).until(ExpectedConditions.textToBe(By.id("count"), "Showing 1 of 52 instructions."));
    }

    @Test
    void pagesThroughTheFlaggedInstructions() {
        chrome.waitUpTo(10).until(d -> text("flags-page").startsWith("page 1 of 2"));
        String first = chrome.driver.findElement(By.cssSelector("#flags-table tbody tr")).getAttribute("data-key");
        chrome.driver.findElement(By.id("flags-next")).click();
        chrome.waitUpTo(10).until(d -> text("flags-page").startsWith("page 2 of 2"));
        WebElement row = chrome.driver.findElement(By.cssSelector("#flags-table tbody tr"));
        assertThat(row.getAttribute("data-key")).isNotEqualTo(first);
        String id = row.findElement(By.cssSelector("td")).getText();
        row.click();
        ReportBrowserTest.waitForDetail(chrome, id);
        assertThat(text("detail")).contains("low-impact");
    }

    @Test
    void exportsTheSelectedRegionAsDpoPairsLikeSelect() throws Exception {
        Path expected = tmp.resolve("expected-high-avg.jsonl");
        Cli.Result select = Cli.run("select", run.toString(), "--region", "high-avg", "--out", expected.toString());
        assertThat(select.exit()).as(select.toString()).isZero();

        chrome.driver.findElement(By.cssSelector("input[data-region='low-avg']")).click();
        chrome.driver.findElement(By.cssSelector("input[data-region='high-var']")).click();
        chrome.driver.findElement(By.id("select-shown")).click();
        assertThat(text("selection-count")).isEqualTo("17 instructions selected (the points shown).");
        new Select(chrome.driver.findElement(By.id("export-format"))).selectByValue("trl");
        chrome.driver.findElement(By.id("export")).click();
        WebElement link = chrome.waitUpTo(30).until(ExpectedConditions.presenceOfElementLocated(By.id("export-link")));
        HttpResponse<String> file = HTTP.send(HttpRequest.newBuilder(URI.create(link.getAttribute("href"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment");
        assertThat(file.body().lines().toList()).isEqualTo(Files.readAllLines(expected));
        assertThat(run.resolve("exports").resolve(link.getText())).isRegularFile();
        assertThat(run.resolve("exports").resolve(link.getText() + ".provenance.json")).isRegularFile();
    }

    @Test
    void exportsALassoSelection() throws Exception {
        chrome.js("admapView.chart.dispatchAction({type: 'brush', areas: [{brushType: 'polygon', xAxisIndex: 0,"
                + " coordRange: [[7, 4], [12, 4], [12, 7], [7, 7]]}]})");
        chrome.waitUpTo(10).until(d -> text("selection-count").endsWith("(brushed on the map)."));
        Matcher m = Pattern.compile("(\\d+) instructions selected").matcher(text("selection-count"));
        assertThat(m.find()).isTrue();
        int selected = Integer.parseInt(m.group(1));
        assertThat(selected).isGreaterThan(5);
        new Select(chrome.driver.findElement(By.id("export-format"))).selectByValue("multi");
        chrome.driver.findElement(By.id("export")).click();
        WebElement link = chrome.waitUpTo(30).until(ExpectedConditions.presenceOfElementLocated(By.id("export-link")));
        List<String> lines = HTTP.send(HttpRequest.newBuilder(URI.create(link.getAttribute("href"))).build(),
                HttpResponse.BodyHandlers.ofString()).body().lines().toList();
        assertThat(lines).hasSize(selected);
    }

    @Test
    void markingAnInstructionDropMakesSelectSkipIt() throws Exception {
        String id = (String) chrome.js("var p = admapView.points;"
                + " for (var i = 0; i < p.key.length; i++) if (p.region[i] === 0) return p.id[i];");
        selectPoint(id);
        chrome.driver.findElement(By.cssSelector("#detail button[data-mark='drop']")).click();
        chrome.waitUpTo(10).until(ExpectedConditions.textToBe(By.id("review-mark"), "drop"));
        Cli.Result skipped = Cli.run("select", run.toString(), "--region", "high-avg", "--out",
                tmp.resolve("dropped.jsonl").toString());
        assertThat(skipped.exit()).as(skipped.toString()).isZero();
        assertThat(skipped.out()).contains("skipped 1 instructions marked drop in the viewer")
                .contains("selected 16 instructions (high-avg)");
        assertThat(Files.readString(tmp.resolve("dropped.jsonl.provenance.json"))).contains("\"skipped_dropped\" : 1");

        // The mark survives a reload, and clearing it brings the instruction back.
        chrome.openMap(server.uri().toString());
        new Select(chrome.driver.findElement(By.id("review-filter"))).selectByValue("drop");
        assertThat(text("count")).isEqualTo("Showing 1 of 52 instructions.");
        selectPoint(id);
        chrome.driver.findElement(By.cssSelector("#detail button[data-mark='clear']")).click();
        chrome.waitUpTo(10).until(d -> d.findElements(By.id("review-mark")).isEmpty());
        Cli.Result all = Cli.run("select", run.toString(), "--region", "high-avg", "--out",
                tmp.resolve("all.jsonl").toString());
        assertThat(all.out()).doesNotContain("skipped").contains("selected 17 instructions (high-avg)");
    }
}
