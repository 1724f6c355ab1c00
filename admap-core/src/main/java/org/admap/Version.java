package org.admap;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The admap version, recorded in every output's provenance. */
public final class Version {

    private static final String VERSION = load();

    private Version() {
    }

    /** The version of this admap build, such as {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
