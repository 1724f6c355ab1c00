package org.admap.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Reads a written report.html back in tests: its embedded data block, as text and as JSON,
 * and its markup without the inline scripts. Shared with admap-cli's end-to-end and browser
 * tests through this module's test jar.
 */
public final class ReportPages {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATA_OPEN = "<script type=\"application/json\" id=\"admap-data\">";

    private ReportPages() {
    }

    /** The text of the page's data block, as written (escaped for a script element). */
    public static String dataBlock(String page) {
        int start = page.indexOf(DATA_OPEN) + DATA_OPEN.length();
        return page.substring(start, page.indexOf("</script>", start));
    }

    /** The page's data. */
    public static JsonNode data(String page) throws IOException {
        return JSON.readTree(dataBlock(page));
    }

    /** The page without the contents of its inline scripts: its markup. */
    public static String markup(String page) {
        return Pattern.compile("(?is)(<script[^>]*>).*?(</script>)").matcher(page).replaceAll("$1$2");
    }
}
