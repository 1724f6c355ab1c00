package org.admap.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * How responsive report.html is in headless Chromium: time to open and draw the map, to
 * redraw after a filter, to find the points of a search and to show an instruction after a
 * click. Opens the report named by {@code -Dadmap.report=PATH} (make one of 100,000
 * instructions with 'admap generate', 'admap map', 'admap report'). Prints the times;
 * asserts nothing about them. Not part of the test suite; run it with
 * {@code mvn -pl admap-core,admap-cli -am test -Dtest=ReportPageBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dadmap.report=/tmp/g100k/report.html}.
 */
class ReportPageBenchmark {

    @Test
    void pageTimes() throws Exception {
        Chromium.assumeInstalled();
        String report = System.getProperty("admap.report");
        org.junit.jupiter.api.Assumptions.assumeTrue(report != null && Files.isRegularFile(Path.of(report)),
                "skipped: name a report with -Dadmap.report=PATH");
        try (Chromium chrome = Chromium.start()) {
            for (int run = 0; run < 3; run++) {
                long t0 = System.nanoTime();
                chrome.openMap(Path.of(report).toUri().toString());
                double open = (System.nanoTime() - t0) / 1e9;
                long n = ((Number) chrome.js("return admapView.points.key.length")).longValue();
                // One frame after the click handler ran: the redraw is done.
                String timed = "var done = arguments[arguments.length - 1]; var t = performance.now(); %s;"
                        + " requestAnimationFrame(function () { setTimeout(function () { done(performance.now() - " +
                                "t); }, 0); });";
                double filter = ((Number) chrome.driver.executeAsyncScript(String.format(timed,
                        "document.querySelector(\"input[data-region='high-var']\").click()"))).doubleValue();
                double unfilter = ((Number) chrome.driver.executeAsyncScript(String.format(timed,
                        "document.querySelector(\"input[data-region='high-var']\").click()"))).doubleValue();
                double colour = ((Number) chrome.driver.executeAsyncScript(String.format(timed,
                        "var s = document.getElementById('color-by'); s.value = '1';"
                                + " s.dispatchEvent(new Event('change'))"))).doubleValue();
                // From typing to the redrawn count, less the 250 ms the page waits for typing to pause.
                double search = ((Number) chrome.driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                        + " var count = document.getElementById('count'), search = document.getElementById('search');"
                        + " var t = performance.now();"
                        + " new MutationObserver(function (m, o) { o.disconnect(); done(performance.now() - t - " +
                                "250); })"
                        + ".observe(count, {childList: true, characterData: true, subtree: true});"
                        + " search.value = 'water'; search.dispatchEvent(new Event('input'));")).doubleValue();
                @SuppressWarnings("unchecked")
                List<Object> flagged = (List<Object>) chrome.js("var p = admapView.points;"
                        + " for (var i = 0; i < p.key.length; i++) if (p.flags[i]) return [p.id[i]]; return [];");
                String id = (String) flagged.get(0);
                if (run == 0) {
                    chrome.js("document.getElementById('search').value = '';"
                            + " document.getElementById('search').dispatchEvent(new Event('input'))");
                    Thread.sleep(1500);
                    chrome.screenshot("report-100k.png");
                }
                t0 = System.nanoTime();
                chrome.js("admapView.select(admapView.points.key[admapView.points.id.indexOf(arguments[0])])", id);
                ReportBrowserTest.waitForDetail(chrome, id);
                double detail = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "%,d points, %.1f MB: open and draw %.2f s, filter %.0f ms,"
                                + " unfilter %.0f ms, recolour %.0f ms, search %.0f ms, show a flagged instruction " +
                                        "%.2f s%n",
                        n, Files.size(Path.of(report)) / 1048576.0, open, filter, unfilter, colour, search, detail);
            }
        }
    }
}
