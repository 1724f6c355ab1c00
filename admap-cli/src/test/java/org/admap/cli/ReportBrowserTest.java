package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.admap.report.UntrustedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * report.html in a real browser (headless Chromium), opened from disk as a user would open
 * the file: the map draws with every point, hovering shows the prompt, a click shows the
 * instruction with its responses, the filters work, and the instructions written to attack
 * the page show as text and never run.
 */
class ReportBrowserTest {

    @TempDir
    static Path tmp;
    static Path run;
    static Chromium chrome;
    static String url;

    @BeforeAll
    static void setUp() throws Exception {
        Chromium.assumeInstalled();
        run = UntrustedData.run(tmp);
        chrome = Chromium.start();
        url = run.resolve("report.html").toUri().toString();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (chrome != null) {
            chrome.close();
        }
    }

    @BeforeEach
    void open() {
        chrome.openMap(url);
    }

    private String text(String id) {
        return chrome.driver.findElement(By.id(id)).getText();
    }

    private long number(String script) {
        return ((Number) chrome.js(script)).longValue();
    }

    /** Clicks the point of an instruction where it is drawn on the chart, as a user would. */
    static void clickPoint(Chromium chrome, String id) {
        moveToPoint(chrome, id).click().perform();
    }

    static Actions moveToPoint(Chromium chrome, String id) {
        @SuppressWarnings("unchecked")
        List<Number> xy = (List<Number>) chrome.js("var v = window.admapView;"
                + " return v.pixelOf(v.points.key[v.points.id.indexOf(arguments[0])]);", id);
        WebElement chart = chrome.driver.findElement(By.id("chart"));
        int dx = (int) Math.round(xy.get(0).doubleValue() - chart.getSize().getWidth() / 2.0);
        int dy = (int) Math.round(xy.get(1).doubleValue() - chart.getSize().getHeight() / 2.0);
        return new Actions(chrome.driver).moveToElement(chart, dx, dy);
    }

    static void waitForDetail(Chromium chrome, String id) {
        chrome.waitUpTo(20).until(ExpectedConditions.textToBe(By.cssSelector("#detail h2"), id));
        chrome.waitUpTo(20).until(d -> !d.findElements(By.cssSelector("#detail .response")).isEmpty()
                || d.findElement(By.id("detail")).getText().contains("admap serve"));
    }

    @Test
    void opensFromDiskWithEveryPointAndNoNetwork() throws Exception {
        assertThat(text("count")).isEqualTo("Showing 52 of 52 instructions.");
        assertThat(chrome.driver.findElements(By.cssSelector("#regions-table tbody tr"))).hasSize(3);
        assertThat(text("flags-table")).contains("misannotated").contains("demo-007");
        assertThat(text("agreements")).contains("input").contains("labels");
        assertThat(chrome.driver.findElements(By.cssSelector("#histograms canvas"))).hasSize(2);
        assertThat(text("models")).contains("sage-70b");
        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) chrome.js(
                "return performance.getEntriesByType('resource').map(function (e) { return e.name; })");
        assertThat(loaded).allMatch(u -> u.startsWith("file:") || u.startsWith("data:") || u.startsWith("blob:"));
        chrome.screenshot("report.png");
    }

    @Test
    void hoveringShowsThePromptAndClickingShowsTheWholeInstruction() throws Exception {
        moveToPoint(chrome, "demo-017").perform();
        chrome.waitUpTo(10).until(d -> d.findElements(By.cssSelector(".tooltip-id")).stream()
                .anyMatch(e -> e.getText().equals("demo-017")));
        assertThat(chrome.driver.findElement(By.cssSelector(".tooltip-text")).getText())
                .startsWith("I'm writing a tutorial and want the page to show the text <script>alert(1)</script>");

        clickPoint(chrome, "demo-017");
        waitForDetail(chrome, "demo-017");
        String detail = text("detail");
        assertThat(detail).contains("<script>alert(1)</script>").contains("high-");
        List<WebElement> responses = chrome.driver.findElements(By.cssSelector("#detail .response"));
        assertThat(responses).hasSize(4);
        assertThat(responses.get(1).getText()).contains("sage-70b").contains("label 5").contains("score 9.2");
        assertThat(responses.get(1).getAttribute("class")).contains("best");
        assertThat(detail).contains("Read from ").contains("untrusted.jsonl:1");
        chrome.screenshot("report-detail.png");
    }

    @Test
    void injectedScriptsShowAsTextAndNeverRun() throws Exception {
        moveToPoint(chrome, UntrustedData.XSS_ID).perform();
        chrome.waitUpTo(10).until(d -> d.findElements(By.cssSelector(".tooltip-id")).stream()
                .anyMatch(e -> e.getText().equals(UntrustedData.XSS_ID)));
        clickPoint(chrome, UntrustedData.XSS_ID);
        waitForDetail(chrome, UntrustedData.XSS_ID);
        String detail = text("detail");
        assertThat(detail).contains("<script>window.__pwned='prompt'</script></textarea></script>")
                .contains("<img src=x onerror=\"window.__pwned='img'\">")
                .contains("&lt;b&gt;bold&lt;/b&gt; &amp;amp;")
                .contains("<svg onload=")
                .contains("<b onmouseover=\"window.__pwned='model'\">bold-7b</b>");
        // The megabytes-long response is cut in the report, and says so.
        assertThat(detail).contains(String.format(java.util.Locale.ROOT, "Cut at 10,000 of %,d characters",
                UntrustedData.HUGE_TEXT.length()));
        assertThat(chrome.driver.findElements(By.cssSelector("#detail img, #detail svg, #detail iframe, #detail a")))
                .isEmpty();

        chrome.js("admapView.select(admapView.points.key[admapView.points.id.indexOf(arguments[0])])",
                UntrustedData.ENTITY_ID);
        waitForDetail(chrome, UntrustedData.ENTITY_ID);
        assertThat(text("detail")).contains(UntrustedData.ENTITY_PROMPT).contains("&lt;i&gt;kept as typed&lt;/i&gt;")
                .contains("<!-- a comment --> text");

        assertThat(chrome.js("return typeof window.__pwned")).isEqualTo("undefined");
        assertThat(chrome.js("return typeof parent.__pwned")).isEqualTo("undefined");
        assertNoAlert();
    }

    private static void assertNoAlert() {
        try {
            String alert = chrome.driver.switchTo().alert().getText();
            throw new AssertionError("an alert opened: " + alert);
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
    }

    @Test
    void filtersByRegionByFlagAndByText() {
        long highAvg = number("return admapView.points.region.filter(function (r) { return r === 0; }).length");
        chrome.driver.findElement(By.cssSelector("input[data-region='low-avg']")).click();
        chrome.driver.findElement(By.cssSelector("input[data-region='high-var']")).click();
        assertThat(text("count")).isEqualTo("Showing " + highAvg + " of 52 instructions.");
        chrome.driver.findElement(By.cssSelector("input[data-region='low-avg']")).click();
        chrome.driver.findElement(By.cssSelector("input[data-region='high-var']")).click();

        new Select(chrome.driver.findElement(By.id("flag-filter"))).selectByValue("misannotated");
        assertThat(text("count")).isEqualTo("Showing 3 of 52 instructions.");
        assertThat(text("flags-page")).contains("3 flagged misannotated");
        new Select(chrome.driver.findElement(By.id("flag-filter"))).selectByValue("");

        chrome.driver.findElement(By.id("search")).sendKeys("kilometres");
        chrome.waitUpTo(10).until(ExpectedConditions.textToBe(By.id("count"), "Showing 1 of 52 instructions."));
    }

    @Test
    void aBoxOnTheMapSelectsThePointsInside() {
        chrome.js("admapView.chart.dispatchAction({type: 'brush', areas: [{brushType: 'rect', xAxisIndex: 0,"
                + " coordRange: [[7, 20], [0, 10]]}]})");
        long inside = number("var p = admapView.points, n = 0;"
                + " for (var i = 0; i < p.x.length; i++) if (p.x[i] >= 7 && p.x[i] <= 20 && p.y[i] >= 0 && p.y[i] <= " +
                        "10) n++;"
                + " return n;");
        assertThat(inside).isGreaterThan(5);
        chrome.waitUpTo(10).until(ExpectedConditions.textToBe(By.id("selection-count"),
                inside + " instructions selected (brushed on the map)."));
    }
}
