package org.admap.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The front end of the interactive map, read from the classpath: admap's own page template,
 * script and style ({@code org/admap/web/} in this module's resources) and Apache ECharts from
 * its WebJar (a build dependency, never a file in the repository). The report inlines them
 * into one HTML file; the web viewer serves them.
 */
public final class WebAssets {

    /**
     * The CSP source of the inlined ECharts per WebJar version; {@code WebAssetsTest} checks
     * the entry of the version on the classpath against the computed hash, so a new version
     * fails it until its line is added (and until then is hashed on every report).
     */
    static final Map<String, String> ECHARTS_SOURCES = Map.of(
            "5.5.0", "'sha256-QvgynZibb2U53SsVu98NggJXYqwRL7tg3FeyfXvPOUY='");

    private static final String ECHARTS_POM = "META-INF/maven/org.webjars/echarts/pom.properties";

    private static String page;
    private static String script;
    private static String style;
    private static String echarts;
    private static String echartsVersion;

    private WebAssets() {
    }

    /** The page template, with {@code {{csp}}}, {@code {{title}}}, {@code {{styles}}}, {@code {{data}}}, {@code
     * {{scripts}}}. */
    public static synchronized String page() {
        if (page == null) {
            page = resource("org/admap/web/page.html");
        }
        return page;
    }

    /** admap's script. */
    public static synchronized String script() {
        if (script == null) {
            script = resource("org/admap/web/admap.js");
        }
        return script;
    }

    /** admap's style sheet. */
    public static synchronized String style() {
        if (style == null) {
            style = resource("org/admap/web/admap.css");
        }
        return style;
    }

    /** The version of the ECharts WebJar on the classpath. */
    public static synchronized String echartsVersion() {
        if (echartsVersion == null) {
            try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(ECHARTS_POM)) {
                if (in == null) {
                    throw new IllegalStateException("the ECharts WebJar (org.webjars:echarts) is missing from the"
                            + " classpath: rebuild admap with 'mvn package'");
                }
                Properties p = new Properties();
                p.load(in);
                echartsVersion = p.getProperty("version");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return echartsVersion;
    }

    /** ECharts, minified. */
    public static synchronized String echarts() {
        if (echarts == null) {
            echarts = resource("META-INF/resources/webjars/echarts/" + echartsVersion() + "/echarts.min.js");
        }
        return echarts;
    }

    /**
     * A script made safe to inline in a {@code <script>} element: a {@code </script} or
     * {@code <!--} inside it (which can only be in a string, a comment or a regular
     * expression) gets a backslash, so the HTML parser never ends the element early. A script
     * with neither (ECharts, admap's own) is returned as it is, found without a regular
     * expression: a report inlines a megabyte of ECharts in a JVM just started.
     */
    public static String inlineSafe(String js) {
        if (!needsEscapes(js)) {
            return js;
        }
        Matcher m = Pattern.compile("(?i)</(script)").matcher(js);
        String s = m.replaceAll("<\\\\/$1");
        return s.replace("<!--", "<\\!--");
    }

    /** Whether {@code js} holds a {@code </script} (in any case) or a {@code <!--}. */
    private static boolean needsEscapes(String js) {
        if (js.contains("<!--")) {
            return true;
        }
        for (int i = js.indexOf("</"); i >= 0; i = js.indexOf("</", i + 2)) {
            if (js.regionMatches(true, i + 2, "script", 0, 6)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The Content-Security-Policy source of the inlined ECharts ({@code hashSource(inlineSafe(
     * echarts()))}), from {@link #ECHARTS_SOURCES} for the version admap is built with (a
     * megabyte less to hash on every report), computed for any other.
     */
    public static String echartsHashSource() {
        String known = ECHARTS_SOURCES.get(echartsVersion());
        return known != null ? known : hashSource(inlineSafe(echarts()));
    }

    /** The Content-Security-Policy source of an inline script or style: {@code 'sha256-...'}. */
    public static String hashSource(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Fills a template's {@code {{name}}} placeholders in one pass, so a value that happens
     * to contain a placeholder is never filled in again.
     */
    public static String fill(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length()
                + values.values().stream().mapToInt(String::length).sum());
        Matcher m = Pattern.compile("\\{\\{([a-z]+)}}").matcher(template);
        int at = 0;
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for {{" + m.group(1) + "}} in the page template");
            }
            out.append(template, at, m.start()).append(value);
            at = m.end();
        }
        return out.append(template, at, template.length()).toString();
    }

    /** Escapes text for HTML element content and attribute values. */
    public static String escapeHtml(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String resource(String name) {
        try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the admap jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
